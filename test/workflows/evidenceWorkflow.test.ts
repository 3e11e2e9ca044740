import { HeadObjectCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { gunzipSync } from 'node:zlib';
import { AwsClients } from '../../aws/clients';
import { readEvidenceSet } from '../../aws/evidenceStore';
import { CHECK_RESULTS_DIR, CHECK_RESULTS_FILE } from '../../evidence/layout';
import { MANIFEST_FILE } from '../../evidence/manifest';
import type { EvidenceReport } from '../../evidence/report';
import { verifyEvidenceSet } from '../../evidence/verify';
import type { ChecksSummary, FrameworkSummary } from '../../handlers/evidence/steps';
import type { FakeAws } from '../../sandbox';
import { findScenario } from '../../sandbox/scenarios';
import { snsSlot } from '../../sandbox/state/sns';
import { GovernanceStack } from '../../stacks/governance/governanceStack';
import { createRampartApp } from '../../stacks/rampartApp';
import { DriftWorkflows } from '../../workflows/driftWorkflows';
import { FRAMEWORK_CONCURRENCY } from '../../workflows/evidenceDefinition';
import { EVIDENCE_NAME, EvidenceWorkflow } from '../../workflows/evidenceWorkflow';
import { resolveIntrinsics } from '../../workflows/local/intrinsics';
import type { LocalSession } from '../../workflows/local/localSession';
import { allStates, aslViolations } from './aslRules';
import { autoRemediatingPciOrg, openSession, seededSandbox, workflowsOf } from './harness';

// The local runner synthesizes the governance stack with the drift workflows only
// (workflows/local/assembly.ts); until it takes governance extensions, this test adds the
// Evidence workflow to that extension, as bin/cdk.ts does in a deployment.
jest.mock('../../workflows/driftWorkflows', () => {
  const actual = jest.requireActual<typeof import('../../workflows/driftWorkflows')>('../../workflows/driftWorkflows');
  return {
    ...actual,
    driftWorkflows: (options: Parameters<typeof actual.driftWorkflows>[0]) => (stack: GovernanceStack) => {
      actual.driftWorkflows(options)(stack);
      (jest.requireActual('../../workflows/evidenceWorkflow') as typeof import('../../workflows/evidenceWorkflow')).evidenceWorkflow()(stack);
    },
  };
});

const config = autoRemediatingPciOrg();
const HOME = { account: '333333333333', region: 'us-east-1' };
const DAY = 86_400_000;

describe('the Evidence state machine', () => {
  const app = createRampartApp();
  const stack = new GovernanceStack(app, 'Rampart-Governance', { config, env: HOME });
  new DriftWorkflows(stack, 'DriftWorkflows', { distributed: false });
  new EvidenceWorkflow(stack, 'EvidenceWorkflow');
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const machine = Object.values(resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties.StateMachineName === EVIDENCE_NAME);
  const resolver = { ref: (id: string) => id, getAtt: (id: string) => `arn:aws:lambda:us-east-1:333333333333:function:${id}` };
  const definition = JSON.parse(resolveIntrinsics(machine?.Properties.DefinitionString, resolver, HOME) as string);

  it('is JSONPath only, with every Map bounded and every Task retrying throttling with full jitter and catching failure', () => {
    expect(aslViolations(definition)).toEqual([]);
    const maps = Object.fromEntries(allStates(definition).filter(([, s]) => s.Type === 'Map').map(([name, s]) => [name, s.MaxConcurrency]));
    expect(maps).toEqual({ CollectViews: 5, CollectAccounts: config.governance.drift.maxConcurrency, RenderFrameworks: FRAMEWORK_CONCURRENCY });
  });

  it('collects, checks, writes one set per framework and notifies, in that order', () => {
    const order: string[] = [];
    for (let state: string | undefined = definition.StartAt; state; state = definition.States[state].Next) order.push(state);
    expect(order).toEqual(['PlanCollection', 'CollectViews', 'PlanFollowUps', 'CollectAccounts', 'DetectDrift', 'EvaluateChecks', 'RenderFrameworks', 'NotifyCompliance', 'EvidenceDone']);
  });

  it('is started by EventBridge Scheduler on governance.yaml evidence.schedule', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: config.governance.evidence.schedule, FlexibleTimeWindow: { Mode: 'OFF' } });
  });

  it('ships the check catalogue and the evidence settings beside each bundled handler', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && String((r.Properties.Description as string)).startsWith('Rampart Evidence workflow'));
    expect(functions.map((f) => (f.Properties.Environment as { Variables: Record<string, string> }).Variables.RAMPART_HANDLER).sort()).toEqual(['evaluateChecks', 'notifyEvidence', 'renderFramework']);
  });
});

/** The evidence bucket as GovernanceStack makes it: KMS by default and a policy that denies anything but TLS. */
async function protectAsTheStackDoes(fake: FakeAws, bucket: string): Promise<void> {
  const s3 = new S3Client(fake.clientConfig(HOME));
  await s3.send(new PutBucketEncryptionCommand({
    Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/rampart-governance' }, BucketKeyEnabled: true }] },
  }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: bucket,
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }),
  }));
  s3.destroy();
}

interface EvidenceOutput {
  checks: ChecksSummary;
  sets: FrameworkSummary[];
  notified: { messageId: string; notWritten: number };
}

describe('the Evidence workflow run locally, its bundled handlers against the loopback sandbox', () => {
  let fake: FakeAws;
  let server: Awaited<ReturnType<FakeAws['listen']>>;
  let session: LocalSession;
  let clients: AwsClients;
  let bucket: string;
  // A run's date is its execution's start time, which the local runner takes from Date: only Date is
  // pinned here (timers run as usual), with the sandbox's clock, so two runs fall on two days.
  const start = new Date('2026-12-05T22:00:00Z');
  const nextDay = new Date(start.getTime() + 4 * 3600_000);

  beforeAll(async () => {
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'hrtime', 'performance', 'queueMicrotask'] });
    workflowsOf(config);
    fake = await seededSandbox(config, { now: start });
    server = await fake.listen({ port: 0 });
    session = await openSession(config, fake, { endpoint: server.url, handlers: 'bundled', now: () => fake.clock.now() });
    bucket = [...session.workflows.functions.values()][0].environment.RAMPART_EVIDENCE_BUCKET;
    await protectAsTheStackDoes(fake, bucket);
    clients = new AwsClients({ homeAccountId: HOME.account, homeRegion: HOME.region, executionRoleName: '', organizationRoleName: '', base: session.sandbox.admin(HOME.account) });
  }, 240_000);

  afterAll(async () => {
    jest.useRealTimers();
    clients?.destroy();
    session?.close();
    await server?.close();
  });

  it('writes each framework\'s set and the run\'s check results to the evidence bucket, Object Locked for evidence.retentionDays, and tells compliance', async () => {
    const { output } = await session.runner.run(EVIDENCE_NAME, {}, 'evidence-1');
    const result = output as EvidenceOutput;
    expect(result.sets.map((s) => s.framework)).toEqual(config.governance.evidence.frameworks);
    const pci = result.sets.find((s) => s.framework === 'pci-dss-4.0') as FrameworkSummary;
    expect(pci).toMatchObject({ location: `s3://${bucket}/evidence/pci-dss-4.0/2026-12-05/`, results: { failed: 0, unknown: 0, satisfied: 105 } });
    expect(result.checks.checkResults.counts.fail).toBe(0);

    const until = new Date(start.getTime() + config.governance.evidence.retentionDays * DAY);
    const s3 = new S3Client(fake.clientConfig(HOME));
    for (const dir of ['pci-dss-4.0/2026-12-05', 'nist-800-53-r5/2026-12-05', `${CHECK_RESULTS_DIR}/2026-12-05`]) {
      const files = await readEvidenceSet(clients, bucket, 'evidence/', dir);
      const manifest = JSON.parse((files.get(MANIFEST_FILE) as Buffer).toString('utf8')) as { files: { path: string }[] };
      expect([...files.keys()].sort()).toEqual([...manifest.files.map((f) => f.path), MANIFEST_FILE].sort());
      for (const name of files.keys()) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `evidence/${dir}/${name}` }));
        expect([name, head.ObjectLockMode, head.ObjectLockRetainUntilDate?.toISOString()]).toEqual([name, 'COMPLIANCE', until.toISOString()]);
      }
    }
    s3.destroy();

    // The set read back verifies, its pinned check results included; the evidence bucket's own check passed.
    const pciFiles = await readEvidenceSet(clients, bucket, 'evidence/', 'pci-dss-4.0/2026-12-05');
    const results = (await readEvidenceSet(clients, bucket, 'evidence/', `${CHECK_RESULTS_DIR}/2026-12-05`)).get(CHECK_RESULTS_FILE) as Buffer;
    expect(verifyEvidenceSet(pciFiles, (rel) => (rel === `../../${CHECK_RESULTS_DIR}/2026-12-05/${CHECK_RESULTS_FILE}` ? results : undefined))).toMatchObject({ ok: true, problems: [] });
    const bucketCheck = gunzipSync(results).toString('utf8').split('\n').filter((l) => l.includes('"checkId":"evidence.bucket-object-locked"')).map((l) => JSON.parse(l));
    expect(bucketCheck.map((r) => r.status)).toEqual(['pass']);

    const topic = Object.values(fake.state.get(snsSlot, HOME.account, HOME.region).topics)[0];
    const notice = topic.messages.at(-1);
    expect(notice?.attributes.audience?.StringValue).toBe('compliance');
    expect(notice?.subject).toBe('Rampart evidence: 0 failed control(s) across 2 framework(s)');
    expect(notice?.message).toContain(`s3://${bucket}/evidence/pci-dss-4.0/2026-12-05/report.html`);
    expect(result.notified).toMatchObject({ messageId: notice?.messageId, notWritten: 0 });
  }, 240_000);

  it('the next day, after a drift, fails the controls in the account it touches and marks them regressed against the set in the bucket', async () => {
    jest.setSystemTime(nextDay);
    fake.clock.set(nextDay);
    await findScenario('pci-standard-disabled')?.apply(fake, {});
    const { output } = await session.runner.run(EVIDENCE_NAME, {}, 'evidence-2');
    const pci = (output as EvidenceOutput).sets.find((s) => s.framework === 'pci-dss-4.0') as FrameworkSummary;
    expect(pci.failing).toEqual([{ control: '2.2.1', where: 'payments-prod' }, { control: '10.7.2', where: 'payments-prod' }]);
    const report = JSON.parse(((await readEvidenceSet(clients, bucket, 'evidence/', 'pci-dss-4.0/2026-12-06')).get('report.json') as Buffer).toString('utf8')) as EvidenceReport;
    expect(report.previous).toEqual({ generatedAt: start.toISOString() });
    expect(report.frameworks[0].controls.filter((c) => c.result === 'failed').map((c) => [c.id, c.history.change])).toEqual([['2.2.1', 'regressed'], ['10.7.2', 'regressed']]);
  }, 240_000);
});
