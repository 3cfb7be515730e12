/**
 * Age-balanced sampling for training. APPA-REAL's train split has 40× more faces in their twenties
 * than over 70, so a model trained on it as it is regresses the rare ages toward the middle (older
 * faces come out too young). Drawing each epoch's rows with weights ∝ (faces in the row's age bin)^-α
 * evens that out: α = 0 is the data as it is, α = 1 every bin equally often.
 */
import { seededRandom, shuffleInPlace } from '../../util/random';

/** Sampling weight per row: (rows in its `binYears` age bin)^-alpha, scaled to mean 1. */
export function ageBalanceWeights(means: readonly number[], alpha: number, binYears = 5): number[] {
  if (means.length === 0) return [];
  const bin = (age: number) => Math.floor(Math.max(0, age) / binYears);
  const counts = new Map<number, number>();
  for (const m of means) counts.set(bin(m), (counts.get(bin(m)) ?? 0) + 1);
  const raw = means.map((m) => counts.get(bin(m))! ** -alpha);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((w) => w / mean);
}

/**
 * One epoch's row order, about as many rows as weights, each row appearing ⌊w⌋ times plus once
 * more with probability w − ⌊w⌋ (less noisy than drawing with replacement), shuffled.
 */
export function weightedOrder(weights: readonly number[], seed: number): number[] {
  const random = seededRandom(seed);
  const order: number[] = [];
  weights.forEach((w, i) => {
    const copies = Math.floor(w) + (random() < w - Math.floor(w) ? 1 : 0);
    for (let c = 0; c < copies; c++) order.push(i);
  });
  return shuffleInPlace(order, random);
}
