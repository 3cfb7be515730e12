/**
 * Makes e2e/fixtures/train-set: faces cut from the MIT-licensed fixture photos (sample1-6) with
 * made-up ages, so the training page's e2e tests exercise the mechanics on a committed dataset.
 * Faces are found by the built app (scripts/lab.ts) and cut with a margin by ffmpeg.
 *
 *   npx tsx scripts/make-train-fixture.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openLab, serveBuild } from './lab';

const OUT = 'e2e/fixtures/train-set';

async function main() {
  const served = await serveBuild({ skipBuild: process.argv.includes('--skip-build') });
  const rows: string[] = ['file,age_mean,age_std,split'];
  try {
    const lab = await openLab(served);
    await mkdir(join(OUT, 'faces'), { recursive: true });
    let n = 0;
    for (let k = 1; k <= 6 && n < 12; k++) {
      const photo = `e2e/fixtures/sample${k}.jpg`;
      const found = await lab.detectFile(photo, 'photo');
      for (const face of found?.faces ?? []) {
        if (n >= 12) break;
        const side = Math.round(Math.max(face.box.width, face.box.height) * 1.8);
        const x = Math.max(0, Math.round(face.box.x + face.box.width / 2 - side / 2));
        const y = Math.max(0, Math.round(face.box.y + face.box.height / 2 - side / 2));
        const file = `faces/face${String(++n).padStart(2, '0')}.jpg`;
        execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', photo, '-vf', `crop=${side}:${side}:${x}:${y},scale=160:160`, '-q:v', '3', join(OUT, file)]);
        // Made-up labels: the test checks mechanics, not accuracy. Every third face validates.
        rows.push(`${file},${20 + ((n * 7) % 45)},${(2 + (n % 4)).toFixed(1)},${n % 3 === 0 ? 'valid' : 'train'}`);
      }
    }
  } finally {
    await served.close();
  }
  await writeFile(join(OUT, 'labels.csv'), rows.join('\n') + '\n');
  console.log(`wrote ${rows.length - 1} faces to ${OUT}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
