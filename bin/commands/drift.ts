import * as fs from 'node:fs';
import type { Command } from 'commander';
import { deriveDesiredState } from '../../engine/desiredState';
import { detectDrift } from '../../engine/detectDrift';
import type { DriftReport } from '../../engine/drift';
import { formatDriftReport } from '../../engine/driftTable';
import { formatInventoryIssue, parseInventory } from '../../engine/inventory';
import { LocalSession } from '../../workflows/local/localSession';
import { CannotRun, loadConfigOrStop, loadSandbox, requireTarget, runCommand, type TargetOptions } from './localTarget';
import { DEFAULT_CONFIG_DIR } from './validate';

interface DriftOptions extends TargetOptions {
  inventory?: string;
  json?: boolean;
}

/** 0 when every scope was read and nothing drifted; 1 when something drifted or could not be read (not known clean). */
export function driftExitCode(report: DriftReport): number {
  return report.drifts.length === 0 && report.unknownScopes.length === 0 ? 0 : 1;
}

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('Run the DriftCheck workflow locally against a sandbox, or check a saved inventory offline, and print every drift from the configuration')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--state <file>', 'sandbox state to check (saved back with what the workflow published)')
    .option('--endpoint <url>', 'a sandbox served by rampart sandbox serve')
    .option('--inventory <file>', 'check a saved inventory (rampart snapshot --out FILE) offline instead')
    .option('--json', 'print { summary, report } as JSON')
    .addHelpText('after', `
Exit codes: 0 no drift and every scope read, 1 drift found or scopes unreadable, 2 could not run.

Examples:
  rampart sandbox init --config config/examples/pci-org --state sandbox.json
  rampart sandbox scenario pci-scp-detached --state sandbox.json
  rampart drift --state sandbox.json
  rampart snapshot --state sandbox.json --out snapshot.json && rampart drift --inventory snapshot.json`)
    .action((options: DriftOptions) => runCommand(() => drift(options)));
}

async function drift(options: DriftOptions): Promise<number> {
  const config = loadConfigOrStop(options.config);
  if (options.inventory) {
    if (options.state || options.endpoint) throw new CannotRun('--inventory checks a saved inventory offline; leave out --state and --endpoint');
    const report = detectDrift(deriveDesiredState(config), readInventory(options.inventory));
    print(report, options, `Inventory ${options.inventory} (collected ${report.collectedAt})`);
    return driftExitCode(report);
  }
  requireTarget(options, 'rampart drift');
  const fake = options.state ? loadSandbox(options.state) : undefined;
  const session = await LocalSession.open({ config, ...(fake ? { fake } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  try {
    const run = await session.driftCheck();
    if (fake && options.state) fake.save(options.state);
    if (options.json) console.log(JSON.stringify({ summary: run.summary, transitions: run.execution.transitions, report: run.report }, null, 2));
    else print(run.report, options, `Drift check ${run.summary.runId}: ${run.summary.apiCalls} API calls, ${run.execution.transitions} state transitions`);
    return driftExitCode(run.report);
  } finally {
    session.close();
  }
}

function readInventory(file: string) {
  if (!fs.existsSync(file)) throw new CannotRun(`${file}: no such file; take a snapshot with rampart snapshot --out ${file}`);
  const parsed = parseInventory(fs.readFileSync(file, 'utf8'));
  if (!parsed.inventory) {
    for (const issue of parsed.issues) console.error(`${file}: ${formatInventoryIssue(issue)}`);
    throw new CannotRun(`${file}: not a valid Rampart inventory (${parsed.issues.length} problem(s) above); take a new one with rampart snapshot --out ${file}`);
  }
  return parsed.inventory;
}

function print(report: DriftReport, options: DriftOptions, heading: string): void {
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(heading);
  console.log(formatDriftReport(report));
}
