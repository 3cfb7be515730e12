import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const GENERATED = fileURLToPath(new URL('./.generated/', import.meta.url));
/** Fake webcam feed, made from a fixture photo by global-setup.ts. */
// The name changes with the clip (global-setup.ts keeps a clip that exists): v2 keeps the face
// whole in every frame; the first clip drifted it off the top in 8 of its 12 frames.
export const CAMERA_Y4M = `${GENERATED}camera-v2.y4m`;
/** Fake webcam for the live tests: two faces, then a different photo (made by global-setup.ts from e2e/liveClips.ts). */
export const TWO_FACES_Y4M = `${GENERATED}two-faces.y4m`;
/** Where playwright.config.ts serves the production build (E2E_PORT lets two checkouts test side by side). */
export const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? '4179'}`;
/** one-face.jpg stored rotated 90° with EXIF orientation 6 (made by global-setup.ts). */
export const EXIF_ROTATED_JPEG = `${GENERATED}exif-rotated.jpg`;
