/** One benchmark result line: a figure, the baseline measured in the same process, and their ratio. */
export interface BenchResult {
  name: string;
  /** The measured figure, e.g. milliseconds or events per second. */
  value: number;
  unit: string;
  /** What the baseline is and its figure in the same unit. */
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  goal?: string;
  /** Whether the goal is met, when the goal is machine-checkable. */
  goalMet?: boolean;
  [extra: string]: unknown;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}

export function report(result: BenchResult): BenchResult {
  const line = { ...result };
  if (line.baseline && line.ratio === undefined && line.baseline.value !== 0) line.ratio = round(line.value / line.baseline.value);
  console.log(JSON.stringify(line));
  return line;
}

export async function timeMs<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** Median of several timed runs (after one warm-up), to damp noise on a shared machine. */
export async function medianMs(fn: () => unknown, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timeMs(fn)).ms);
  times.sort((a, b) => a - b);
  return round(times[Math.floor(times.length / 2)]);
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
