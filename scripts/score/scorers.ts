/**
 * The scorers behind `npm run score` and `npm run score-worker`: N pages of the app's lab page
 * (scripts/lab.ts: one production build, one preview server, one Chromium) = N pipelines, each the
 * main page's own worker pipeline. AGEDIST_FAKE_SCORER=<ms> swaps in src/score/fake.ts (tests).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fakeScorer } from '../../src/score/fake';
import { checkImageBytes, errorLine, resultLine } from '../../src/score/result';
import type { Scorer } from '../../src/score/runner';
import { openLab, serveBuild, type Lab } from '../lab';

/**
 * Pipelines for this machine by default: a page already keeps two cores busy (its second ensemble
 * member runs in a member worker beside the first), so one page per two cores (docs/BENCHMARKS.md:
 * on 2 cores, 2 pages were no faster than 1).
 */
export function defaultPipelines(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export interface ScorerOptions {
  pipelines: number;
  /** "default" or an ensemble manifest under public/ (as for npm run eval). */
  models: string;
  distribution: boolean;
  /** Member workers inside each page (the app's default: members side by side); default on. */
  memberWorkers?: boolean;
  skipBuild?: boolean;
}

/** A pipeline that does not answer in this time is taken to be stuck: its page is replaced. */
const IMAGE_TIMEOUT_MS = 120_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from the pipeline in ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function openScorers(options: ScorerOptions): Promise<{ scorers: Scorer[]; describe: string; close: () => Promise<void> }> {
  const fakeMs = process.env.AGEDIST_FAKE_SCORER;
  if (fakeMs !== undefined) {
    const scorer = fakeScorer(Number(fakeMs) || 0, { distribution: options.distribution });
    return { scorers: Array.from({ length: options.pipelines }, () => scorer), describe: `FAKE scorer (AGEDIST_FAKE_SCORER=${fakeMs})`, close: async () => {} };
  }
  const served = await serveBuild({ skipBuild: options.skipBuild });
  const memberWorkers = options.memberWorkers ?? true;
  const labOptions = { ensemble: options.models === 'default' ? undefined : options.models, memberWorkers };
  try {
    const labs = await Promise.all(Array.from({ length: options.pipelines }, () => openLab(served, labOptions)));
    const scorers = labs.map((first): Scorer => {
      let lab: Lab = first;
      return async ({ path, file }) => {
        let bytes: Buffer;
        try {
          bytes = await readFile(path);
        } catch (error) {
          return errorLine(file, `cannot read: ${(error as Error).message}`);
        }
        const problem = checkImageBytes(bytes);
        if (problem) return errorLine(file, problem);
        try {
          return resultLine(file, await withTimeout(lab.estimateBytes(bytes, 'photo'), IMAGE_TIMEOUT_MS), { distribution: options.distribution });
        } catch (error) {
          const message = (error as Error).message;
          const decode = /cannot decode image: [^\n]*/.exec(message);
          if (decode) return errorLine(file, decode[0]);
          // The page crashed or hung: a fresh one for the next image; this one is a failure.
          await lab.page.close().catch(() => {});
          lab = await openLab(served, labOptions);
          throw new Error(`pipeline failed: ${message.split('\n')[0]}`);
        }
      };
    });
    return {
      scorers,
      describe: `app pipeline (lab.html, ${labs[0].members.join(' + ')}), ${options.pipelines} page(s), member workers ${memberWorkers ? 'on' : 'off'}`,
      close: served.close,
    };
  } catch (error) {
    await served.close();
    throw error;
  }
}
