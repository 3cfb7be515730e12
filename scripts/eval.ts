/**
 * `npm run eval -- --data DIR [--labels FILE] [--models default|PATH] [--split S] [--limit N] [--json OUT [--distributions]]`
 *
 * Runs exactly the app's pipeline on a labelled face folder: the production build is served and
 * its lab page (same worker, MediaPipe landmarks, alignment, members and mixing as the main page)
 * is driven in headless Chromium on the wasm backend. Prints, per member and for the ensemble:
 * n, faces not found, MAE, ε (when the labels have stds: ChaLearn's official formula with the
 * annotators' std as given, and beside it the std floored at 1 year), CS(5) and seconds per image;
 * then, per age band of the label (0-12, 13-19, 20-29 … 60-69, 70+), n, MAE and bias (mean signed
 * error) of the ensemble and each member. Each prediction is the age the app shows
 * (the ensemble's manifest picks its distribution's expected age or median); two more rows score
 * the ensemble on each statistic. --json writes all of it plus every image's predictions.
 *
 * Labels: FILE, else DIR/labels.csv, in the agedist (file,age_mean,age_std) or ChaLearn
 * (image,mean,stdv) format; without a CSV, UTKFace file names in DIR. A face that is not found
 * counts as a miss: ε = 1 (as ChaLearn scores a missing prediction), a CS(5) failure, and is
 * listed; MAE is over the faces found.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { score, scoreByBand, type BandScores, type ScoredFace, type Scores } from '../src/age/metrics';
import { labelsFromUtkFaceNames, parseLabelCsv, type ParsedLabels } from '../src/data/labels';
import type { EvalImage } from './evalRun';
import { centralFace, openLab, serveBuild } from './lab';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    labels: { type: 'string' },
    /** "default" (the app's models/ensemble.json) or an ensemble manifest path under public/. */
    models: { type: 'string', default: 'default' },
    split: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'string' },
    /** Also write each face's distributions (ensemble and members) into --json. */
    distributions: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});

/** The ensemble scored on each statistic its manifest can choose as the age (AgeEstimateKind), one of them the headline's. */
const EXPECTED_ROW = 'ensemble, expected age';
const MEDIAN_ROW = 'ensemble, median';

async function loadLabels(dir: string): Promise<ParsedLabels> {
  const csv = values.labels ?? join(dir, 'labels.csv');
  if (values.labels || existsSync(csv)) return parseLabelCsv(await readFile(csv, 'utf8'));
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.(jpe?g|png|webp)$/i.test(f));
  return labelsFromUtkFaceNames(files);
}

function formatRow(name: string, s: Scores, secondsPerImage: number): string {
  const eps = (e: number | undefined) => (e === undefined ? '—' : e.toFixed(4));
  return `| ${name} | ${s.n} | ${s.missed} | ${s.mae.toFixed(3)} | ${eps(s.epsilon)} | ${eps(s.epsilonFloored)} | ${s.cs5.toFixed(3)} | ${secondsPerImage.toFixed(3)} |`;
}

/** One row per band: n, then MAE and bias of each model in turn. */
function bandTable(byModel: readonly { name: string; bands: BandScores[] }[]): string {
  const signed = (x: number) => (Number.isNaN(x) ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(2)}`);
  const head = `| band | n | ${byModel.map((m) => `${m.name} MAE | bias`).join(' | ')} |`;
  const rule = `|---|---|${byModel.map(() => '---|---|').join('')}`;
  const rows = byModel[0].bands.map(
    (b, i) => `| ${b.band} | ${b.n} | ${byModel.map((m) => `${Number.isNaN(m.bands[i].mae) ? '—' : m.bands[i].mae.toFixed(2)} | ${signed(m.bands[i].bias)}`).join(' | ')} |`,
  );
  return [head, rule, ...rows].join('\n');
}

async function main() {
  if (!values.data) throw new Error('--data DIR is required');
  const dir = values.data;
  const labels = await loadLabels(dir);
  let rows = labels.rows.filter((r) => !values.split || r.split === values.split);
  if (values.limit) rows = rows.slice(0, Number(values.limit));
  for (const p of labels.problems) process.stderr.write(`label line ${p.line}: ${p.reason} (${p.source})\n`);
  if (rows.length === 0) throw new Error('no labelled images to evaluate');

  const served = await serveBuild({ skipBuild: values['skip-build'] });
  const perModel = new Map<string, ScoredFace[]>();
  const msPerModel = new Map<string, number>();
  const missed: string[] = [];
  /** Per image, for fitting ensemble weights afterwards (scripts/fit-ensemble.ts). */
  const images: EvalImage[] = [];
  const t0 = Date.now();
  try {
    const lab = await openLab(served, { ensemble: values.models === 'default' ? undefined : values.models });
    for (const [i, row] of rows.entries()) {
      const truth = { mean: row.mean, std: row.std };
      let result;
      try {
        result = await lab.estimateFile(join(dir, row.file), 'video');
      } catch (error) {
        process.stderr.write(`${row.file}: ${(error as Error).message}\n`);
      }
      const face = centralFace(result);
      if (!face) missed.push(row.file);
      const add = (who: string, predicted: number | undefined, ms = 0) => {
        const list = perModel.get(who) ?? [];
        list.push({ predicted, ...truth });
        perModel.set(who, list);
        msPerModel.set(who, (msPerModel.get(who) ?? 0) + ms);
      };
      /** The ensemble's or a member's output on the central face, if one was found. */
      const outputOf = (id: string) => (id === 'ensemble' ? face : face?.members.find((m) => m.id === id));
      const ids = ['ensemble', ...lab.members];
      add('ensemble', face?.age, result?.timings.totalMs);
      for (const id of lab.members) add(id, outputOf(id)?.age, result?.timings.memberMs[id]);
      add(EXPECTED_ROW, face?.mean);
      add(MEDIAN_ROW, face?.median);
      images.push({
        file: row.file,
        mean: row.mean,
        std: row.std,
        predicted: Object.fromEntries(ids.map((id) => [id, outputOf(id)?.age ?? null])),
        expected: Object.fromEntries(ids.map((id) => [id, outputOf(id)?.mean ?? null])),
        median: Object.fromEntries(ids.map((id) => [id, outputOf(id)?.median ?? null])),
        ...(values.distributions && {
          distributions: Object.fromEntries(ids.map((id) => [id, outputOf(id)?.distribution.map((p) => Math.round(p * 1e4) / 1e4) ?? null])),
        }),
      });
      if (i % 100 === 0) process.stderr.write(`${i}/${rows.length}\n`);
    }
  } finally {
    await served.close();
  }

  const report = [...perModel].map(([name, faces]) => ({
    name,
    ...score(faces),
    secondsPerImage: (msPerModel.get(name) ?? 0) / 1000 / faces.length,
    bands: scoreByBand(faces),
  }));
  console.log(`\n${values.data}: ${rows.length} images (${labels.format} labels${values.split ? `, split ${values.split}` : ''}), ${labels.problems.length} bad label rows, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log('\n| model | n | not found | MAE | ε | ε, std ≥ 1 | CS(5) | s/image |\n|---|---|---|---|---|---|---|---|');
  for (const r of report) console.log(formatRow(r.name, r, r.name === EXPECTED_ROW || r.name === MEDIAN_ROW ? report[0].secondsPerImage : r.secondsPerImage));
  console.log(
    "\nMAE over faces found; ε and CS(5) count a face not found as a miss. ε: ChaLearn LAP's formula with the annotators' std as given (the official metric); ε, std ≥ 1: the std floored at 1 year first. Each model is scored on the age the app shows (the expected age, or the median where the ensemble's manifest says so); the last two rows score the ensemble on each. s/image: the ensemble row is the whole pipeline (landmarks, alignment, members); member rows are that member alone.",
  );
  console.log(`\nPer age band of the label (MAE and bias over the faces found; bias = predicted − label, negative is too young):\n\n${bandTable(report)}`);
  if (missed.length) console.log(`\nno face found (${missed.length}): ${missed.join(' ')}`);
  if (values.json) await writeFile(values.json, JSON.stringify({ data: values.data, models: values.models, split: values.split, report, missed, labelProblems: labels.problems, images }, null, 2));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
