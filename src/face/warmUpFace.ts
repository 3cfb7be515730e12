/**
 * A small photo of one face (112x124 px, 5 KB, inlined in this module's chunk) for warm-up runs: on
 * a blank image MediaPipe's landmarker runs only its detector, and its mesh network first ran on a
 * visitor's first photo. Cut, scaled and mirrored from a face in e2e/fixtures/sample3.jpg
 * (face-api.js's sample photos, MIT licence, see NOTICE).
 */
import faceDataUrl from './warm-up-face.jpg?inline';

export async function warmUpFace(): Promise<ImageBitmap> {
  return createImageBitmap(await (await fetch(faceDataUrl)).blob());
}
