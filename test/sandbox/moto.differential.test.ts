import * as O from '@aws-sdk/client-organizations';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { FakeAws, type FakeAwsServer } from '../../sandbox';
import { ACCOUNT, iamStsSequence, organizationsSequence, s3Sequence, shapeDifferences, snsEventsSequence, type Observation, type Target } from './differential';
import { checkTool, externalSuiteMode } from './externalTools';
import { MOTO_DIFFERENCES, type KnownDifference } from './motoDifferences';

const moto = checkTool('python3', ['-c', 'import moto, sys; print("moto " + moto.__version__)']);
const mode = externalSuiteMode('The differential suite against moto', moto);

if (mode === 'required-missing') {
  describe('differential check against moto', () => {
    it('has moto (RAMPART_REQUIRE_MOTO=1 requires it)', () => {
      expect(moto).toEqual({ ok: true });
    });
  });
}

describe('moto differences are documented', () => {
  it('lists each known difference in docs/FAKEAWS.md', () => {
    const doc = fs.readFileSync('docs/FAKEAWS.md', 'utf8');
    for (const difference of MOTO_DIFFERENCES) expect(doc).toContain(difference.id.split('.')[0]);
  });

  it('words shape differences by path and side', () => {
    expect(shapeDifferences({ A: { B: 'string' } }, { A: { B: 'string', C: ['string'] } })).toEqual(['A.C: only fakeaws']);
    expect(shapeDifferences({ A: 'number' }, { A: 'string' })).toEqual(['A: moto "number", fakeaws "string"']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, process: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`moto.server exited with ${process.exitCode}`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('moto.server did not start within 60 s');
}

/** Differences the test found, worded like MOTO_DIFFERENCES. */
function compare(motoRun: Observation[], fakeRun: Observation[]): { step: string; difference: string }[] {
  const out: { step: string; difference: string }[] = [];
  fakeRun.forEach((fake, i) => {
    const m = motoRun[i];
    if (m.step !== fake.step) throw new Error(`sequence steps diverged: ${m.step} / ${fake.step}`);
    const motoError = 'error' in m ? m.error : undefined;
    const fakeError = 'error' in fake ? fake.error : undefined;
    if (motoError || fakeError) {
      if (motoError !== fakeError) out.push({ step: fake.step, difference: `error: moto ${motoError ?? 'ok'}, fakeaws ${fakeError ?? 'ok'}` });
      return;
    }
    for (const difference of shapeDifferences((m as { shape: unknown }).shape, (fake as { shape: unknown }).shape)) out.push({ step: fake.step, difference });
  });
  return out;
}

if (mode === 'run') {
  describe(`differential check against ${moto.version}`, () => {
    let motoProcess: ChildProcess;
    let motoUrl: string;
    let fake: FakeAws;
    let server: FakeAwsServer;

    beforeAll(async () => {
      const port = await freePort();
      motoUrl = `http://127.0.0.1:${port}`;
      // moto loads AWS-managed IAM policies only when asked.
      motoProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
        env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' }, stdio: 'ignore',
      });
      await waitUntilUp(motoUrl, motoProcess);
    }, 90_000);

    afterAll(async () => {
      await server?.close();
      if (motoProcess.exitCode === null) {
        const exited = new Promise((resolve) => motoProcess.once('exit', resolve));
        motoProcess.kill('SIGTERM');
        await exited;
      }
    });

    const motoTarget = (): Target => ({
      name: 'moto',
      config: (region = 'us-east-1') => ({ region, endpoint: motoUrl, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'moto' }, maxAttempts: 1 }),
    });

    /** A fresh moto and a fresh FakeAws, each with an organization whose management account is ACCOUNT. */
    async function freshTargets(): Promise<{ motoSide: Target; fakeSide: Target }> {
      await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' });
      const motoSide = motoTarget();
      await new O.OrganizationsClient(motoSide.config()).send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      await server?.close();
      fake = FakeAws.create({ seed: 1 });
      fake.createOrganization({ managementAccountId: ACCOUNT, email: 'management@example.com' });
      server = await fake.listen();
      const fakeSide: Target = { name: 'fakeaws', config: (region = 'us-east-1') => ({ ...server.clientConfig({ account: ACCOUNT, region }), maxAttempts: 1 }) };
      return { motoSide, fakeSide };
    }

    const sequences: [KnownDifference['sequence'], (target: Target) => Promise<Observation[]>][] = [
      ['organizations', organizationsSequence],
      ['iam-sts', iamStsSequence],
      ['s3', s3Sequence],
      ['sns-events', snsEventsSequence],
    ];

    it.each(sequences)('%s: same shapes and error names, except the documented differences', async (name, sequence) => {
      const { motoSide, fakeSide } = await freshTargets();
      const motoRun = await sequence(motoSide);
      const fakeRun = await sequence(fakeSide);
      const expected = MOTO_DIFFERENCES.filter((d) => d.sequence === name).map(({ step, difference }) => ({ step, difference }));
      const sortKey = (d: { step: string; difference: string }) => `${d.step}|${d.difference}`;
      expect(compare(motoRun, fakeRun).sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
      expect(fakeRun.length).toBeGreaterThan(10);
    }, 120_000);
  });
}
