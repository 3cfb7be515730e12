/**
 * One ensemble member: a pretrained age CNN plus the manifest that says how to feed it and how to
 * read its output as a distribution over ages 0..100. Lifetime: create → estimate … → close.
 */
import * as tf from '../runtime/tf';
import { toAgeDistribution } from './outputMapping';
// Converted MatConvNet members use custom layers (MatConvNet's pooling and LRN): register them.
import '../convert/layers';
import { parseMemberManifest, type InputSpec, type MemberManifest } from './manifest';
import { fusedPlan } from './fusedPlan';

type LoadedModel = tf.GraphModel | tf.LayersModel;

/**
 * RGB crops (Float32 HWC, 0..255, size²) → the normalised NHWC batch a member expects: channels in
 * its colour order, (x − mean) / std. `mirrored` flips crops left-right (training augmentation):
 * all of them, or those whose entry is true. Shared by the app and the trainers, so all feed the
 * networks identically.
 */
export function toModelInput(crops: readonly Float32Array[], input: InputSpec, mirrored: boolean | readonly boolean[] = false): tf.Tensor4D {
  const { size, colorOrder, mean, std } = input;
  const flip = (i: number) => (typeof mirrored === 'boolean' ? mirrored : mirrored[i]);
  return tf.tidy(() => {
    const rgb = tf.stack(crops.map((c, i) => (flip(i) ? tf.reverse(tf.tensor3d(c, [size, size, 3]), 1) : tf.tensor3d(c, [size, size, 3])))) as tf.Tensor4D;
    const ordered = colorOrder === 'BGR' ? tf.reverse(rgb, -1) : rgb;
    return tf.div(tf.sub(ordered, tf.tensor1d([...mean])), tf.tensor1d([...std])) as tf.Tensor4D;
  });
}

/**
 * What the ensemble needs from a member: aligned crops in, one distribution over ages 0..100
 * (101 bins, summing to 1) per crop out. Lifetime: create → estimate … → close.
 */
export interface AgeModel {
  readonly manifest: MemberManifest;
  /** True when it computes on another thread: the ensemble starts such members first. */
  readonly remote?: boolean;
  estimate(crops: readonly Float32Array[]): Promise<Float32Array[]>;
  close(): void;
}

/** One run of `model` on a blank crop of its input size: its first run prepares every layer. */
export async function warmUpModel(model: AgeModel): Promise<void> {
  await model.estimate([new Float32Array(model.manifest.input.size ** 2 * 3)]);
}

export interface MemberLoadOptions {
  /** Fraction 0..1 of this member's weights downloaded. */
  onProgress?: (fraction: number) => void;
  fetchFunc?: typeof fetch;
  /**
   * Run once on a blank crop before resolving: the first run of a network on the wasm backend
   * prepares every layer (packs its weights for XNNPACK), several normal runs' worth, so done while
   * the page loads, the first real face does not wait for it.
   */
  warmUp?: boolean;
}

/** Fetches and validates a `member.json`. */
export async function loadMemberManifest(manifestUrl: string, fetchFunc: typeof fetch): Promise<MemberManifest> {
  const response = await fetchFunc(manifestUrl);
  if (!response.ok) throw new Error(`cannot load ${manifestUrl}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new Error(`${manifestUrl} is not valid JSON`);
  }
  return parseMemberManifest(json, manifestUrl);
}

/** Loads the graph or layers model a manifest names (its URL relative to the manifest's). */
export async function loadMemberModel(manifest: MemberManifest, manifestUrl: string, options: MemberLoadOptions & { fetchFunc: typeof fetch }): Promise<LoadedModel> {
  const modelUrl = new URL(manifest.model.url, new URL(manifestUrl, globalThis.location?.href ?? 'file:///')).href;
  const loadOptions = { onProgress: options.onProgress, fetchFunc: options.fetchFunc };
  try {
    return manifest.model.format === 'graph' ? await tf.loadGraphModel(modelUrl, loadOptions) : await tf.loadLayersModel(modelUrl, loadOptions);
  } catch (error) {
    throw new Error(`model ${manifest.name} could not be loaded (${(error as Error).message})`);
  }
}

/** An AgeModel backed by a TF.js graph or layers model. */
export class AgeMember implements AgeModel {
  /** Fused-op inference for a plain chain of convolutions (fusedPlan.ts); null: model.predict. */
  private readonly plan: ((batch: tf.Tensor4D) => tf.Tensor) | null;

  private constructor(
    readonly manifest: MemberManifest,
    private model: LoadedModel | null,
  ) {
    this.plan = model instanceof tf.LayersModel ? (fusedPlan(model) ?? null) : null;
  }

  /** Wraps an already loaded model (tests, the trainer). */
  static fromModel(manifest: MemberManifest, model: LoadedModel): AgeMember {
    return new AgeMember(manifest, model);
  }

  /** Loads `member.json` and the model it names (URL relative to the manifest). */
  static async create(manifestUrl: string, options: MemberLoadOptions = {}): Promise<AgeMember> {
    // Wrapped: tfjs calls fetchFunc as a method, and a bare `fetch` then throws "Illegal invocation".
    const fetchFunc = options.fetchFunc ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const manifest = await loadMemberManifest(manifestUrl, fetchFunc);
    const member = new AgeMember(manifest, await loadMemberModel(manifest, manifestUrl, { ...options, fetchFunc }));
    if (!options.warmUp) return member;
    try {
      await member.warmUp();
    } catch (error) {
      member.close();
      throw error;
    }
    return member;
  }

  get inputSize(): number {
    return this.manifest.input.size;
  }

  /**
   * RGB crops (Float32 HWC, 0..255, inputSize²) → normalised NHWC batch in the member's colour
   * order. The caller owns (and disposes) the result.
   */
  preprocess(crops: readonly Float32Array[]): tf.Tensor4D {
    return toModelInput(crops, this.manifest.input);
  }

  /** Raw model output for a preprocessed batch, [batch, outputs]. The caller disposes it. */
  predict(batch: tf.Tensor4D): tf.Tensor2D {
    const model = this.live();
    return tf.tidy(() => {
      const out =
        model instanceof tf.GraphModel
          ? (model.execute(batch, this.manifest.model.output) as tf.Tensor)
          : this.plan
            ? this.plan(batch)
            : (model.predict(batch) as tf.Tensor);
      return tf.reshape(out, [batch.shape[0], -1]) as tf.Tensor2D;
    });
  }

  /** One distribution over ages 0..100 per crop. No tensors outlive the call. */
  async estimate(crops: readonly Float32Array[]): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    const batch = this.preprocess(crops);
    let output: tf.Tensor2D | undefined;
    try {
      output = this.predict(batch);
      const values = (await output.data()) as Float32Array;
      const width = output.shape[1];
      return crops.map((_, i) => toAgeDistribution(values.subarray(i * width, (i + 1) * width), this.manifest.output));
    } finally {
      batch.dispose();
      output?.dispose();
    }
  }

  /** One run on a blank crop (see MemberLoadOptions.warmUp). */
  warmUp(): Promise<void> {
    return warmUpModel(this);
  }

  close(): void {
    this.model?.dispose();
    this.model = null;
  }

  private live(): LoadedModel {
    if (!this.model) throw new Error(`member ${this.manifest.id} is closed`);
    return this.model;
  }
}
