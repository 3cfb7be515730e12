/** `--collect`: every image exactly once, from results that may repeat (retried jobs, reruns). */
import { isError, type ResultLine } from './result';

/**
 * By file: the first result wins, except that a result with faces replaces an earlier error (a
 * retry that succeeded). Sorted by file name, so the merged file does not depend on job order.
 */
export function mergeResults(lines: Iterable<ResultLine>): ResultLine[] {
  const byFile = new Map<string, ResultLine>();
  for (const line of lines) {
    if (!line || typeof line.file !== 'string') continue;
    const had = byFile.get(line.file);
    if (!had || (isError(had) && !isError(line))) byFile.set(line.file, line);
  }
  return [...byFile.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
