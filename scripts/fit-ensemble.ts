/**
 * Fits the ensemble's mixture weights from an `npm run eval -- --json` run over an ensemble that
 * holds every candidate member (their per-image expected ages are in the JSON):
 *
 *   npx tsx scripts/fit-ensemble.ts --eval valid.json[,more.json] [--members a,b] [--write public/models/ensemble.json]
 *
 * Several eval runs over the same images (e.g. one per pair of members) are merged by file.
 *
 * Prints each member, the uniform mixture and the fitted mixture (ε on the data it was fitted on,
 * and 2-fold cross-validated). A face that was not found counts as ε = 1 for every variant.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MIN_STD } from '../src/age/distribution';
import { crossValidatedEpsilon, fitMixtureWeights, mixtureEpsilon, type FitSample } from '../src/age/ensembleFit';
import { readEvalRuns, withExpectedAges } from './evalRun';

const { values } = parseArgs({ options: { eval: { type: 'string' }, members: { type: 'string' }, write: { type: 'string' }, name: { type: 'string', default: 'default' } } });

async function main() {
  if (!values.eval) throw new Error('--eval FILE (from npm run eval -- --json) is required');
  const run = withExpectedAges(await readEvalRuns(values.eval));
  const ids = values.members?.split(',') ?? Object.keys(run.images[0].predicted).filter((k) => k !== 'ensemble');
  const found = run.images.filter((im) => ids.every((id) => im.predicted[id] !== null));
  const missed = run.images.length - found.length;
  const samples: FitSample[] = found.map((im) => ({ members: ids.map((id) => im.predicted[id]!), mean: im.mean, std: Math.max(im.std ?? MIN_STD, MIN_STD) }));
  // Misses score 1 whatever the weights: fold them into every mean.
  const overall = (epsilonOnFound: number) => (epsilonOnFound * found.length + missed) / run.images.length;
  const rows: [string, string, number][] = ids.map((id, k) => [id, '—', overall(mixtureEpsilon(samples, ids.map((_, j) => (j === k ? 1 : 0))))]);
  rows.push(['uniform mixture', ids.map(() => (1 / ids.length).toFixed(2)).join(' / '), overall(mixtureEpsilon(samples, ids.map(() => 1)))]);
  const fitted = fitMixtureWeights(samples);
  rows.push(['fitted mixture (on these faces)', fitted.weights.map((w) => w.toFixed(2)).join(' / '), overall(fitted.epsilon)]);
  rows.push(['fitted mixture, 2-fold cross-validated', 'refitted per fold', overall(crossValidatedEpsilon(samples))]);
  console.log(`${run.data} ${run.split ?? ''}: ${run.images.length} images, ${missed} without a face (ε = 1)\n`);
  console.log('| variant | weights | ε |\n|---|---|---|');
  for (const [name, w, e] of rows) console.log(`| ${name} | ${w} | ${e.toFixed(4)} |`);
  if (values.write) {
    const members = ids.map((id, k) => ({ path: `${id}/member.json`, weight: fitted.weights[k] })).filter((m) => m.weight > 0);
    const manifest = {
      name: values.name,
      // The date of the fit: exported results name the version of the models that made them.
      version: new Date().toISOString().slice(0, 10).replaceAll('-', '.'),
      description: `Weighted mixture of ${ids.join(', ')}; weights minimise mean ε on ${run.split ?? 'the evaluated'} images of ${run.data} (scripts/fit-ensemble.ts, docs/RESULTS.md).`,
      members,
    };
    await writeFile(values.write, JSON.stringify(manifest, null, 2) + '\n');
    console.log(`\nwrote ${values.write}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
