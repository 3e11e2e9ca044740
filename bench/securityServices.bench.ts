import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { writeScaledConfig } from '../config/generate';
import { loadConfig } from '../config/load';
import type { RampartConfig } from '../config/model';
import { FakeAws } from '../sandbox';
import { seedLandingZone, seedOrganization } from '../sandbox/seed/fromConfig';
import { setControlEvaluation } from '../sandbox/state/securityHub';
import { medianMs, round, report, timeMs, type Benchmark, type BenchResult } from './harness';

const ACCOUNTS = 5000;
const FOURTH_REGION = 'eu-west-1';

function gc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** The example organization scaled to 5,000 accounts, its landing zone spread over 4 Regions. */
function scaledConfig(): RampartConfig {
  const dir = writeScaledConfig('config/examples/pci-org', fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-')), { accounts: ACCOUNTS });
  const config = loadConfig(dir).config;
  fs.rmSync(dir, { recursive: true, force: true });
  if (!config) throw new Error('the scaled configuration does not validate');
  config.global.enabledRegions.push(FOURTH_REGION);
  config.securityLake.regions.push(FOURTH_REGION);
  config.securityLake.rollupRegions[0]?.contributingRegions.push(FOURTH_REGION);
  // The scaled teams sit directly under Workloads: give them the baseline policy so every account runs Security Hub.
  config.security.securityHub.configurationPolicies.find((p) => p.name === 'baseline')?.targets.push('Workloads');
  return config;
}

async function callsPerSecond(call: () => Promise<unknown>, total: number): Promise<number> {
  for (let i = 0; i < 5; i++) await call();
  const { ms } = await timeMs(async () => {
    for (let i = 0; i < total; i++) await call();
  });
  return round((total / ms) * 1000, 1);
}

/**
 * The security services of a 5,000-account landing zone in 4 Regions: memory (control state is
 * derived from policies, not stored per control), seeding time, and Security Hub's organization
 * views (GetFindings in the aggregation Region) at that scale.
 */
export const securityServicesBenchmark: Benchmark = {
  name: 'fakeaws-security',
  async run() {
    const results: BenchResult[] = [];
    const config = scaledConfig();
    const collect = gc();

    collect();
    const bare = process.memoryUsage().heapUsed;
    const organizationOnly = FakeAws.create({ seed: 1 });
    const { ms: organizationMs } = await timeMs(() => seedOrganization(organizationOnly, config));
    collect();
    const organizationMb = (process.memoryUsage().heapUsed - bare) / 2 ** 20;

    collect();
    const before = process.memoryUsage().heapUsed;
    const fake = FakeAws.create({ seed: 1 });
    const { ms: seedMs, result: seeded } = await timeMs(() => seedLandingZone(fake, config));
    collect();
    const heapMb = round((process.memoryUsage().heapUsed - before) / 2 ** 20, 1);
    results.push(report({
      name: 'fakeaws.security.memory.5000-accounts-4-regions', value: heapMb, unit: 'MiB heap', accounts: ACCOUNTS + 8, regions: config.global.enabledRegions.length,
      configRecorders: seeded.security.configRecorders, baseline: { name: 'the same organization without the security services', value: round(organizationMb, 1) },
      goal: '< 1024 MiB', goalMet: heapMb < 1024,
    }));
    results.push(report({
      name: 'fakeaws.security.seed.5000-accounts-4-regions', value: round(seedMs, 0), unit: 'ms',
      baseline: { name: 'seeding the organization alone (seedOrganization)', value: round(organizationMs, 0) },
    }));

    const admin = seeded.accountIds['security-tooling'];
    const hub = new SecurityHubClient(fake.clientConfig({ account: admin, region: config.security.securityHub.aggregationRegion }));
    // The same call answered by replaying the response FakeAws gave: what the SDK alone costs (it parses 100 ASFF findings).
    let recorded: { statusCode: number; headers: Record<string, string>; body: Buffer } | undefined;
    const handler = fake.requestHandler();
    await new SecurityHubClient({ ...fake.clientConfig({ account: admin }), requestHandler: { handle: async (request: never) => {
      const out = await handler.handle(request);
      recorded = { ...out.response, body: out.response.body as Buffer };
      return out;
    } } }).send(new GetFindingsCommand({ MaxResults: 100 }));
    const response = recorded as NonNullable<typeof recorded>;
    const replay = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: `AKIAFAKE${admin}`, secretAccessKey: 'x' }, requestHandler: { handle: async () => ({ response: { ...response } }) } });
    const sdkOnly = await callsPerSecond(() => replay.send(new GetFindingsCommand({ MaxResults: 100 })), 50);
    const firstPage = await callsPerSecond(() => hub.send(new GetFindingsCommand({ MaxResults: 100 })), 50);
    results.push(report({
      name: 'fakeaws.security.GetFindings-page-5000-accounts', value: firstPage, unit: 'calls/s', findingsPerPage: 100,
      baseline: { name: 'the same SDK call answered by replaying a recorded response (SDK cost alone)', value: sdkOnly },
    }));

    // 50 failed controls spread over the organization: the query Rampart's evidence makes.
    const ids = Object.values(seeded.accountIds);
    for (let i = 0; i < 50; i++) setControlEvaluation(fake.state, ids[(i * 97) % ids.length], config.global.enabledRegions[i % 4], 'S3.5', 'FAILED', fake.clock.now());
    const failed = { ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' as const }] };
    const allFailed = async () => {
      let token: string | undefined;
      let count = 0;
      do {
        const page = await hub.send(new GetFindingsCommand({ Filters: failed, NextToken: token }));
        count += page.Findings?.length ?? 0;
        token = page.NextToken;
      } while (token);
      return count;
    };
    const scanMs = await medianMs(allFailed, 3);
    const oneAccountMs = await medianMs(() => hub.send(new GetFindingsCommand({ Filters: { ...failed, AwsAccountId: [{ Value: ids[97], Comparison: 'EQUALS' }] } })), 3);
    results.push(report({
      name: 'fakeaws.security.GetFindings-failed-5000-accounts-4-regions', value: scanMs, unit: 'ms', findings: await allFailed(),
      baseline: { name: 'the same query for one account', value: oneAccountMs },
    }));

    // Every IAM trust change makes the organization analyzers (one per Region) re-analyze the account.
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' }] });
    const createRoles = (sandbox: FakeAws, prefix: string) => {
      const iam = new IAMClient(sandbox.clientConfig({ account: ids[10] }));
      let n = 0;
      return callsPerSecond(() => iam.send(new CreateRoleCommand({ RoleName: `${prefix}-${n++}`, AssumeRolePolicyDocument: trust })), 200);
    };
    const withoutAnalyzers = await createRoles(organizationOnly, 'plain');
    const withAnalyzers = await createRoles(fake, 'analyzed');
    results.push(report({
      name: 'fakeaws.security.iam-CreateRole-with-organization-analyzers-5000-accounts', value: withAnalyzers, unit: 'calls/s', analyzers: seeded.security.analyzers,
      baseline: { name: 'CreateRole in the same organization without analyzers', value: withoutAnalyzers },
    }));
    return results;
  },
};
