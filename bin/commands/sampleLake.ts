import type { Command } from 'commander';
import { writeSampleLake } from '../../query/sampleLake';

interface SampleLakeCommandOptions {
  out: string;
  accounts: string;
  regions: string;
  seed: string;
  now?: string;
  days: string;
}

export function registerSampleLake(program: Command): void {
  program
    .command('sample-lake')
    .description('Write deterministic sample Security Lake data (Security Hub findings, CloudTrail, VPC flow; OCSF 1.1.0 Parquet) for rampart query')
    .requiredOption('--out <dir>', 'lake directory to write (its aws/<SOURCE>/2.0 directories are replaced)')
    .option('--accounts <ids>', 'comma-separated 12-digit account ids', '111111111111,222222222222,333333333333')
    .option('--regions <regions>', 'comma-separated Regions', 'us-east-1,us-east-2,us-west-2')
    .option('--seed <n>', 'seed: the same seed writes the same data', '1')
    .option('--now <instant>', 'end of the sampled span (ISO 8601); default now')
    .option('--days <n>', 'days of activity before --now', '8')
    .action(async (options: SampleLakeCommandOptions) => {
      const now = options.now === undefined ? new Date() : new Date(options.now);
      if (Number.isNaN(now.getTime())) throw new Error(`--now ${JSON.stringify(options.now)}: expected an ISO 8601 instant, e.g. 2026-12-04T00:00:00Z`);
      const rows = await writeSampleLake(options.out, {
        accounts: list(options.accounts),
        regions: list(options.regions),
        seed: whole(options.seed, '--seed'),
        days: whole(options.days, '--days'),
        now,
      });
      console.log(
        `${options.out}: ${rows.SH_FINDINGS} Security Hub finding updates, ${rows.CLOUD_TRAIL_MGMT} CloudTrail events, ${rows.VPC_FLOW} VPC flow records ending ${now.toISOString()}`,
      );
    });
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function whole(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${option} ${JSON.stringify(text)}: expected a whole number`);
  return Number(text);
}
