/**
 * `npm run bench -- --stages [--runs N]`: the worker's stage times per photo on the lab page (the
 * app's pipeline without its UI, so nothing on the page's thread competes with the workers), many
 * runs per photo, with each member's own time: where a photo's time goes, and whether the members
 * that compute side by side finish together.
 */
import { FIXTURES, median } from './benchShared';
import { openLab, type LabResult, type Served } from './lab';

const WARM_UP = 2;

export async function labStages(served: Served, photos: readonly (readonly [string, number])[], runs: number, backend: string): Promise<string> {
  const lab = await openLab(served, { backend });
  const rows: string[] = [];
  let members: string[] = [];
  for (const [file, faces] of photos) {
    const timings: LabResult['timings'][] = [];
    for (let i = 0; i < WARM_UP + runs; i++) {
      process.stderr.write(`${file} ${i + 1}/${WARM_UP + runs}…\n`);
      const result = await lab.estimateFile(`${FIXTURES}${file}`);
      if (result.faces.length !== faces) throw new Error(`${file}: expected ${faces} faces, found ${result.faces.length}`);
      if (i >= WARM_UP) timings.push(result.timings);
    }
    members = Object.keys(timings[0].memberMs);
    const m = (pick: (t: LabResult['timings']) => number) => median(timings.map(pick));
    rows.push(
      [file, faces, m((t) => t.landmarksMs).toFixed(0), m((t) => t.alignMs).toFixed(1), ...members.map((id) => m((t) => t.memberMs[id]).toFixed(0)), m((t) => t.ensembleMs).toFixed(0), m((t) => t.totalMs).toFixed(0), Math.max(...timings.map((t) => t.totalMs)).toFixed(0)].join(' | '),
    );
  }
  await lab.page.close();
  return `### Stage times on the lab page (median of ${runs} runs per photo after ${WARM_UP} warm-up runs; ms)

Measured in the inference worker, as \`--photos\` does, on lab.html (no UI). Each member's time runs
from the ensemble handing it its first crops to its last distributions back (for a member in a
member worker: the messages there and back included). A member in a member worker gets each face
as soon as its landmarks are final, so its time starts during the landmark step; the member in the
inference worker runs on all faces after it, so the ensemble step (after the landmark step and the
alignment) is about that member's time or the rest of the other's. The slowest run shows the
spread the median hides.

| photo | faces | landmarks | alignment | ${members.join(' | ')} | ensemble | total | slowest total |
|---|---|---|---|${members.map(() => '---|').join('')}---|---|---|
${rows.map((r) => `| ${r} |`).join('\n')}`;
}
