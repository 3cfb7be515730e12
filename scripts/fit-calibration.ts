/**
 * Fits the ensemble's age calibration (src/age/calibration.ts) on the per-image predictions of an
 * `npm run eval -- --json` run on TRAINING faces, chooses its strength by cross-validation on them,
 * and optionally writes it into an ensemble manifest:
 *
 *   npx tsx scripts/fit-calibration.ts --fit train.json[,more.json] [--check valid.json[,more.json]] [--members a:0.5,b:0.5] [--folds 5] [--write public/models/ensemble.json]
 *   npx tsx scripts/fit-calibration.ts --estimate valid.json [--write public/models/ensemble.json]
 *   npx tsx scripts/fit-calibration.ts --tail valid.json [--folds 5] [--write public/models/ensemble.json]
 *
 * --estimate chooses the statistic of the distributions that is the age shown (expected age or
 * median, src/age/estimateChoice.ts) on held-out faces, with a 2-fold check, and writes it into
 * the manifest. Run it before --tail: the tail is fitted on that statistic.
 *
 * --tail chooses a tail stretch (src/age/tailCalibration.ts) on HELD-OUT faces, an eval run made
 * with the manifest's current calibration, prints the rule's nested out-of-fold estimate (each fold
 * stretched by the choice on the others) and composes the stretch into the manifest's knots.
 *
 * --members fits the calibration of a mixture of members from their predictions in the runs
 * (several runs over the same images are merged by file) instead of the runs' own ensemble.
 *
 * For each candidate strength (0 = none … 1 = the full inverse of the bias curve) it prints the
 * out-of-fold ε and per-band bias on the fitting faces. The rule: the weakest strength whose
 * out-of-fold bias is within ±1 year in every band from 40 up (train predictions are less shrunk
 * than new faces', so the margin is tighter than the ±2 asked for), else the one with the smallest
 * worst 40+ bias. --check prints the same for other faces (e.g. valid) for information only: it
 * does not choose anything. Works on expected ages; `npm run eval` with the written manifest gives
 * the exact numbers (the app moves whole distributions).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_CALIBRATION_FIT, calibratedAge, crossValidatedAges, fitCalibration, type CalibrationFit, type CalibrationSample } from '../src/age/calibration';
import { score, scoreByBand, type ScoredFace } from '../src/age/metrics';
import { DEFAULT_TAIL_RULE, chooseTail, composeTail, crossValidatedTail, stretchedAge, type TailSample } from '../src/age/tailCalibration';
import type { AgeEstimateKind } from '../src/age/distribution';
import { crossValidatedEstimate } from '../src/age/estimateChoice';
import { readEvalRuns, withMixture, withStatistic, type EvalRun } from './evalRun';

const { values } = parseArgs({
  options: {
    fit: { type: 'string' },
    check: { type: 'string' },
    folds: { type: 'string', default: '5' },
    write: { type: 'string' },
    members: { type: 'string' },
    tail: { type: 'string' },
    estimate: { type: 'string' },
  },
});

const STRENGTHS = [0, 0.25, 0.5, 0.75, 1, 1.25];
const OLD_BANDS = ['40-49', '50-59', '60-69', '70+'];

/** ScoredFaces with the ensemble's prediction replaced where found (misses stay misses). */
function faces(run: EvalRun, predictedFor: (i: number, p: number) => number): ScoredFace[] {
  return run.images.map((im, i) => {
    const p = im.predicted.ensemble;
    return { mean: im.mean, std: im.std, predicted: p === null ? undefined : predictedFor(i, p) };
  });
}

function row(name: string, scored: ScoredFace[]): { line: string; worstOld: number } {
  const s = score(scored);
  const bands = scoreByBand(scored);
  const worstOld = Math.max(...bands.filter((b) => OLD_BANDS.includes(b.band)).map((b) => Math.abs(b.bias)));
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  return { line: `| ${name} | ${s.epsilon?.toFixed(4)} | ${s.epsilonFloored?.toFixed(4)} | ${s.mae.toFixed(3)} | ${bands.map((b) => signed(b.bias)).join(' | ')} |`, worstOld };
}

function header(bandsOf: ScoredFace[]): string {
  const bands = scoreByBand(bandsOf);
  return `| strength | ε | ε, std ≥ 1 | MAE | ${bands.map((b) => `${b.band} (n ${b.n})`).join(' | ')} |\n|---|---|---|---|${bands.map(() => '---|').join('')}`;
}

/** The manifest an eval run was made with, as a path (eval's --models: "default" or a path under public/). */
const manifestOf = (run: EvalRun) => (!run.models || run.models === 'default' ? 'public/models/ensemble.json' : `public/${run.models}`);

/** The manifest as JSON, each knot on one line as `[from, to]`. */
const manifestText = (manifest: unknown) => JSON.stringify(manifest, null, 2).replace(/\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]/g, '[$1, $2]') + '\n';

type Manifest = { estimate?: AgeEstimateKind; calibration?: { knots: [number, number][]; fittedOn?: string } };

/** --write's manifest, which must be the one `run` was made with: the choices build on what it held then. */
async function manifestFor(run: EvalRun, path: string): Promise<Manifest> {
  if (path !== manifestOf(run)) throw new Error(`--write ${path}: the run was made with ${manifestOf(run)}`);
  return JSON.parse(await readFile(path, 'utf8')) as Manifest;
}

async function chooseEstimateOn(path: string) {
  const run = await readEvalRuns(path);
  const samples = run.images.map((im) => ({ mean: im.mean, std: im.std!, expected: im.expected?.ensemble ?? undefined, median: im.median?.ensemble ?? undefined }));
  if (samples.some((s) => s.std === undefined)) throw new Error('--estimate needs labels with stds');
  const choice = crossValidatedEstimate(samples, 2);
  console.log(`the age shown, on ${run.data} ${run.split ?? ''} (${manifestOf(run)}): official ε with the expected age ${choice.epsilon.mean.toFixed(4)}, with the median ${choice.epsilon.median.toFixed(4)}`);
  console.log(`2-fold (halves stratified by label): ${choice.folds.map((f, k) => `half ${k + 1} scored with the ${f.chosen} (chosen on the other half): ${f.epsilon.toFixed(4)}`).join('; ')}; cross-validated ${choice.crossValidated.toFixed(4)}`);
  console.log(`chosen: ${choice.chosen}`);
  if (values.write) {
    const manifest = await manifestFor(run, values.write);
    if (choice.chosen === 'median') manifest.estimate = 'median';
    else delete manifest.estimate;
    await writeFile(values.write, manifestText(manifest));
    console.log(`wrote "estimate" into ${values.write}`);
  }
}

async function fitTail(path: string, folds: number) {
  const raw = await readEvalRuns(path);
  const target = values.write;
  const written = target ? await manifestFor(raw, target) : undefined;
  // The tail stretches the age the manifest shows: fit it on that statistic.
  const run = written ? withStatistic(raw, written.estimate ?? 'mean') : raw;
  const found = run.images.flatMap((im, i) => (im.predicted.ensemble === null || im.std === undefined ? [] : [{ i, sample: { predicted: im.predicted.ensemble, mean: im.mean, std: im.std } }]));
  const samples: TailSample[] = found.map((f) => f.sample);
  const chosen = chooseTail(samples);
  const { ages, chosen: perFold } = crossValidatedTail(samples, DEFAULT_TAIL_RULE, folds);
  const byImage = new Map(found.map((f, k) => [f.i, ages[k]]));
  console.log(`tail stretch on ${run.data} ${run.split ?? ''} (${manifestOf(run)}): ${samples.length} faces with a face found and a std\n`);
  console.log(header(faces(run, (_, p) => p)).replace('strength', 'stretch'));
  console.log(row('none', faces(run, (_, p) => p)).line);
  console.log(row(`nested ${folds}-fold out-of-fold`, faces(run, (i) => byImage.get(i)!)).line);
  console.log(row(`knee ${chosen.knee}, slope ${chosen.slope} on all (in-sample)`, faces(run, (_, p) => stretchedAge(p, chosen))).line);
  console.log(`\nper fold: ${perFold.map((t) => `knee ${t.knee} slope ${t.slope}`).join('; ')}`);
  if (target && written) {
    const manifest = written;
    const knots = composeTail(manifest.calibration?.knots ?? [], chosen);
    const note = `then a tail stretch (knee ${chosen.knee}, slope ${chosen.slope}) chosen on the ${run.split ?? ''} faces of ${run.data} by the rule of src/age/tailCalibration.ts`;
    manifest.calibration = { knots, fittedOn: manifest.calibration?.fittedOn ? `${manifest.calibration.fittedOn}; ${note}` : note };
    await writeFile(target, manifestText(manifest));
    console.log(`\nwrote the stretched calibration into ${target}`);
  }
}

async function main() {
  if (values.estimate) return chooseEstimateOn(values.estimate);
  if (values.tail) return fitTail(values.tail, Number(values.folds));
  if (!values.fit) throw new Error('--fit FILE (npm run eval -- --json on training faces) is required');
  const read = async (paths: string) => (values.members ? withMixture(await readEvalRuns(paths), values.members) : readEvalRuns(paths));
  const run = await read(values.fit);
  const folds = Number(values.folds);
  const found = run.images.flatMap((im, i) => (im.predicted.ensemble === null ? [] : [{ i, sample: { predicted: im.predicted.ensemble, mean: im.mean } }]));
  const samples: CalibrationSample[] = found.map((f) => f.sample);
  console.log(`fit on ${run.data} ${run.split ?? ''}: ${run.images.length} images, ${samples.length} with a face; ${folds}-fold out-of-fold bias per band (predicted − label)\n`);
  console.log(header(faces(run, (_, p) => p)));
  let chosen: { fit: CalibrationFit; worstOld: number } | undefined;
  let smallest: { fit: CalibrationFit; worstOld: number } | undefined;
  for (const strength of STRENGTHS) {
    const fit = { ...DEFAULT_CALIBRATION_FIT, strength };
    const cv = crossValidatedAges(samples, fit, folds);
    const byImage = new Map(found.map((f, k) => [f.i, cv[k]]));
    const { line, worstOld } = row(String(strength), faces(run, (i) => byImage.get(i)!));
    console.log(line);
    if (!chosen && worstOld <= 1) chosen = { fit, worstOld };
    if (!smallest || worstOld < smallest.worstOld) smallest = { fit, worstOld };
  }
  const pick = (chosen ?? smallest)!.fit;
  const knots = fitCalibration(samples, pick);
  console.log(`\nchosen strength ${pick.strength}; fitted on all ${samples.length} faces: knots ${JSON.stringify(knots)}`);

  if (values.check) {
    const other = await read(values.check);
    console.log(`\ncheck on ${other.data} ${other.split ?? ''} (information only, nothing chosen here):\n`);
    console.log(header(faces(other, (_, p) => p)));
    console.log(row('none', faces(other, (_, p) => p)).line);
    console.log(row(String(pick.strength), faces(other, (_, p) => calibratedAge(p, knots))).line);
  }

  if (values.write) {
    const manifest = JSON.parse(await readFile(values.write, 'utf8')) as Record<string, unknown>;
    manifest.calibration = { knots, fittedOn: `${run.split ?? 'the'} faces of ${run.data}, strength ${pick.strength} chosen by ${folds}-fold cross-validation on them (scripts/fit-calibration.ts)` };
    await writeFile(values.write, manifestText(manifest));
    console.log(`\nwrote the calibration into ${values.write}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
