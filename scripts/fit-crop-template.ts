/**
 * Fits the members' alignment template to the crops they were measured on.
 *
 * The FaceRes members score best on APPA-REAL's 256-px face crops resized whole to 224
 * (docs/MEMBERS.md). Running the app's own landmarks on those crops and averaging where the five
 * points fall gives the template that makes the app's aligned crops look like them.
 *
 *   npx tsx scripts/fit-crop-template.ts --data ../shared/data/appa-real [--limit 400] [--scale 1.2] [--write]
 *
 * Uses the train split only. --scale zooms the mean template about its centre (>1: tighter crop);
 * 1.2 was chosen by `npm run eval` on train images (docs/MEMBERS.md). --write stores the
 * template in each FaceRes member.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseLabelCsv } from '../src/data/labels';
import { centralFace, openLab, serveBuild } from './lab';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    limit: { type: 'string', default: '400' },
    scale: { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
  },
});
if (!values.data) throw new Error('--data DIR (with labels.csv) is required');

const MEMBERS = ['public/models/faceres/member.json', 'public/models/faceres-deep/member.json'];

async function main() {
  const { rows } = parseLabelCsv(await readFile(join(values.data!, 'labels.csv'), 'utf8'));
  const train = rows.filter((r) => r.split === 'train').slice(0, Number(values.limit));
  const served = await serveBuild();
  try {
    const lab = await openLab(served);
    const sums = Array.from({ length: 5 }, () => [0, 0]);
    const all: number[][][] = [];
    let used = 0, skipped = 0;
    for (const [i, row] of train.entries()) {
      const result = await lab.detectFile(join(values.data!, row.file), 'video');
      const face = centralFace(result);
      if (!face) {
        skipped++;
        continue;
      }
      const pts = face.points5.map(([x, y]) => [x / result.width, y / result.height]);
      all.push(pts);
      pts.forEach(([x, y], k) => {
        sums[k][0] += x;
        sums[k][1] += y;
      });
      used++;
      if (i % 50 === 0) process.stderr.write(`${i}/${train.length}\n`);
    }
    const mean = sums.map(([x, y]) => [x / used, y / used]);
    const scale = Number(values.scale);
    const [cx, cy] = [mean.reduce((s, p) => s + p[0], 0) / 5, mean.reduce((s, p) => s + p[1], 0) / 5];
    const template = mean.map(([x, y]) => [Number((cx + (x - cx) * scale).toFixed(4)), Number((cy + (y - cy) * scale).toFixed(4))]);
    const spread = mean.map(([mx, my], k) => Math.sqrt(all.reduce((s, p) => s + (p[k][0] - mx) ** 2 + (p[k][1] - my) ** 2, 0) / used).toFixed(4));
    console.log(JSON.stringify({ images: train.length, used, noFace: skipped, meanPoints: mean, scale, template, rmsSpread: spread }, null, 2));
    if (values.write) {
      for (const path of MEMBERS) {
        const member = JSON.parse(await readFile(path, 'utf8'));
        member.input.crop = {
          points: template,
          fittedOn: `mean of APPA-REAL train, first ${train.length} crops (${used} with a face), zoomed ${scale}x: scripts/fit-crop-template.ts`,
        };
        await writeFile(path, JSON.stringify(member, null, 2) + '\n');
      }
    }
  } finally {
    await served.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
