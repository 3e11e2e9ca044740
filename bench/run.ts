import { driftBenchmark } from './drift.bench';
import { evidenceBenchmark } from './evidence.bench';
import { driftCheckBenchmark } from './driftCheck.bench';
import { fakeAwsBenchmark } from './fakeaws.bench';
import type { Benchmark } from './harness';
import { ocsfBenchmark } from './ocsf.bench';
import { securityServicesBenchmark } from './securityServices.bench';
import { synthBenchmark } from './synth.bench';
import { validateBenchmark } from './validate.bench';

/** Every benchmark, in order. `npm run bench -- NAME` runs those whose name contains NAME. */
const BENCHMARKS: Benchmark[] = [validateBenchmark, fakeAwsBenchmark, synthBenchmark, driftBenchmark, driftCheckBenchmark, ocsfBenchmark, evidenceBenchmark, securityServicesBenchmark];

async function main(): Promise<void> {
  const filter = process.argv[2];
  for (const bench of BENCHMARKS) {
    if (filter && !bench.name.includes(filter)) continue;
    await bench.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
