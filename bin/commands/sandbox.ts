import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { writeScaledConfig } from '../../config/generate';
import { loadConfig } from '../../config/load';
import { FakeAws } from '../../sandbox';
import { seedOrganization } from '../../sandbox/seed/fromConfig';
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

function init(options: InitOptions): void {
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
    const report = seedOrganization(fake, result.config);
    fake.save(options.state);
    console.log(
      `${options.state}: organization ${report.organizationId} with ${Object.keys(report.accountIds).length} accounts, ` +
        `${Object.keys(report.ouIds).length - 1} OUs, ${Object.keys(report.policyIds).length} SCPs, ` +
        `${report.trustedServices.length} trusted services, ${report.executionRoles} execution roles (management account ${report.managementAccountId})`,
    );
    console.log(`Serve it with: rampart sandbox serve --state ${options.state}`);
  } finally {
    if (scaledDir) fs.rmSync(scaledDir, { recursive: true, force: true });
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
    .command('serve')
    .description('Serve a sandbox on 127.0.0.1 for AWS_ENDPOINT_URL, bundled Lambdas and the AWS CLI')
    .option('--port <n>', 'port (0 picks a free one)', parseInteger('--port', 0, 65535), 4566)
    .option('--state <file>', 'sandbox state to load, and to save on exit')
    .option('--seed <n>', 'seed for an empty sandbox', parseInteger('--seed', 0, 2 ** 32 - 1), 1)
    .option('--rate-limits', 'apply AWS per-API request rates (ThrottlingException / TooManyRequestsException)')
    .action((options: ServeOptions) => serve(options));
}
