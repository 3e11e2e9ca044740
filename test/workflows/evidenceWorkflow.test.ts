import { HeadObjectCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AwsClients } from '../../aws/clients';
import { readEvidenceSet } from '../../aws/evidenceStore';
import { CHECK_RESULTS_DIR, CHECK_RESULTS_FILE, INVENTORY_FILE } from '../../evidence/layout';
import { MANIFEST_FILE } from '../../evidence/manifest';
import type { EvidenceReport } from '../../evidence/report';
import { verifyEvidenceSet } from '../../evidence/verify';
import { readEvidenceSettings } from '../../handlers/evidence/settings';
import type { FrameworkSummary } from '../../handlers/evidence/steps';
import { CHECK_CATALOGUE_FILE } from '../../frameworks/checks';
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

  it('logs and traces every execution, and gives each handler only what its step needs: evidence written under the prefix, never deleted or its retention bypassed', () => {
    expect(machine?.Properties).toMatchObject({ TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false } });
    const policies = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && id.startsWith('EvidenceWorkflow'));
    type Statement = { Sid: string; Action: string | string[]; Resource: unknown };
    const statements = (name: string) => (policies.find(([id]) => id.includes(name))?.[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const handler = statements('HandlerPermissions');
    const actions = handler.flatMap((st) => [st.Action].flat());
    expect(actions.filter((a) => /Delete|Bypass|PutBucket|PutObjectLegalHold|iam:|organizations:/.test(a))).toEqual([]);
    const writes = handler.filter((st) => [st.Action].flat().includes('s3:PutObject'));
    expect(writes.map((st) => JSON.stringify(st.Resource))).toEqual([expect.stringContaining('/runs/*'), expect.stringContaining('/evidence/*')]);
    const machineStatements = statements('StateMachinePermissions');
    const invoke = machineStatements.find((st) => st.Sid === 'InvokeHandlers');
    // Its own three handlers and the five DriftCheck collectors it reuses, each by ARN.
    expect((invoke?.Resource as unknown[]).length).toBe(8);
  });

  it('ships the check catalogue and the evidence settings beside each bundled handler', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && String((r.Properties.Description as string)).startsWith('Rampart Evidence workflow'));
    expect(functions.map((f) => (f.Properties.Environment as { Variables: Record<string, string> }).Variables.RAMPART_HANDLER).sort()).toEqual(['evaluateChecks', 'notifyEvidence', 'renderFramework']);
    // In the cloud assembly, each code directory holds what the bundle reads beside its index.js.
    const deployed = [...workflowsOf(config).functions.values()].filter((f) => ['evaluateChecks', 'renderFramework', 'notifyEvidence'].includes(f.handler));
    expect(deployed).toHaveLength(3);
    for (const fn of deployed) {
      expect(fs.readFileSync(path.join(fn.codeDir, 'data', 'rampart-checks.yaml'))).toEqual(fs.readFileSync(CHECK_CATALOGUE_FILE));
      expect(readEvidenceSettings(fn.codeDir)).toMatchObject({ frameworks: config.governance.evidence.frameworks, retentionDays: config.governance.evidence.retentionDays });
    }
  }, 120_000);
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
    const result = await session.evidence();
    expect(result).toMatchObject({ bucket, prefix: 'evidence/', notWritten: [] });
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
    expect(result.execution.output).toMatchObject({ notified: { messageId: notice?.messageId, notWritten: 0 } });
    const verified = await session.verifyEvidence('pci-dss-4.0/2026-12-05');
    expect(verified.verification).toMatchObject({ ok: true, problems: [] });
  }, 240_000);

  it('the next day, after a drift, fails the controls in the account it touches and marks them regressed against the set in the bucket', async () => {
    jest.setSystemTime(nextDay);
    fake.clock.set(nextDay);
    await findScenario('pci-standard-disabled')?.apply(fake, {});
    const pci = (await session.evidence()).sets.find((s) => s.framework === 'pci-dss-4.0') as FrameworkSummary;
    expect(pci.failing).toEqual([{ control: '2.2.1', where: 'payments-prod' }, { control: '10.7.2', where: 'payments-prod' }]);
    const report = JSON.parse(((await readEvidenceSet(clients, bucket, 'evidence/', 'pci-dss-4.0/2026-12-06')).get('report.json') as Buffer).toString('utf8')) as EvidenceReport;
    expect(report.previous).toEqual({ generatedAt: start.toISOString() });
    expect(report.frameworks[0].controls.filter((c) => c.result === 'failed').map((c) => [c.id, c.history.change])).toEqual([['2.2.1', 'regressed'], ['10.7.2', 'regressed']]);
  }, 240_000);
});

describe('the Evidence workflow run locally in process, for the frameworks a run asks for', () => {
  let fake: FakeAws;
  let session: LocalSession;

  beforeAll(async () => {
    fake = await seededSandbox(config);
    session = await openSession(config, fake, { now: () => fake.clock.now() });
  }, 240_000);

  afterAll(() => session?.close());

  it('an unknown framework fails the run before anything is written, and compliance is told', async () => {
    await expect(session.evidence({ frameworks: ['pci-dss-3.2.1'] })).rejects.toThrow(/unknown pci-dss-3\.2\.1; expected a non-empty list of .*pci-dss-4\.0/);
    const topic = Object.values(fake.state.get(snsSlot, HOME.account, HOME.region).topics)[0];
    expect(topic.messages.at(-1)?.subject).toBe('Rampart evidence: the run FAILED, no evidence was written');
  }, 240_000);

  it('"all" writes a verified set for every framework the deployment knows, beside the run\'s check results and inventory', async () => {
    const run = await session.evidence({ frameworks: 'all' });
    expect(run.notWritten).toEqual([]);
    expect(run.sets.map((s) => s.framework).sort()).toEqual(['cccs-medium-pbhva', 'nist-800-53-r5', 'pci-dss-4.0']);
    // Sets are dated by the execution's start (the local runner's library takes it from the wall clock).
    const date = run.checks.startTime.slice(0, 10);
    for (const set of run.sets) {
      expect(set.location).toBe(`s3://${run.bucket}/${run.prefix}${set.framework}/${date}/`);
      expect((await session.verifyEvidence(`${set.framework}/${date}`)).verification).toMatchObject({ ok: true, problems: [] });
    }
    const results = await session.verifyEvidence(`${CHECK_RESULTS_DIR}/${date}`);
    expect(results.verification.ok).toBe(true);
    expect([...results.files.keys()].sort()).toEqual([CHECK_RESULTS_FILE, INVENTORY_FILE, MANIFEST_FILE]);
  }, 240_000);
});
