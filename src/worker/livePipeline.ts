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
import { pointsInside } from '../geometry/box';
import type { AgeTraceEntry, LiveFrame, LiveOptions, LiveStats } from './liveTypes';
import type { FivePoints } from '../geometry/points';
import { FaceTracker } from '../face/tracker';
import { AgeScheduler } from './ageScheduler';
import type { RawFrame } from '../runtime/rawFrame';
import { grabFrame, LANDMARK_SIDE, waitForFrame } from './liveFrames';
import type { LiveMessage, LiveRequest } from './liveProtocol';
import { LiveAges } from './liveAges';

/**
 * Two frames may be on their way to the landmark worker: while it works on one, the next is
 * grabbed and sent, so the worker never waits for the page (answers come back in order).
 */
const MAX_IN_FLIGHT = 2;

export class LivePipeline {
  private readonly worker: Worker;
  private readonly tracker = new FaceTracker();
  private readonly scheduler = new AgeScheduler();
  private readonly faceAges = new LiveAges();
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
    this.faceAges.clear();
    this.lastFrame = null;
  }

  close(): void {
    this.stop();
    this.worker.terminate();
  }

  /** Every age update so far (the newest TRACE_LENGTH), for measurement. */
  get trace(): readonly AgeTraceEntry[] {
    return this.faceAges.trace;
  }

  get current(): LiveFrame | null {
    return this.lastFrame;
  }

  stats(): LiveStats {
    const now = performance.now();
    const { overlayFps, videoFps, holding } = this.scheduler.stats(now);
    const agesPerSecond: Record<number, number> = {};
    for (const face of this.lastFrame?.faces ?? []) {
      agesPerSecond[face.trackId] = this.faceAges.perSecond(face.trackId, now);
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
      // A frame in flight when the view was frozen is dropped: the frozen overlay stays on the frame shown then.
      if (answer.type !== 'landmarks' || !this.running || this.paused || this.video !== video) return;
      const { width, height, faces } = answer;
      this.landmarkMs = answer.landmarksMs;
      const now = performance.now();
      // A mesh whose eyes or mouth lie off the frame is MediaPipe's tracker dragging a stale region
      // after a fast move (the face itself is found again by the detector); nor could it be aligned.
      const onFrame = faces.filter((f) => pointsInside(f.points5, width, height));
      const { visible, ended } = this.tracker.update(onFrame, now);
      for (const id of ended) {
        this.faceAges.forget(id);
        this.scheduler.forget(id);
      }
      this.overlayFrames += 1;
      this.scheduler.overlayFrame(now);
      this.lastFrame = { width, height, at, faces: visible.map((t) => this.faceAges.face(t.id, t.box, t.points5)).sort((a, b) => a.trackId - b.trackId) };
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
      // Frozen, the ages stay as they were too.
      if (!this.running || this.paused || !latest || !this.tracker.activeIds.includes(trackId)) return;
      this.faceAges.update(trackId, latest, now);
      if (this.lastFrame) {
        this.lastFrame = { ...this.lastFrame, faces: this.lastFrame.faces.map((f) => this.faceAges.face(f.trackId, f.box, f.points5)) };
        this.options.onFrame(this.lastFrame);
      }
    } catch (error) {
      if (this.running) this.fail(`Live age estimation stopped: ${(error as Error).message}`);
    } finally {
      this.ageBusy = false;
    }
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
