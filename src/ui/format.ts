import type { AgeSummary } from '../age/distribution';

/** "≈ 34 (±5)": the estimated age (AgeSummary.age) and one standard deviation, rounded to whole years. */
export function ageLabel(summary: AgeSummary): string {
  return `≈ ${Math.round(summary.age)} (±${Math.round(summary.std)})`;
}

export function describeAge(summary: AgeSummary): string {
  return `Looks about ${Math.round(summary.age)} years old (most likely ${summary.mode}, ±${summary.std.toFixed(1)} years).`;
}

/** What a screen reader hears for one face: "Face 1: about 34, likely 29 to 39". */
export function spokenAge(label: string, summary: AgeSummary, interval: { low: number; high: number }): string {
  return `${label}: about ${Math.round(summary.age)}, likely ${interval.low} to ${interval.high}`;
}
