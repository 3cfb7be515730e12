/** Cross-validation folds for the choices made on held-out faces (tailCalibration.ts, estimateChoice.ts). Pure. */

/**
 * Folds stratified by label: faces sorted by label (then by index) are dealt to the folds in turn,
 * so each fold holds its share of the few oldest faces.
 */
export function stratifiedFolds(labels: readonly number[], folds: number): number[] {
  const order = labels.map((_, i) => i).sort((a, b) => labels[a] - labels[b] || a - b);
  const fold = new Array<number>(labels.length);
  order.forEach((i, rank) => (fold[i] = rank % folds));
  return fold;
}
