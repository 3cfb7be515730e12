/**
 * Messages between the page and the inference worker. Plain data only; frames (ImageBitmap) and
 * distributions (Float32Array buffers) are transferred, not copied.
 */
import type { AgeSummary } from '../age/distribution';
import type { FivePoints } from '../geometry/points';
import type { FaceBox } from '../face/landmarker';
import type { BackendName } from '../runtime/backendChoice';
import type { RawFrame } from '../runtime/rawFrame';

export interface InitRequest {
  type: 'init';
  /** From ?backend=; undefined lets the worker decide. */
  forcedBackend?: BackendName;
  /** The backend measured fastest on an earlier visit (localStorage lives on the page). */
  rememberedBackend?: BackendName;
  /** Absolute URLs: the worker's own location is not the page's. */
  ensembleUrl: string;
  mediapipeBase: string;
  /**
   * Ports to the member workers the page started (member.worker.ts; transferred). On the wasm
   * backend the members after the first run there, one per worker; unused workers are closed.
   * None: every member runs in the inference worker.
   */
  memberPorts: MessagePort[];
}

export interface EstimateRequest {
  type: 'estimate';
  id: number;
  frame: ImageBitmap;
  /** Photos are also searched tile by tile for small faces; live video frames get one fast pass. */
  kind: 'photo' | 'video';
}

/** Landmarks only (training preprocessing, template fitting): no age models run. */
export interface DetectRequest {
  type: 'detect';
  id: number;
  frame: ImageBitmap;
  kind: 'photo' | 'video';
}

/**
 * Ages only, for faces whose five points are already known (live video: the landmark worker
 * found them in this very frame). No landmark pass runs.
 */
export interface AgesRequest {
  type: 'ages';
  id: number;
  /** The camera frame's raw planes where the browser has WebCodecs, else a bitmap. */
  frame: ImageBitmap | RawFrame;
  faces: FivePoints[];
}

/**
 * The visitor is about to give photos (a file dragged into the window, the file picker opened):
 * the worker gets the group-photo detector ready meanwhile instead of when the first big photo
 * arrives. No answer.
 */
export interface PrepareGroupSearchRequest {
  type: 'prepare-group-search';
}

export type WorkerRequest = InitRequest | EstimateRequest | DetectRequest | AgesRequest | PrepareGroupSearchRequest;

export type LoadStage = 'backend' | 'landmarks' | 'models';

export interface ProgressMessage {
  type: 'progress';
  stage: LoadStage;
  /** 0..1 within the stage. */
  fraction: number;
  message: string;
}

export interface MemberInfo {
  id: string;
  name: string;
  weight: number;
  license: string;
}

export interface ReadyMessage {
  type: 'ready';
  backend: BackendName;
  backendReason: string;
  /** Set when the worker measured backends; the page stores the winner. */
  measuredBackend?: BackendName;
  ensembleName: string;
  /** From ensemble.json's optional `version`; exported results carry it. */
  ensembleVersion?: string;
  members: MemberInfo[];
  loadMs: number;
}

export interface MemberResult {
  id: string;
  name: string;
  weight: number;
  distribution: Float32Array;
  summary: AgeSummary;
}

/** One face's ensemble estimate: the mixture, its summary and every member's distribution. */
export interface AgeResult {
  distribution: Float32Array;
  summary: AgeSummary;
  members: MemberResult[];
}

export interface FaceResult extends AgeResult {
  box: FaceBox;
  points5: FivePoints;
}

export interface StageTimings {
  landmarksMs: number;
  alignMs: number;
  ensembleMs: number;
  /**
   * Each member's time, by member id, from its first call to its last answer: a member on another
   * thread starts on a photo's first faces during the face search, so its time can exceed ensembleMs.
   */
  memberMs: Record<string, number>;
  totalMs: number;
}

export interface ResultMessage {
  type: 'result';
  id: number;
  width: number;
  height: number;
  faces: FaceResult[];
  timings: StageTimings;
}

export interface DetectedMessage {
  type: 'detected';
  id: number;
  width: number;
  height: number;
  faces: { box: FaceBox; points5: FivePoints }[];
  landmarksMs: number;
}

export interface AgesMessage {
  type: 'ages';
  id: number;
  /** In the order of the request's faces. */
  estimates: AgeResult[];
  /** Alignment and networks, in the worker. */
  ms: number;
}

export interface ErrorMessage {
  type: 'error';
  /** The request that failed; absent when loading failed. */
  id?: number;
  message: string;
}

export type WorkerMessage = ProgressMessage | ReadyMessage | ResultMessage | DetectedMessage | AgesMessage | ErrorMessage;
