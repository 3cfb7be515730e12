/**
 * The live webcam pipeline, page side. Two workers that never wait for each other:
 *
 *   video frame ─▶ landmark worker (every frame it can take) ─▶ tracker ─▶ overlay
 *                     └─ when the age worker is free: a copy of that frame + the five points of
 *                        the face that waited longest ─▶ inference worker (ensemble) ─▶ AgeFilter
 *
 * A frame is grabbed when the camera presents one and the landmark worker has at most one other
 * frame to do (older frames are dropped, never queued). The age worker gets a copy of the frame the landmarks were found in,
 * so points and pixels always match. Listeners get a LiveFrame after every landmark result and
 * every age update.
 */
import type { FusedAge } from '../age/temporal';
import { AgeFilter } from '../age/temporal';
import { pointsInside, type FaceBox } from '../geometry/box';
import type { AgeTraceEntry, LiveFace, LiveFrame, LiveOptions, LiveStats } from './liveTypes';
import type { FivePoints } from '../geometry/points';
import { FaceTracker } from '../face/tracker';
import { AgeScheduler } from './ageScheduler';
import { RAW_FORMATS, type RawFrame } from '../runtime/rawFrame';
import type { LiveMessage, LiveRequest } from './liveProtocol';
import type { AgeResult } from './protocol';

interface TrackState {
  filter: AgeFilter;
  latest?: AgeResult;
  fused?: FusedAge;
  updates: number[];
  count: number;
}

const TRACE_LENGTH = 4000;
/**
 * Landmark frames are scaled down to this longest side (a 1280x720 webcam by half): the detector
 * sees 128 px and the mesh a 192-px crop anyway, and larger frames only cost conversion time.
 * Smaller than this, faces at a booth's distance get too few pixels for the mesh to keep them
 * (at 320 px, three people side by side were lost and found again every few seconds). Points are
 * scaled back to the camera frame, which the age worker gets whole.
 */
const LANDMARK_SIDE = 320;
/**
 * Two frames may be on their way to the landmark worker: while it works on one, the next is
 * grabbed and sent, so the worker never waits for the page (answers come back in order).
 */
const MAX_IN_FLIGHT = 2;
const AGE_RATE_WINDOW_MS = 3000;

export class LivePipeline {
  private readonly worker: Worker;
  private readonly tracker = new FaceTracker();
  private readonly scheduler = new AgeScheduler();
  private readonly states = new Map<number, TrackState>();
  private video: HTMLVideoElement | null = null;
  private running = false;
  private paused = false;
  /** Frames sent to the landmark worker and not answered yet (at most MAX_IN_FLIGHT). */
  private inFlight = 0;
  private ageBusy = false;
  private framePending = false;
  private nextId = 1;
  private lastTimestamp = 0;
  private lastFrame: LiveFrame | null = null;
  private landmarkMs = 0;
  private grabMs = 0;
  private ageMs = 0;
  private overlayFrames = 0;
  private videoFrames = 0;
  private readonly waiters = new Map<number, (m: LiveMessage) => void>();
  readonly trace: AgeTraceEntry[] = [];

  private constructor(private readonly options: LiveOptions) {
    this.worker = new Worker(new URL('./landmark.worker.ts', import.meta.url), { type: 'module', name: 'agedist-landmarks' });
    this.worker.onmessage = (event: MessageEvent<LiveMessage>) => this.onMessage(event.data);
    this.worker.onerror = (event) => {
      const message = event.message || 'the landmark worker crashed';
      // Whoever waits for an answer gets the failure instead of waiting forever.
      for (const [id, waiter] of this.waiters) waiter({ type: 'error', id, message });
      this.waiters.clear();
      this.fail(`Live face tracking stopped: ${message}.`);
    };
  }

  /** Starts the landmark worker and loads its model; resolves once frames can be sent. */
  static async create(options: LiveOptions): Promise<LivePipeline> {
    const pipeline = new LivePipeline(options);
    const ready = await pipeline.ask(0, { type: 'init', mediapipeBase: options.mediapipeBase, maxFaces: options.maxFaces ?? 6 });
    if (ready.type === 'error') {
      pipeline.close();
      throw new Error(`Live face tracking could not start (${ready.message}).`);
    }
    return pipeline;
  }

  /** Follows `video` from its next frame on. */
  start(video: HTMLVideoElement): void {
    this.video = video;
    this.running = true;
    this.paused = false;
    const onFrame = () => {
      if (!this.running || this.video !== video) return;
      this.scheduler.videoFrame(performance.now());
      this.videoFrames += 1;
      this.framePending = true;
      void this.pump();
      waitForFrame(video, onFrame);
    };
    waitForFrame(video, onFrame);
  }

  /** Freezes the overlay and the ages on the current frame (conference mode), or resumes. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) void this.pump();
  }

  stop(): void {
    this.running = false;
    this.video = null;
    this.tracker.reset();
    this.states.clear();
    this.lastFrame = null;
  }

  close(): void {
    this.stop();
    this.worker.terminate();
  }

  get current(): LiveFrame | null {
    return this.lastFrame;
  }

  stats(): LiveStats {
    const now = performance.now();
    const { overlayFps, videoFps, holding } = this.scheduler.stats(now);
    const agesPerSecond: Record<number, number> = {};
    for (const face of this.lastFrame?.faces ?? []) {
      const recent = this.states.get(face.trackId)?.updates.filter((t) => now - t <= AGE_RATE_WINDOW_MS) ?? [];
      agesPerSecond[face.trackId] = (recent.length * 1000) / AGE_RATE_WINDOW_MS;
    }
    return { overlayFps, videoFps, agesPerSecond, holding, grabMs: this.grabMs, landmarkMs: this.landmarkMs, ageMs: this.ageMs, overlayFrames: this.overlayFrames, videoFrames: this.videoFrames };
  }

  private async pump(): Promise<void> {
    const video = this.video;
    if (!this.running || this.paused || this.inFlight >= MAX_IN_FLIGHT || !this.framePending || !video) return;
    this.framePending = false;
    this.inFlight += 1;
    let forAges: ImageBitmap | RawFrame | undefined;
    try {
      const grabStart = performance.now();
      const grabbed = await grabFrame(video);
      const at = performance.now();
      // The frame's twin is kept until its landmarks are back: if the age worker is free then, it
      // gets this very frame (points and pixels match), without waiting for another grab.
      forAges = grabbed.twin;
      this.grabMs = at - grabStart;
      const id = this.nextId++;
      this.lastTimestamp = Math.max(this.lastTimestamp + 1, Math.round(at));
      const answer = await this.ask(
        id,
        { type: 'frame', id, frame: grabbed.frame, maxSide: LANDMARK_SIDE, cameraWidth: grabbed.width, cameraHeight: grabbed.height, timestampMs: this.lastTimestamp },
        [grabbed.frame instanceof ImageBitmap ? grabbed.frame : grabbed.frame.data],
      );
      if (answer.type === 'error') throw new Error(answer.message);
      if (answer.type !== 'landmarks' || !this.running || this.video !== video) return;
      const { width, height, faces } = answer;
      this.landmarkMs = answer.landmarksMs;
      const now = performance.now();
      // A mesh whose eyes or mouth lie off the frame is MediaPipe's tracker dragging a stale region
      // after a fast move (the face itself is found again by the detector); nor could it be aligned.
      const onFrame = faces.filter((f) => pointsInside(f.points5, width, height));
      const { visible, ended } = this.tracker.update(onFrame, now);
      for (const id of ended) {
        this.states.delete(id);
        this.scheduler.forget(id);
      }
      this.overlayFrames += 1;
      this.scheduler.overlayFrame(now);
      this.lastFrame = { width, height, at, faces: visible.map((t) => this.faceOf(t.id, t.box, t.points5)).sort((a, b) => a.trackId - b.trackId) };
      this.options.onFrame(this.lastFrame);
      if (!this.ageBusy) {
        const chosen = this.scheduler.pick(visible.map((t) => t.id), now);
        const track = visible.find((t) => t.id === chosen);
        if (track) {
          this.ageBusy = true;
          void this.runAges(forAges, track.id, track.points5);
          forAges = undefined;
        }
      }
    } catch (error) {
      this.fail(`Live face tracking stopped: ${(error as Error).message}`);
    } finally {
      if (forAges instanceof ImageBitmap) forAges.close();
      this.inFlight -= 1;
    }
    if (this.framePending) void this.pump();
  }

  /** Runs the ensemble on one face; the caller has set ageBusy. */
  private async runAges(frame: ImageBitmap | RawFrame, trackId: number, points5: FivePoints): Promise<void> {
    const t0 = performance.now();
    try {
      const { estimates } = await this.options.ages.ages(frame, [points5]);
      const now = performance.now();
      this.ageMs = now - t0;
      this.scheduler.finished(trackId, now, this.ageMs);
      const latest = estimates[0];
      if (!this.running || !latest || !this.tracker.activeIds.includes(trackId)) return;
      const state = this.stateOf(trackId);
      state.latest = latest;
      state.fused = state.filter.update(latest.distribution, now, latest.summary.estimate);
      state.count += 1;
      state.updates.push(now);
      while (state.updates.length > 0 && now - state.updates[0] > AGE_RATE_WINDOW_MS) state.updates.shift();
      this.trace.push({ at: now, trackId, raw: latest.summary.age, fused: state.fused.summary.age, rawStd: latest.summary.std, fusedStd: state.fused.summary.std });
      if (this.trace.length > TRACE_LENGTH) this.trace.splice(0, this.trace.length - TRACE_LENGTH);
      if (this.lastFrame) {
        this.lastFrame = { ...this.lastFrame, faces: this.lastFrame.faces.map((f) => this.faceOf(f.trackId, f.box, f.points5)) };
        this.options.onFrame(this.lastFrame);
      }
    } catch (error) {
      if (this.running) this.fail(`Live age estimation stopped: ${(error as Error).message}`);
    } finally {
      this.ageBusy = false;
    }
  }

  private stateOf(trackId: number): TrackState {
    let state = this.states.get(trackId);
    if (!state) this.states.set(trackId, (state = { filter: new AgeFilter(), updates: [], count: 0 }));
    return state;
  }

  private faceOf(trackId: number, box: FaceBox, points5: FivePoints): LiveFace {
    const state = this.states.get(trackId);
    return { trackId, box, points5, latest: state?.latest, fused: state?.fused, ageUpdates: state?.count ?? 0 };
  }

  private fail(message: string): void {
    if (!this.running) return;
    this.running = false;
    this.options.onError(message);
  }

  private ask(id: number, request: LiveRequest, transfer: Transferable[] = []): Promise<LiveMessage> {
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.worker.postMessage(request, transfer);
    });
  }

  private onMessage(message: LiveMessage): void {
    const id = message.type === 'ready' ? 0 : (message.id ?? 0);
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    waiter?.(message);
  }
}

/**
 * The camera's current frame twice: for the landmark worker and, kept until its landmarks are
 * back, for the age worker. With WebCodecs, the frame's raw planes, copied out of the camera's
 * buffer and converted in the workers (see runtime/rawFrame.ts for why); else two bitmaps, the
 * landmark one scaled down here.
 */
async function grabFrame(video: HTMLVideoElement): Promise<{ frame: ImageBitmap | RawFrame; twin: ImageBitmap | RawFrame; width: number; height: number }> {
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
function waitForFrame(video: HTMLVideoElement, callback: () => void): void {
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => callback());
  else requestAnimationFrame(() => callback());
}
