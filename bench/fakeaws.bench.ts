import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { writeScaledConfig } from '../config/generate';
import { loadConfig } from '../config/load';
import { FakeAws } from '../sandbox';
import { seedOrganization } from '../sandbox/seed/fromConfig';
import { eventBridgeSlot } from '../sandbox/state/eventbridge';
import { snsSlot, topicArn } from '../sandbox/state/sns';
import { round, timeMs, medianMs, report, type Benchmark, type BenchResult } from './harness';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];

/** Calls per second over `total` calls with `concurrency` in flight. */
async function callsPerSecond(call: () => Promise<unknown>, total: number, concurrency: number): Promise<number> {
  for (let i = 0; i < 50; i++) await call();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      await call();
    }
  };
  const { ms } = await timeMs(() => Promise.all(Array.from({ length: concurrency }, worker)));
  return round((total / ms) * 1000, 0);
}

function gc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function scaledOrganization(accounts: number): FakeAws {
  const dir = writeScaledConfig('config/examples/pci-org', fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-')), { accounts });
  const config = loadConfig(dir).config;
  fs.rmSync(dir, { recursive: true, force: true });
  if (!config) throw new Error('the scaled configuration does not validate');
  const fake = FakeAws.create({ seed: 1 });
  seedOrganization(fake, config);
  return fake;
}

/** Per account × Region state of the services FakeAws serves: a topic with a subscription and a rule with a target. */
function fillRegions(fake: FakeAws): void {
  for (const account of fake.organization?.accounts() ?? []) {
    for (const region of REGIONS) {
      const arn = topicArn(account.id, region, 'rampart-drift');
      fake.state.get(snsSlot, account.id, region).topics[arn] = {
        name: 'rampart-drift', arn, owner: account.id, attributes: {}, tags: [], messages: [],
        subscriptions: [{ arn: `${arn}:00000000-0000-4000-8000-000000000000`, protocol: 'sqs', endpoint: `arn:aws:sqs:${region}:${account.id}:drift`, owner: account.id, confirmed: true, attributes: {} }],
      };
      fake.state.get(eventBridgeSlot, account.id, region).rules.default = {
        drift: {
          name: 'drift', arn: `arn:aws:events:${region}:${account.id}:rule/drift`, bus: 'default', eventPattern: '{"source":["rampart"]}',
          state: 'ENABLED', tags: [], targets: [{ Id: 'notify', Arn: arn }],
        },
      };
    }
  }
}

/**
 * FakeAws throughput through the SDK, in-process and over the loopback server, and the memory of a
 * 5,000-account organization with state in 4 Regions.
 */
export const fakeAwsBenchmark: Benchmark = {
  name: 'fakeaws',
  async run() {
    const results: BenchResult[] = [];
    const fake = scaledOrganization(5000);
    const management = fake.organization?.managementAccountId as string;
    const concurrency = 8;
    const total = 4000;

    /** The same client answered by replaying a response FakeAws gave: what the SDK alone costs. */
    const replaying = async <C extends { send(command: never): Promise<unknown> }>(make: (config: object) => C, command: () => unknown) => {
      let recorded: { statusCode: number; headers: Record<string, string>; body: Buffer } | undefined;
      const handler = fake.requestHandler();
      const recorder = make({ ...fake.clientConfig({ account: management }), requestHandler: { handle: async (request: never) => {
        const out = await handler.handle(request);
        recorded = { ...out.response, body: out.response.body as Buffer };
        return out;
      } } });
      await recorder.send(command() as never);
      const response = recorded as NonNullable<typeof recorded>;
      return make({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAFAKE111111111111', secretAccessKey: 'x' }, requestHandler: { handle: async () => ({ response: { ...response } }) } });
    };

    const sts = new STSClient(fake.clientConfig({ account: management }));
    const stsReplay = await replaying((config) => new STSClient(config), () => new GetCallerIdentityCommand({}));
    const sdkNoop = await callsPerSecond(() => stsReplay.send(new GetCallerIdentityCommand({})), total, concurrency);
    const inProcessNoop = await callsPerSecond(() => sts.send(new GetCallerIdentityCommand({})), total, concurrency);
    results.push(report({
      name: 'fakeaws.in-process.GetCallerIdentity', value: inProcessNoop, unit: 'calls/s', concurrency,
      baseline: { name: 'the same SDK call answered by replaying a recorded response (SDK cost alone)', value: sdkNoop },
    }));

    const org = new OrganizationsClient(fake.clientConfig({ account: management }));
    const orgReplay = await replaying((config) => new OrganizationsClient(config), () => new ListAccountsCommand({ MaxResults: 20 }));
    const sdkList = await callsPerSecond(() => orgReplay.send(new ListAccountsCommand({ MaxResults: 20 })), total, concurrency);
    const listAccounts = await callsPerSecond(() => org.send(new ListAccountsCommand({ MaxResults: 20 })), total, concurrency);
    results.push(report({
      name: 'fakeaws.in-process.ListAccounts-5000-accounts', value: listAccounts, unit: 'calls/s', concurrency,
      baseline: { name: 'the same SDK call answered by replaying a recorded response (SDK cost alone)', value: sdkList },
    }));

    const server = await fake.listen();
    const overHttp = new STSClient(server.clientConfig({ account: management }));
    const httpNoop = await callsPerSecond(() => overHttp.send(new GetCallerIdentityCommand({})), total / 2, concurrency);
    await server.close();
    results.push(report({
      name: 'fakeaws.http.GetCallerIdentity', value: httpNoop, unit: 'calls/s', concurrency,
      baseline: { name: 'in-process GetCallerIdentity', value: inProcessNoop },
    }));

    const collect = gc();
    collect();
    const before = process.memoryUsage().heapUsed;
    const big = scaledOrganization(5000);
    fillRegions(big);
    collect();
    const heapMb = round((process.memoryUsage().heapUsed - before) / 2 ** 20, 1);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-')), 'state.json');
    big.save(file);
    const fileMb = round(fs.statSync(file).size / 2 ** 20, 1);
    const accountsWithState = big.state.accountsWithState().length;
    results.push(report({
      name: 'fakeaws.memory.5000-accounts-4-regions', value: heapMb, unit: 'MiB heap', accounts: big.organization?.accounts().length, regions: REGIONS.length,
      accountsWithState, baseline: { name: 'the same sandbox saved as JSON', value: fileMb }, goal: '< 1024 MiB', goalMet: heapMb < 1024,
    }));

    const parseOnly = await medianMs(() => JSON.parse(fs.readFileSync(file, 'utf8')), 3);
    const load = await medianMs(() => FakeAws.load(file), 3);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    results.push(report({
      name: 'fakeaws.load.5000-accounts-4-regions', value: load, unit: 'ms', baseline: { name: 'JSON.parse of the state file', value: parseOnly },
    }));
    return results;
  },
};
