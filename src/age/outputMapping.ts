/** Turns a member's raw output into a distribution over ages 0..100, as its manifest says. */
import { AGE_BINS, gaussianTarget, normalize } from './distribution';
import type { OutputSpec } from './manifest';

export function toAgeDistribution(values: ArrayLike<number>, spec: OutputSpec): Float32Array {
  const out = new Float32Array(AGE_BINS);
  switch (spec.kind) {
    case 'softmax':
      if (values.length !== spec.ages.length) {
        throw new Error(`model gave ${values.length} outputs, manifest maps ${spec.ages.length}`);
      }
      spec.ages.forEach((age, i) => (out[age] += Math.max(0, values[i])));
      return normalize(out);
    case 'groups':
      if (values.length !== spec.ranges.length) {
        throw new Error(`model gave ${values.length} outputs, manifest maps ${spec.ranges.length} groups`);
      }
      spec.ranges.forEach(([lo, hi], i) => {
        const share = Math.max(0, values[i]) / (hi - lo + 1);
        for (let age = lo; age <= hi; age++) out[age] += share;
      });
      return normalize(out);
    case 'scalar':
      if (values.length !== 1) throw new Error(`scalar member gave ${values.length} outputs`);
      return gaussianTarget(values[0], spec.scalarStd);
  }
}
