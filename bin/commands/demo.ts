import type { Command } from 'commander';
import { consoleReporter, StepFailed } from '../../demo/progress';
import { runDemo } from '../../demo/runDemo';
import { formatDemoSummary } from '../../demo/summary';
import { DEFAULT_CONFIG_DIR } from './validate';

interface DemoCommandOptions {
  config: string;
  out: string;
  accounts?: string;
  json?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('The whole job against FakeAws: validate, synthesize, build the landing zone, inject drift, DriftCheck, Remediate, lake, Evidence, verify')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--out <dir>', 'where every artifact goes', 'out')
    .option('--accounts <n>', 'add N workload accounts to the configuration (written to <out>/config-N)')
    .option('--json', 'print the final summary as JSON')
    .addHelpText('after', '\nExit codes: 0 every step ran, 2 a step failed.\n\nExamples:\n  npm start\n  rampart demo --accounts 1000 --out out')
    .action(async (options: DemoCommandOptions) => {
      const accounts = options.accounts === undefined ? undefined : Number(options.accounts);
      if (accounts !== undefined && !(Number.isInteger(accounts) && accounts > 0)) {
        console.error(`rampart demo: --accounts ${options.accounts}: expected a whole number of accounts to add, e.g. --accounts 1000`);
        process.exit(2);
      }
      try {
        const summary = await runDemo({ config: options.config, out: options.out, ...(accounts ? { accounts } : {}) }, consoleReporter(options.json ? process.stderr : process.stdout));
        console.log(options.json ? JSON.stringify(summary, null, 2) : formatDemoSummary(summary));
        process.exit(0);
      } catch (error) {
        if (!(error instanceof StepFailed)) throw error;
        console.error(`rampart demo: ${error.message}`);
        process.exit(2);
      }
    });
}
