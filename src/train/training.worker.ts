/// <reference lib="webworker" />
/**
 * The training page's worker: preprocessing (landmarks → five points → aligned crop, cached in
 * IndexedDB by file hash) and DADL fine-tuning with the same trainer as `npm run train`, on the
 * chosen backend (WebGPU preferred; wasm gets the training kernels it lacks). One request at a
 * time; pause, resume and cancel are answered while training runs.
 */
import * as tf from '@tensorflow/tfjs';
import { fitMixtureWeights } from '../age/ensembleFit';
import { DEFAULT_HEAD_TRAINING, featureSet, trainMember, type TrainingSet } from '../age/trainable/trainer';
import { DEFAULT_CROP } from '../geometry/points';
import { FaceLandmarks } from '../face/landmarker';
import { mediapipeFiles } from '../face/mediapipeFiles';
import { setUpBackend } from '../runtime/backend';
import { sameOriginOnly } from '../runtime/offlineFetch';
import { registerWasmTrainingKernels } from '../runtime/wasmTrainingKernels';
import { openStore, saveEnsemble, type CachedCrop } from '../store/db';
import { zipEnsemble } from '../store/ensembleFiles';
import { withSavedEnsembles } from '../store/savedFetch';
import { seededRandom } from '../util/random';
import { memberFiles, restoreCheckpoint, saveCheckpoint } from './checkpoints';
import { alignPhoto, sha256 } from './cropCache';
import { cropSpecKey, ensembleFiles, loadBaseEnsemble, trainableParts, type TrainableMember } from './members';
import { trainedModelCard } from './modelCard';
import type { ResultRow, SampleIn, TrainMessage, TrainRequest, TrainingSettings } from './protocol';
import { cropSet, expectedAges, inputsOf, metricsOf, type AcceptedSample } from './trainingData';

declare const self: DedicatedWorkerGlobalScope;
self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);
const fetchFunc = withSavedEnsembles((input, init) => self.fetch(input, init));

const post = (message: TrainMessage, transfer: Transferable[] = []) => self.postMessage(message, transfer);

let landmarks: FaceLandmarks | undefined;
let base: Awaited<ReturnType<typeof loadBaseEnsemble>> | undefined;
/** Accepted samples: their labels and, per crop spec, the IndexedDB key of their crop. */
let samples: AcceptedSample[] = [];
let lastResult: { weights: number[]; rows: ResultRow[]; settings: TrainingSettings; trainImages: number; validImages: number } | undefined;

const control = { paused: false, cancelled: false, wake: [] as (() => void)[] };

async function init(request: Extract<TrainRequest, { type: 'init' }>) {
  const backend = await setUpBackend(request.forcedBackend, undefined);
  if (backend.backend === 'wasm') registerWasmTrainingKernels();
  landmarks = await FaceLandmarks.create(mediapipeFiles(request.mediapipeBase));
  base = await loadBaseEnsemble(request.ensembleUrl, fetchFunc);
  post({
    type: 'ready',
    backend: backend.backend,
    backendReason: backend.reason,
    ensembleName: base.manifest.name,
    members: base.members.map((m) => ({ id: m.manifest.id, name: m.manifest.name, weight: m.weight, notTrainable: m.notTrainable })),
  });
  const checkpoint = await (await openStore()).get('checkpoints', 'latest');
  if (checkpoint) {
    const { savedAt, epoch, member, completed, settings } = checkpoint;
    post({ type: 'checkpoint-available', savedAt, epoch, member, completed, settings: settings as TrainingSettings, faces: (checkpoint.samples as unknown[]).length });
  }
}

/** The members being trained, and the crop specs they need. */
const trainable = () => (base?.members ?? []).filter((m): m is TrainableMember & { model: tf.LayersModel } => !!m.model);

async function preprocess(input: SampleIn[]) {
  if (!landmarks || !base) throw new Error('The models are not loaded yet.');
  const store = await openStore();
  const specs = new Map(trainable().map((m) => [cropSpecKey(m.manifest), m.manifest]));
  const started = performance.now();
  samples = [];
  let rejected = 0;
  let cached = 0;
  for (const [done, sample] of input.entries()) {
    const hash = await sha256(sample.file);
    const cropKeys: Record<string, string> = {};
    let reason: string | undefined;
    let thumb: Blob | undefined;
    let fromCache = true;
    for (const [spec, manifest] of specs) {
      const key = `${hash}:${spec}`;
      let entry: CachedCrop | undefined = await store.get('crops', key);
      if (!entry) {
        fromCache = false;
        entry = await alignPhoto(landmarks, sample.file, key, manifest.input.size, manifest.input.crop ?? DEFAULT_CROP);
        await store.put('crops', entry);
      }
      if ('rejected' in entry) reason = entry.rejected;
      else {
        cropKeys[spec] = key;
        thumb ??= entry.crop;
      }
    }
    if (fromCache) cached++;
    if (reason) rejected++;
    else samples.push({ index: sample.index, mean: sample.mean, std: sample.std, split: sample.split, cropKeys });
    post({ type: 'preprocessed-one', index: sample.index, crop: reason ? undefined : thumb, rejected: reason, cached: fromCache });
    const elapsed = (performance.now() - started) / 1000;
    post({ type: 'preprocess-progress', done: done + 1, total: input.length, etaSeconds: (elapsed / (done + 1)) * (input.length - done - 1) });
  }
  post({ type: 'preprocess-done', accepted: samples.length, rejected, cached, seconds: (performance.now() - started) / 1000 });
}

async function waitWhilePaused() {
  if (!control.paused) return;
  post({ type: 'paused' });
  while (control.paused && !control.cancelled) await new Promise<void>((r) => control.wake.push(r));
  post({ type: 'resumed' });
}

async function train(requested: TrainingSettings, resume = false) {
  if (!base) throw new Error('The models are not loaded yet.');
  let settings = requested;
  let completed: string[] = [];
  let before: number[][] | undefined;
  if (resume) {
    const checkpoint = await (await openStore()).get('checkpoints', 'latest');
    if (!checkpoint) throw new Error('There is no checkpoint to resume from.');
    settings = checkpoint.settings as TrainingSettings;
    samples = checkpoint.samples as typeof samples;
    completed = checkpoint.completed;
    before = checkpoint.before;
    await restoreCheckpoint(checkpoint, trainable());
    post({ type: 'phase', message: `Resuming from the checkpoint of ${checkpoint.member}, epoch ${checkpoint.epoch}` });
  } else {
    await (await openStore()).delete('checkpoints', 'latest');
  }
  const chosen = trainable().filter((m) => settings.members.includes(m.manifest.id));
  if (chosen.length === 0) throw new Error('Choose at least one member to fine-tune.');
  const trainRows = samples.filter((s) => s.split === 'train');
  const validRows = samples.filter((s) => s.split === 'valid');
  if (trainRows.length === 0 || validRows.length === 0) throw new Error(`Training needs faces in both splits (train ${trainRows.length}, valid ${validRows.length}).`);
  control.cancelled = false;
  control.paused = false;
  const started = performance.now();
  const speed = { trainImages: 0, trainSeconds: 0, featureImages: 0, featureSeconds: 0 };
  const all = trainable();
  before ??= await Promise.all(all.map((m) => expectedAges(m, validRows)));
  const after = before.map((b) => [...b]);
  const random = seededRandom(1);

  for (const member of chosen) {
    if (control.cancelled) break;
    const k = all.indexOf(member);
    const id = member.manifest.id;
    if (completed.includes(id)) {
      after[k] = await expectedAges(member, validRows);
      continue;
    }
    let trainSet: TrainingSet;
    let validSet: TrainingSet;
    let trained: tf.LayersModel;
    let frozen: tf.LayersModel;
    if (settings.blocks === 0) {
      // Heads only: backbone features once per face (and its mirror image), then epochs are cheap.
      ({ frozen, trained } = trainableParts(member, 0));
      const featureShape = frozen.outputs[0].shape.slice(1) as number[];
      const features = async (rows: typeof samples, mirror: boolean) => {
        const t0 = performance.now();
        const out: Float32Array[] = [];
        for (let start = 0; start < rows.length && !control.cancelled; start += 16) {
          post({ type: 'phase', message: `${member.manifest.name}: backbone features ${Math.min(start + 16, rows.length)}/${rows.length}${mirror ? ' (mirrored)' : ''}` });
          const x = await inputsOf(member, rows.slice(start, start + 16), () => mirror);
          const f = frozen.predict(x) as tf.Tensor;
          const values = (await f.data()) as Float32Array;
          const width = values.length / f.shape[0];
          for (let r = 0; r < f.shape[0]; r++) out.push(values.slice(r * width, (r + 1) * width));
          tf.dispose([x, f]);
        }
        speed.featureImages += out.length;
        speed.featureSeconds += (performance.now() - t0) / 1000;
        return out;
      };
      const plain = await features(trainRows, false);
      const mirrored = settings.mirror ? await features(trainRows, true) : [];
      const rows = settings.mirror ? [...trainRows, ...trainRows] : trainRows;
      trainSet = featureSet({ features: [...plain, ...mirrored], mean: rows.map((r) => r.mean), std: rows.map((r) => r.std) }, featureShape);
      validSet = featureSet({ features: await features(validRows, false), mean: validRows.map((r) => r.mean), std: validRows.map((r) => r.std) }, featureShape);
    } else {
      ({ frozen, trained } = trainableParts(member, settings.blocks));
      trainSet = cropSet(member, trainRows, { frozen, mirror: () => settings.mirror && random() < 0.5 });
      validSet = cropSet(member, validRows, { frozen });
    }
    if (control.cancelled) break;
    post({ type: 'phase', message: `${member.manifest.name}: training` });
    let epochStarted = performance.now();
    let stepStarted = epochStarted;
    await trainMember(trained, trainSet, validSet, {
      ...DEFAULT_HEAD_TRAINING,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      patience: settings.patience,
      shouldStop: () => control.cancelled,
      onBatch: async (b) => {
        speed.trainImages += Math.min(settings.batchSize, trainSet.mean.length - (b.batch - 1) * settings.batchSize);
        speed.trainSeconds += (performance.now() - stepStarted) / 1000;
        const perBatch = (performance.now() - epochStarted) / 1000 / b.batch;
        post({ type: 'batch', member: id, epoch: b.epoch, batch: b.batch, batches: b.batches, kl: b.kl, etaSeconds: perBatch * ((settings.epochs - b.epoch) * b.batches + b.batches - b.batch) });
        await waitWhilePaused();
        stepStarted = performance.now();
      },
      onEpoch: async (s) => {
        post({ type: 'epoch', member: id, epoch: s.epoch, trainKl: s.trainKl, validKl: s.validKl, validMae: s.validMae, validEpsilon: s.validEpsilon, best: s.best });
        // A closed tab, a lost GPU or a cancel keeps the best weights so far.
        if (s.best) await saveCheckpoint({ member: id, epoch: s.epoch, settings, samples, completed, before: before! }, await memberFiles(member));
        epochStarted = stepStarted = performance.now();
      },
    });
    after[k] = await expectedAges(member, validRows);
    if (!control.cancelled) {
      completed = [...completed, id];
      await saveCheckpoint({ member: id, epoch: 0, settings, samples, completed, before: before! }, await memberFiles(member));
    }
  }
  // A finished run needs no checkpoint; a cancelled one keeps it, to resume later.
  if (!control.cancelled) await (await openStore()).delete('checkpoints', 'latest');

  const validSamples = validRows.map((r, i) => ({ members: after.map((a) => a[i]), mean: r.mean, std: r.std }));
  const weightsBefore = all.map((m) => m.weight);
  const weightsAfter = fitMixtureWeights(validSamples).weights;
  const mix = (ages: number[][], w: number[]) => validRows.map((_, i) => ages.reduce((s, a, k) => s + a[i] * w[k], 0) / w.reduce((x, y) => x + y, 0));
  const rows: ResultRow[] = all.map((m, k) => ({ id: m.manifest.id, name: m.manifest.name, before: metricsOf(before[k], validRows), after: metricsOf(after[k], validRows) }));
  rows.push({ id: 'ensemble', name: 'Ensemble (weights re-fitted on valid)', before: metricsOf(mix(before, weightsBefore), validRows), after: metricsOf(mix(after, weightsAfter), validRows) });
  lastResult = { weights: weightsAfter, rows, settings, trainImages: trainRows.length, validImages: validRows.length };
  const seconds = (performance.now() - started) / 1000;
  post({
    type: 'trained',
    rows,
    weightsBefore,
    weightsAfter,
    cancelled: control.cancelled,
    seconds,
    trainImagesPerSecond: speed.trainImages / Math.max(1e-9, speed.trainSeconds),
    featureImagesPerSecond: speed.featureImages ? speed.featureImages / speed.featureSeconds : undefined,
  });
}

async function filesOf(name: string) {
  if (!lastResult) throw new Error('Train first: there is nothing to save yet.');
  const record = { settings: lastResult.settings, trainImages: lastResult.trainImages, validImages: lastResult.validImages, before: lastResult.rows.map((r) => ({ id: r.id, ...r.before })), after: lastResult.rows.map((r) => ({ id: r.id, ...r.after })) };
  return ensembleFiles(name, trainable(), lastResult.weights, record, trainedModelCard(name, lastResult));
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  // Controls act at once, between training steps.
  if (request.type === 'pause') return void (control.paused = true);
  if (request.type === 'resume' || request.type === 'cancel') {
    if (request.type === 'cancel') control.cancelled = true;
    control.paused = false;
    control.wake.splice(0).forEach((wake) => wake());
    return;
  }
  queue = queue.then(async () => {
    try {
      if (request.type === 'init') await init(request);
      else if (request.type === 'preprocess') await preprocess(request.samples);
      else if (request.type === 'train') await train(request.settings, request.resume);
      else if (request.type === 'save') {
        await saveEnsemble(request.name, await filesOf(request.name), 'training');
        post({ type: 'saved', name: request.name });
      } else if (request.type === 'export') {
        const zip = zipEnsemble(await filesOf(request.name));
        post({ type: 'exported', name: request.name, zip }, [zip.buffer]);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const during = request.type === 'init' ? 'init' : request.type === 'preprocess' ? 'preprocess' : request.type === 'train' ? 'train' : 'save';
      post({ type: 'error', message: describeFailure(message), during });
    }
  });
};

/** GPU failures in words a researcher can act on. */
function describeFailure(message: string): string {
  if (/out of memory|OOM|allocation/i.test(message)) return `The GPU ran out of memory (${message}). Lower the batch size or train heads only, then start again.`;
  if (/device (was )?lost|DeviceLost/i.test(message)) return `The GPU device was lost (${message}). Reload the page; training can start again from the preprocessed faces.`;
  return message;
}
