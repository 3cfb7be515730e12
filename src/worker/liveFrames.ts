/**
 * Taking the camera's frames for the live pipeline (livePipeline.ts), on the page: each new frame
 * once for the landmark worker and once, kept until its landmarks are back, for the age worker.
 */
import { RAW_FORMATS, type RawFrame } from '../runtime/rawFrame';

/**
 * Landmark frames are scaled down to this longest side (a 1280x720 webcam by half): the detector
 * sees 128 px and the mesh a 192-px crop anyway, and larger frames only cost conversion time.
 * Smaller than this, faces at a booth's distance get too few pixels for the mesh to keep them
 * (at 320 px, three people side by side were lost and found again every few seconds). Points are
 * scaled back to the camera frame, which the age worker gets whole.
 */
export const LANDMARK_SIDE = 320;

/**
 * The camera's current frame twice: for the landmark worker and, kept until its landmarks are
 * back, for the age worker. With WebCodecs, the frame's raw planes, copied out of the camera's
 * buffer and converted in the workers (see runtime/rawFrame.ts for why); else two bitmaps, the
 * landmark one scaled down here.
 */
export async function grabFrame(video: HTMLVideoElement): Promise<{ frame: ImageBitmap | RawFrame; twin: ImageBitmap | RawFrame; width: number; height: number }> {
  if (typeof VideoFrame !== 'undefined') {
    const videoFrame = new VideoFrame(video);
    try {
      const format = videoFrame.format;
      const rect = videoFrame.visibleRect;
      if (format && RAW_FORMATS.includes(format) && rect) {
        const data = new ArrayBuffer(videoFrame.allocationSize());
        const layout = await videoFrame.copyTo(data);
        const { matrix, fullRange } = videoFrame.colorSpace;
        const raw: RawFrame = {
          data,
          format: format as RawFrame['format'],
          width: rect.width,
          height: rect.height,
          layout: layout.map(({ offset, stride }) => ({ offset, stride })),
          matrix: matrix === 'bt709' ? 'bt709' : 'bt601',
          fullRange: fullRange ?? false,
        };
        return { frame: raw, twin: { ...raw, data: data.slice(0) }, width: rect.width, height: rect.height };
      }
    } finally {
      videoFrame.close();
    }
  }
  const k = Math.min(1, LANDMARK_SIDE / Math.max(video.videoWidth, video.videoHeight));
  // Both calls take the video's current frame when they are made (the same task), so they match.
  const [twin, frame] = await Promise.all([
    createImageBitmap(video),
    createImageBitmap(video, k < 1 ? { resizeWidth: Math.round(video.videoWidth * k), resizeHeight: Math.round(video.videoHeight * k), resizeQuality: 'medium' } : {}),
  ]);
  return { frame, twin, width: twin.width, height: twin.height };
}

/** requestVideoFrameCallback where the browser has it (each new camera frame), else the next paint. */
export function waitForFrame(video: HTMLVideoElement, callback: () => void): void {
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => callback());
  else requestAnimationFrame(() => callback());
}
