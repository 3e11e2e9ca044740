import { Command } from 'commander';
import { registerAccess } from './commands/access';
import { registerApprove } from './commands/approve';
import { registerDemo } from './commands/demo';
import { registerDrift } from './commands/drift';
import { registerQuery } from './commands/query';
import { registerRemediate } from './commands/remediate';
import { registerSampleLake } from './commands/sampleLake';
import { registerPlan } from './commands/plan';
import { registerSandbox } from './commands/sandbox';
import { registerEvidence } from './commands/evidence';
import { registerSchema } from './commands/schema';
import { registerSnapshot } from './commands/snapshot';
import { registerSynth } from './commands/synth';
import { registerMapping } from './commands/mapping';
import { registerTransform } from './commands/transform';
import { registerValidate } from './commands/validate';

// A reader that stops early (`rampart validate | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

const program = new Command();
program
  .name('rampart')
  .description('Config-driven multi-account AWS security governance: build the landing zone, keep it true, prove it.')
  .showHelpAfterError('(run rampart --help for usage)')
  .configureHelp({ sortSubcommands: false })
  // A command's options belong to it: `evidence --out` and `evidence report --out` are different options.
  .enablePositionalOptions()
  // Usage errors exit 2 ("could not run"), keeping 1 for an invalid configuration.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .addHelpText('after', `
Exit codes: 0 success or valid, 1 invalid configuration or findings, 2 could not run.

Examples:
  rampart validate config/examples/pci-org
  rampart validate ./my-landing-zone --json
  rampart schema --out schemas/
  rampart synth --out cdk.out
  rampart sandbox init --config config/examples/pci-org --state sandbox.json
  rampart transform --source aws-network-firewall --input ocsf/samples/aws-network-firewall/flow.log --out out/
  rampart mapping check my-mapping.json
  rampart query failed-compliance-controls --lake out/lake
  rampart evidence --framework all --state sandbox.json --out out/evidence
  rampart evidence verify out/evidence/pci-dss-4.0/2026-12-05
  rampart drift --state sandbox.json
  rampart remediate --state sandbox.json`);

registerValidate(program);
registerSchema(program);
registerSynth(program);
registerPlan(program);
registerSandbox(program);
registerTransform(program);
registerMapping(program);
registerQuery(program);
registerSampleLake(program);
registerEvidence(program);
registerAccess(program);
registerDrift(program);
registerRemediate(program);
registerSnapshot(program);
registerApprove(program);
registerDemo(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`rampart: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
