import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { AwsClients, callerAccount, type ClientBase } from '../../aws/clients';
import { collectInventory } from '../../aws/collect/collectInventory';
import { ORGANIZATION_REMEDIATION_ROLE_NAME } from '../../stacks/organization/organizationStack';
import { deriveDesiredState } from '../../engine/desiredState';
import { detectDrift } from '../../engine/detectDrift';
import { serializeInventory } from '../../engine/inventory';
import { accountIdOf, CannotRun, loadConfigOrStop, loadSandbox, runCommand, type TargetOptions } from './localTarget';
import { DEFAULT_CONFIG_DIR } from './validate';

interface SnapshotOptions extends TargetOptions {
  out: string;
}

export function registerSnapshot(program: Command): void {
  program
    .command('snapshot')
    .description('Collect the organization\'s state (an inventory) and save it: from a sandbox, or from AWS with your credentials (run it as the security-tooling account)')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--state <file>', 'sandbox state to read')
    .option('--endpoint <url>', 'a sandbox served by rampart sandbox serve')
    .requiredOption('--out <file>', 'where to write the inventory (JSON)')
    .addHelpText('after', `
Without --state or --endpoint the AWS SDK's default credentials are used: they must belong to the
security-tooling account, which reads the organization and assumes the execution role in members.

Examples:
  rampart snapshot --state sandbox.json --out snapshot.json
  AWS_PROFILE=security-tooling rampart snapshot --out snapshot.json
  rampart drift --inventory snapshot.json`)
    .action((options: SnapshotOptions) => runCommand(() => snapshot(options)));
}

async function snapshot(options: SnapshotOptions): Promise<number> {
  if (options.state && options.endpoint) throw new CannotRun('rampart snapshot: give --state FILE or --endpoint URL, not both');
  const config = loadConfigOrStop(options.config);
  const desired = deriveDesiredState(config);
  const fake = options.state ? loadSandbox(options.state) : undefined;
  const tooling = accountIdOf(config, config.organization.mandatoryAccounts.securityTooling, fake);
  let base: ClientBase;
  if (fake) base = { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: tooling as string }) };
  else if (options.endpoint) base = { endpoint: options.endpoint, credentials: { accessKeyId: `AKIAFAKE${tooling}`, secretAccessKey: 'fakeaws' } };
  else base = {};
  const home = (fake || options.endpoint) ? tooling : await callerAccount(base, config.global.homeRegion);
  if (!home) throw new CannotRun(`account ${config.organization.mandatoryAccounts.securityTooling} has no id in organization.yaml; add it`);
  const clients = new AwsClients({
    homeAccountId: home, homeRegion: config.global.homeRegion, executionRoleName: config.global.executionRoleName,
    organizationRoleName: ORGANIZATION_REMEDIATION_ROLE_NAME, base, sessionName: 'rampart-snapshot',
  });
  try {
    const inventory = await collectInventory(clients, desired, { collectedAt: new Date().toISOString(), maxConcurrency: config.governance.drift.maxConcurrency });
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, serializeInventory(inventory, { indent: 1 }));
    const unknown = detectDrift(desired, inventory).unknownScopes.length;
    const calls = Object.values(inventory.metadata.callCounts).reduce((a, b) => a + b, 0);
    console.log(`${options.out}: inventory of ${Object.keys(inventory.accounts).length} accounts in ${inventory.metadata.regions.join(', ')}; ${calls} API calls; ${unknown} scope(s) could not be read`);
    console.log(`Check it with: rampart drift --inventory ${options.out}`);
    return 0;
  } finally {
    clients.destroy();
  }
}
