import type { SeededRandom } from '../random';

/** How long calls take, in milliseconds. */
export type LatencyDistribution =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  /** Log-normal, the usual shape of service latency: given by its median and 99th percentile. */
  | { kind: 'lognormal'; medianMs: number; p99Ms: number };

export interface LatencyModel {
  default?: LatencyDistribution;
  /** Keys `<signing name>` or `<signing name>:<Operation>`, most specific wins. */
  overrides?: Record<string, LatencyDistribution>;
}

/** z for the 99th percentile of the standard normal. */
const Z99 = 2.3263;

export function sampleLatency(distribution: LatencyDistribution, random: SeededRandom): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ms;
    case 'uniform':
      return distribution.minMs + random.next() * (distribution.maxMs - distribution.minMs);
    case 'lognormal': {
      const mu = Math.log(distribution.medianMs);
      const sigma = Math.max(0, Math.log(distribution.p99Ms / distribution.medianMs) / Z99);
      return Math.exp(mu + sigma * random.normal());
    }
  }
}

export function latencyFor(model: LatencyModel | undefined, signingName: string, operation: string): LatencyDistribution | undefined {
  if (!model) return undefined;
  return model.overrides?.[`${signingName}:${operation}`] ?? model.overrides?.[signingName] ?? model.default;
}
