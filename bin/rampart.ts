import { Command } from 'commander';
import { registerEvidence } from './commands/evidence';
import { registerSchema } from './commands/schema';
import { registerValidate } from './commands/validate';

const program = new Command();
program
  .name('rampart')
  .description('Config-driven multi-account AWS security governance: build the landing zone, keep it true, prove it.')
  .showHelpAfterError('(run rampart --help for usage)')
  .configureHelp({ sortSubcommands: false })
  .addHelpText('after', `
Exit codes: 0 success or valid, 1 invalid configuration or findings, 2 could not run.

Examples:
  rampart validate config/examples/pci-org
  rampart validate ./my-landing-zone --json
  rampart schema --out schemas/
  rampart evidence verify evidence/pci-dss-4.0/2026-12-05`);

registerValidate(program);
registerSchema(program);
registerEvidence(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`rampart: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
