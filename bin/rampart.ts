import { Command } from 'commander';
import { registerMapping } from './commands/mapping';
import { registerSchema } from './commands/schema';
import { registerTransform } from './commands/transform';
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
  rampart transform --source aws-network-firewall --input ocsf/samples/aws-network-firewall/flow.log --out out/
  rampart mapping check my-mapping.json`);

registerValidate(program);
registerSchema(program);
registerTransform(program);
registerMapping(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`rampart: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
