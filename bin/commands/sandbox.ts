import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { writeScaledConfig } from '../../config/generate';
import { loadConfig } from '../../config/load';
import { FakeAws } from '../../sandbox';
import { findScenario, SCENARIOS } from '../../sandbox/scenarios';
import { seedLandingZone } from '../../sandbox/seed/fromConfig';
import { DEFAULT_CONFIG_DIR } from './validate';

function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

interface InitOptions {
  config: string;
  state: string;
  accounts?: number;
  seed: number;
}

interface ServeOptions {
  port: number;
  state?: string;
  seed: number;
  rateLimits?: boolean;
}

async function init(options: InitOptions): Promise<void> {
  let dir = options.config;
  let scaledDir: string | undefined;
  if (options.accounts) {
    scaledDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-sandbox-'));
    dir = writeScaledConfig(options.config, scaledDir, { accounts: options.accounts });
  }
  try {
    const result = loadConfig(dir);
    if (!result.config) {
      for (const issue of result.issues.filter((i) => i.severity === 'error')) console.error(formatIssue(issue));
      console.error(`${options.config}: the configuration is invalid; fix it (rampart validate ${options.config}) before seeding a sandbox from it`);
      process.exitCode = 1;
      return;
    }
    const fake = FakeAws.create({ seed: options.seed });
    const report = await seedLandingZone(fake, result.config);
    fake.save(options.state);
    console.log(
      `${options.state}: organization ${report.organizationId} with ${Object.keys(report.accountIds).length} accounts, ` +
        `${Object.keys(report.ouIds).length - 1} OUs, ${Object.keys(report.policyIds).length} SCPs, ` +
        `${report.trustedServices.length} trusted services, ${report.executionRoles} execution roles (management account ${report.managementAccountId})`,
    );
    const security = report.security;
    console.log(
      `  Security Hub: ${Object.keys(security.securityHubPolicies).length} configuration policies; Security Lake: ${security.customSources.length} custom sources, ` +
        `${security.subscribers} subscribers; AWS Config: ${security.configRecorders} recorders, ${security.conformancePacks} organization conformance packs; ` +
        `Access Analyzer: ${security.analyzers} organization analyzers`,
    );
    console.log(`Serve it with: rampart sandbox serve --state ${options.state}`);
  } finally {
    if (scaledDir) fs.rmSync(scaledDir, { recursive: true, force: true });
  }
}

interface ScenarioOptions {
  state?: string;
  account?: string;
}

async function scenario(name: string | undefined, options: ScenarioOptions): Promise<void> {
  const chosen = name ? findScenario(name) : undefined;
  if (!chosen) {
    if (name) console.error(`There is no scenario named "${name}".`);
    console.log('Scenarios (rampart sandbox scenario NAME --state FILE [--account ID|NAME]):');
    for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(36)} ${s.description}`);
    if (name) process.exitCode = 1;
    return;
  }
  if (!options.state) {
    console.error('--state FILE is required: the sandbox state to change (create one with rampart sandbox init)');
    process.exitCode = 1;
    return;
  }
  const fake = FakeAws.load(options.state);
  try {
    const result = await chosen.apply(fake, { account: options.account });
    fake.save(options.state);
    console.log(`${options.state}: applied ${chosen.name}`);
    for (const change of result.changes) console.log(`  ${change}`);
  } catch (error) {
    console.error(`${chosen.name}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

async function serve(options: ServeOptions): Promise<void> {
  const fake = options.state ? FakeAws.load(options.state, { rateLimits: options.rateLimits }) : FakeAws.create({ seed: options.seed, rateLimits: options.rateLimits });
  const server = await fake.listen({ port: options.port });
  const management = fake.organization?.managementAccountId;
  console.log(`FakeAws listening on ${server.url}${options.state ? ` (state ${options.state})` : ' (empty sandbox; seed one with rampart sandbox init)'}`);
  if (management) {
    console.log(`Management account ${management}; to call it as its administrator:`);
    for (const [k, v] of Object.entries(server.env({ account: management }))) console.log(`  export ${k}=${v}`);
  }
  console.log('Any account id works the same way: AWS_ACCESS_KEY_ID=AKIAFAKE<account id>. Stop with Ctrl-C.');
  const stop = (signal: string) => {
    server.close().finally(() => {
      if (options.state) {
        fake.save(options.state);
        console.log(`${signal}: saved the sandbox to ${options.state}`);
      }
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export function registerSandbox(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('FakeAws: an in-process AWS organization speaking the real wire protocols, for the demo, tests and benchmarks');

  sandbox
    .command('init')
    .description('Build the organization a configuration describes and save it as a sandbox state file')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .requiredOption('--state <file>', 'state file to write')
    .option('--accounts <n>', 'add N generated workload accounts (every tenth PCI) for scale', parseInteger('--accounts', 1, 10000))
    .option('--seed <n>', 'seed for generated ids', parseInteger('--seed', 0, 2 ** 32 - 1), 1)
    .action((options: InitOptions) => init(options));

  sandbox
    .command('scenario')
    .argument('[name]', 'scenario to apply; omit to list them')
    .description('Apply a named drift scenario to a sandbox state file, through the AWS operations a person or attacker would call')
    .option('--state <file>', 'sandbox state to change')
    .option('--account <account>', 'account (id or name) the scenario acts on, where it concerns one account')
    .action((name: string | undefined, options: ScenarioOptions) => scenario(name, options));

  sandbox
    .command('serve')
    .description('Serve a sandbox on 127.0.0.1 for AWS_ENDPOINT_URL, bundled Lambdas and the AWS CLI')
    .option('--port <n>', 'port (0 picks a free one)', parseInteger('--port', 0, 65535), 4566)
    .option('--state <file>', 'sandbox state to load, and to save on exit')
    .option('--seed <n>', 'seed for an empty sandbox', parseInteger('--seed', 0, 2 ** 32 - 1), 1)
    .option('--rate-limits', 'apply AWS per-API request rates (ThrottlingException / TooManyRequestsException)')
    .action((options: ServeOptions) => serve(options));
}
