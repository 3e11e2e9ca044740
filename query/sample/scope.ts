import type { SeededRandom } from './random';

/** One account in one Region over the sample's span of days, ending at `now`. */
export interface SampleScope {
  account: string;
  region: string;
  /** Epoch milliseconds. */
  now: number;
  days: number;
  random: SeededRandom;
  /** Running counts shared by all scopes, so that rare shapes appear at fixed intervals. */
  serial: Record<string, number>;
}

/** 0, 1, 2, ... per kind of record across the whole sample. */
export function nextSerial(scope: SampleScope, kind: string): number {
  const n = scope.serial[kind] ?? 0;
  scope.serial[kind] = n + 1;
  return n;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A time `hoursAgo` hours (fractional allowed) before the end of the sample, at whole milliseconds. */
export function hoursBefore(scope: SampleScope, hoursAgo: number): number {
  return Math.round(scope.now - hoursAgo * HOUR_MS);
}

/** A random time within the sample's span, never in the future. */
export function randomTime(scope: SampleScope): number {
  return hoursBefore(scope, scope.random.next() * scope.days * 24 + 1 / 60);
}

export const SEVERITY_IDS = { Informational: 1, Low: 2, Medium: 3, High: 4, Critical: 5 } as const;
export type Severity = keyof typeof SEVERITY_IDS;
