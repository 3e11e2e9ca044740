import * as fs from 'node:fs';
import { AccessAnalyzerClient, UpdateFindingsCommand } from '@aws-sdk/client-accessanalyzer';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClients } from '../../aws/clients';
import { approveTask, rejectTask } from '../../aws/stepFunctions';
import { denySid, policyLength } from '../../engine/trustPolicyDeny';
import { AccessSandbox, EXTERNAL_ACCOUNT, HOME_REGION, IDS, trustAllow } from './localAccess';

/**
 * The access-resolution workflow as deployed (the synthesized definition, run locally) against
 * the pci-org landing zone in FakeAws: findings arrive as Access Analyzer sends them, through the
 * rule; every outcome is checked on the role, on the finding and in the message.
 */

const SAMPLE = (JSON.parse(fs.readFileSync('test/access/fixtures/accessAnalyzerFindingEvent.json', 'utf8')) as { event: Record<string, unknown> & { detail: Record<string, unknown> } }).event;

const outcomesOf = (runs: { results: { outcomes: { outcome: string }[] }[] }[]) => runs.flatMap((r) => r.results.flatMap((x) => x.outcomes.map((o) => o.outcome)));
const ownStatements = (policy: { Statement: Record<string, unknown>[] }) => policy.Statement.filter((s) => String(s.Sid ?? '').startsWith('RampartDenyExternal'));

async function canAssume(sandbox: AccessSandbox, callerAccount: string, roleArn: string): Promise<boolean> {
  const sts = new STSClient(sandbox.fake.clientConfig({ account: callerAccount }));
  try {
    await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'probe' }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'AccessDenied') return false;
    throw error;
  }
}

describe('the documented example event, delivered through the rule', () => {
  it('resolves a role with a path end to end', async () => {
    const sandbox = await AccessSandbox.create();
    const principal = (SAMPLE.detail.principal as { AWS: string }).AWS;
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'vendor-access', [trustAllow({ AWS: principal })], { path: '/service-role/' });
    expect(await canAssume(sandbox, principal, roleArn)).toBe(true);
    sandbox.matchedEvents(); // Access Analyzer's own event for the new role: this test delivers the documented one instead
    const [finding] = sandbox.findings(roleArn);

    // The example as documented, for this finding: its identity fields are the live finding's, the rest is the example's.
    const event: Record<string, unknown> & { resources: string[] } = {
      ...SAMPLE, account: IDS.securityTooling, region: HOME_REGION, resources: [sandbox.local.settings.analyzer.arn],
      detail: { ...SAMPLE.detail, accountId: IDS.paymentsProd, region: HOME_REGION, id: finding.id, resource: roleArn, resourceType: 'AWS::IAM::Role', action: ['sts:AssumeRole'] },
    };
    const events = new EventBridgeClient(sandbox.fake.clientConfig({ account: IDS.securityTooling, region: HOME_REGION }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: event.source as string, DetailType: event['detail-type'] as string, Detail: JSON.stringify(event.detail), Resources: event.resources }] }));
    const runs = await sandbox.deliver();

    expect(outcomesOf(runs)).toEqual(['resolved']);
    expect(sandbox.trustPolicy(IDS.paymentsProd, 'vendor-access').Statement).toEqual([
      trustAllow({ AWS: principal }),
      { Sid: denySid([finding.id]), Effect: 'Deny', Principal: { AWS: principal }, Action: 'sts:AssumeRole' },
    ]);
    expect(await canAssume(sandbox, principal, roleArn)).toBe(false);
    expect(sandbox.findings(roleArn).map((f) => f.status)).toEqual(['RESOLVED']);

    const [message] = sandbox.messages();
    expect(message).toMatchObject({
      type: 'rampart.access-resolution', outcome: 'resolved', findingId: finding.id, roleArn, accountId: IDS.paymentsProd, principal: { AWS: principal },
      principalText: `AWS ${principal}`, written: true, sid: denySid([finding.id]), mode: 'auto',
      revertCommand: `rampart access revert --finding ${finding.id} --role arn:aws:iam::${IDS.paymentsProd}:role/service-role/vendor-access`,
    });
    expect(message.policyDiff).toContain(`+      "Sid": "${denySid([finding.id])}",`);
    expect(sandbox.subjects()).toEqual([`Rampart access resolved: vendor-access in ${IDS.paymentsProd}`]);
    const record = sandbox.record(message.recordKey as string);
    expect(record).toMatchObject({ roleArn, sid: denySid([finding.id]), applied: { written: true }, confirmation: { confirmed: true, status: 'RESOLVED' } });
    expect(JSON.parse(record.before as string)).toEqual({ Version: '2012-10-17', Statement: [trustAllow({ AWS: principal })] });
    expect(JSON.parse(record.after as string)).toEqual(sandbox.trustPolicy(IDS.paymentsProd, 'vendor-access'));
  });
});

describe('each kind of principal gets a Deny for exactly itself', () => {
  it.each([
    ['an account root, as a string', trustAllow({ AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:root` }), { AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:root` }, 'sts:AssumeRole'],
    ['an account id in a list beside a PCI account', trustAllow({ AWS: [IDS.paymentsStaging, EXTERNAL_ACCOUNT] }), { AWS: EXTERNAL_ACCOUNT }, 'sts:AssumeRole'],
    ['a user', trustAllow({ AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:user/vendor` }), { AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:user/vendor` }, 'sts:AssumeRole'],
    ['a role with a path', trustAllow({ AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:role/ops/Support` }), { AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:role/ops/Support` }, 'sts:AssumeRole'],
    ['an assumed-role session', trustAllow({ AWS: `arn:aws:sts::${EXTERNAL_ACCOUNT}:assumed-role/Support/alice` }), { AWS: `arn:aws:sts::${EXTERNAL_ACCOUNT}:assumed-role/Support/alice` }, 'sts:AssumeRole'],
    ['a SAML provider', trustAllow({ Federated: `arn:aws:iam::${EXTERNAL_ACCOUNT}:saml-provider/Okta` }, 'sts:AssumeRoleWithSAML'), { Federated: `arn:aws:iam::${EXTERNAL_ACCOUNT}:saml-provider/Okta` }, 'sts:AssumeRoleWithSAML'],
    ['an OIDC provider', trustAllow({ Federated: 'token.actions.githubusercontent.com' }, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']), { Federated: 'token.actions.githubusercontent.com' },
      ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']],
  ])('%s', async (_name, statement, principal, action) => {
    const sandbox = await AccessSandbox.create();
    await sandbox.createRole(IDS.paymentsProd, 'partner', [statement]);
    const runs = await sandbox.deliver();
    expect(outcomesOf(runs)).toEqual(['resolved']);
    const [message] = sandbox.messages();
    expect(ownStatements(sandbox.trustPolicy(IDS.paymentsProd, 'partner'))).toEqual([{ Sid: denySid([message.findingId]), Effect: 'Deny', Principal: principal, Action: action }]);
    expect(message).toMatchObject({ outcome: 'resolved', principal, written: true, revertCommand: expect.stringContaining(message.findingId) });
  });

  it('a service principal is left alone while the external account beside it is denied', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'batch', [trustAllow({ Service: 'ecs-tasks.amazonaws.com' }), trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    expect(outcomesOf(await sandbox.deliver())).toEqual(['resolved']);
    const policy = sandbox.trustPolicy(IDS.paymentsProd, 'batch');
    expect(ownStatements(policy).map((s) => s.Principal)).toEqual([{ AWS: EXTERNAL_ACCOUNT }]);
    expect(policy.Statement[0]).toEqual(trustAllow({ Service: 'ecs-tasks.amazonaws.com' }));
    expect(sandbox.findings(roleArn).map((f) => f.status)).toEqual(['RESOLVED']);
  });

  it('public trust is denied outside the organization only, and the outcome follows what Access Analyzer then reports', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'open', [trustAllow({ AWS: '*' })]);
    const runs = await sandbox.deliver();
    const [deny] = ownStatements(sandbox.trustPolicy(IDS.paymentsProd, 'open'));
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': expect.stringMatching(/^o-/) }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } });
    expect(await canAssume(sandbox, EXTERNAL_ACCOUNT, roleArn)).toBe(false);
    expect(await canAssume(sandbox, IDS.paymentsStaging, roleArn)).toBe(true);
    const status = sandbox.findings(roleArn)[0].status;
    const [message] = sandbox.messages();
    // resolved only when Access Analyzer confirms it; otherwise a failure, with the way back
    expect(outcomesOf(runs)).toEqual([status === 'RESOLVED' ? 'resolved' : 'failed']);
    expect(message).toMatchObject({ written: true, revertCommand: expect.stringContaining(message.findingId) });
    if (status !== 'RESOLVED') expect(message.summary).toMatch(/^Failed: .*still reports the finding ACTIVE/);
  });
});

describe('idempotence and concurrency', () => {
  it('the same event delivered twice at once writes one Deny, and redelivered later changes nothing', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    const [event] = sandbox.matchedEvents();
    const both = outcomesOf(await Promise.all([sandbox.run(event), sandbox.run(event)]));
    // The second sees the Deny already written (resolved, nothing written) or the finding already resolved (dropped).
    expect(both[0]).toBe('resolved');
    expect(['resolved', 'dropped']).toContain(both[1]);
    // IAM has no conditional write: both may have written the same policy, never two statements.
    expect(sandbox.messages().map((m) => m.outcome)).toEqual(both.filter((o) => o !== 'dropped'));
    expect(sandbox.messages().some((m) => m.written)).toBe(true);
    const messages = sandbox.messages().length;
    expect(outcomesOf([await sandbox.run(event)])).toEqual(['dropped']);
    expect(sandbox.messages()).toHaveLength(messages);
    expect(ownStatements(sandbox.trustPolicy(IDS.paymentsProd, 'vendor'))).toEqual([
      { Sid: denySid([sandbox.findings(roleArn)[0].id]), Effect: 'Deny', Principal: { AWS: EXTERNAL_ACCOUNT }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('two findings on one role, delivered at once, both get their Deny', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'shared', [trustAllow({ AWS: [EXTERNAL_ACCOUNT, '210987654322'] })]);
    const runs = await sandbox.deliver();
    expect(runs).toHaveLength(2);
    expect(outcomesOf(runs)).toEqual(['resolved', 'resolved']);
    const sids = ownStatements(sandbox.trustPolicy(IDS.paymentsProd, 'shared')).map((s) => s.Sid).sort();
    expect(sids).toEqual(sandbox.findings(roleArn).map((f) => denySid([f.id])).sort());
  });

  it('a sweep catches what no event delivered, taking the findings of one role one after the other', async () => {
    const sandbox = await AccessSandbox.create();
    await sandbox.createRole(IDS.paymentsProd, 'shared', [trustAllow({ AWS: [EXTERNAL_ACCOUNT, '210987654322'] })]);
    await sandbox.createRole(IDS.webProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    sandbox.matchedEvents(); // lost
    const sweep = await sandbox.run({ sweep: true });
    expect(sweep.source).toBe('sweep');
    expect(sweep.results.map((r) => [r.role, r.outcomes.map((o) => o.outcome)])).toEqual([
      [`arn:aws:iam::${IDS.paymentsProd}:role/shared`, ['resolved', 'resolved']],
      [`arn:aws:iam::${IDS.webProd}:role/vendor`, ['resolved']],
    ]);
    expect((await sandbox.run({ sweep: true })).results).toEqual([]);
  });

  it('retries throttling until the change is made', async () => {
    const sandbox = await AccessSandbox.create();
    await sandbox.createRole(IDS.paymentsProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    const storm = sandbox.fake.faults.throttlingStorm({ services: ['iam', 'sts', 'accessanalyzer', 'sns', 's3'], probability: 0.5 });
    const runs = await sandbox.deliver();
    expect(storm.injected).toBeGreaterThan(0);
    storm.clear();
    expect(outcomesOf(runs)).toEqual(['resolved']);
  });
});

describe('what is never changed, and failures that never read as success', () => {
  it.each([
    ['a break-glass role (path exemption)', IDS.paymentsProd, { path: '/break-glass/' }, /exempt in security\.yaml: Break-glass/],
    ['a role tagged rampart:exempt', IDS.paymentsProd, { tags: { 'rampart:exempt': 'true' } }, /exempt in security\.yaml \(security\.yaml:\d+:\d+\): Roles tagged/],
    ['a role in the management account', IDS.management, {}, /management account \(111111111111\), which Rampart never changes/],
  ])('%s is skipped and left as it was', async (_name, account, options, reason) => {
    const sandbox = await AccessSandbox.create();
    await sandbox.createRole(account, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })], options);
    const before = sandbox.trustPolicy(account, 'vendor');
    sandbox.fake.calls.clear();
    expect(outcomesOf(await sandbox.deliver())).toEqual(['skipped-exempt']);
    expect(sandbox.trustPolicy(account, 'vendor')).toEqual(before);
    const [message] = sandbox.messages();
    expect(message).toMatchObject({ outcome: 'skipped-exempt', written: false, reason: expect.stringMatching(reason) });
    expect(message.revertCommand).toBeUndefined();
    expect(sandbox.fake.calls.count({ service: 'iam', operation: 'UpdateAssumeRolePolicy' })).toBe(0);
  });

  it('IAM rejecting the update is a failure, the policy and the finding unchanged', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    const before = sandbox.trustPolicy(IDS.paymentsProd, 'vendor');
    sandbox.fake.faults.accessDenied({ accounts: [IDS.paymentsProd], services: ['iam'], operations: ['UpdateAssumeRolePolicy'] });
    expect(outcomesOf(await sandbox.deliver())).toEqual(['failed']);
    expect(sandbox.trustPolicy(IDS.paymentsProd, 'vendor')).toEqual(before);
    expect(sandbox.findings(roleArn).map((f) => f.status)).toEqual(['ACTIVE']);
    const [message] = sandbox.messages();
    expect(message).toMatchObject({ outcome: 'failed', written: false, reason: expect.stringMatching(/^IAM rejected the update \(AccessDenied/) });
    expect(message.summary).toMatch(/^Failed: /);
    expect(message.revertCommand).toBeUndefined();
    expect(sandbox.subjects()[0]).toMatch(/^Rampart access failed: /);
  });

  /** A role trusting four external accounts, its Allow padded so that the policy sits `room` characters under the quota. */
  async function nearQuota(sandbox: AccessSandbox, room: number): Promise<string> {
    const externals = ['210987654321', '210987654322', '210987654323', '210987654324'];
    const statement = (padding: number) => trustAllow({ AWS: externals }, 'sts:AssumeRole', { Condition: { StringEquals: { 'sts:ExternalId': 'x'.repeat(padding) } } });
    const base = policyLength(JSON.stringify({ Version: '2012-10-17', Statement: [statement(0)] }));
    return sandbox.createRole(IDS.paymentsProd, 'crowded', [statement(2048 - room - base)]);
  }

  it('near the size limit, statements are merged to fit', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await nearQuota(sandbox, 420);
    sandbox.matchedEvents();
    const sweep = await sandbox.run({ sweep: true });
    expect(sweep.results[0].outcomes.map((o) => o.outcome)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    const policy = sandbox.trustPolicy(IDS.paymentsProd, 'crowded');
    expect(policyLength(JSON.stringify(policy))).toBeLessThanOrEqual(2048);
    expect(ownStatements(policy).length).toBeLessThan(4);
    expect(ownStatements(policy).map((s) => s.Sid).join('')).toHaveLength(4 * 32 + ownStatements(policy).length * 'RampartDenyExternal'.length);
    expect(sandbox.findings(roleArn).every((f) => f.status === 'RESOLVED')).toBe(true);
  });

  it('when even merged statements do not fit, it refuses with the sizes and changes nothing', async () => {
    const sandbox = await AccessSandbox.create();
    await nearQuota(sandbox, 40);
    const before = sandbox.trustPolicy(IDS.paymentsProd, 'crowded');
    sandbox.matchedEvents();
    const sweep = await sandbox.run({ sweep: true });
    expect(sweep.results[0].outcomes.map((o) => o.outcome)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(sandbox.trustPolicy(IDS.paymentsProd, 'crowded')).toEqual(before);
    for (const message of sandbox.messages()) {
      expect(message).toMatchObject({ outcome: 'refused', written: false, reason: expect.stringMatching(/quota.*Role trust policy length/) });
      expect(message.summary).toMatch(/^Not resolved: /);
    }
  });

  it('drops a finding archived before its event is handled, without a message', async () => {
    const sandbox = await AccessSandbox.create();
    const roleArn = await sandbox.createRole(IDS.paymentsProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    const [event] = sandbox.matchedEvents();
    const analyzer = new AccessAnalyzerClient(sandbox.fake.clientConfig({ account: IDS.securityTooling, region: HOME_REGION }));
    await analyzer.send(new UpdateFindingsCommand({ analyzerArn: sandbox.local.settings.analyzer.arn, status: 'ARCHIVED', resourceArn: roleArn }));
    const run = await sandbox.run(event);
    expect(run.results[0].outcomes).toEqual([expect.objectContaining({ outcome: 'dropped', reason: expect.stringContaining('ARCHIVED') })]);
    expect(sandbox.messages()).toEqual([]);
  });

  it('parks a malformed event with its reason and fails the execution', async () => {
    const sandbox = await AccessSandbox.create();
    await expect(sandbox.run({ source: 'aws.access-analyzer', 'detail-type': 'Access Analyzer Finding', id: 'evt-1', detail: {} })).rejects.toThrow(/MalformedEvent|detail\.id/);
    const record = sandbox.record('evidence/access-resolution/dead-letter/2026-12-04/evt-1.json');
    expect(record).toMatchObject({ reason: expect.stringContaining('detail.id'), event: { id: 'evt-1' } });
  });
});

describe('modes', () => {
  it('report: tells with the exact diff and changes nothing', async () => {
    const sandbox = await AccessSandbox.create({ mode: 'report', modeSource: 'governance.yaml sets report for ExternalTrustOnRole' });
    await sandbox.createRole(IDS.paymentsProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    const before = sandbox.trustPolicy(IDS.paymentsProd, 'vendor');
    expect(outcomesOf(await sandbox.deliver())).toEqual(['reported']);
    expect(sandbox.trustPolicy(IDS.paymentsProd, 'vendor')).toEqual(before);
    const [message] = sandbox.messages();
    expect(message).toMatchObject({ outcome: 'reported', written: false, mode: 'report' });
    expect(message.policyDiff).toMatch(/^--- arn:aws:iam::444444444444:role\/vendor \(now\)\n\+\+\+ .*\n@@ /);
    expect(message.revertCommand).toBeUndefined();
  });

  async function approval(sandbox: AccessSandbox, answer: { approve: true; by: string } | { approve: false; by: string; reason: string }) {
    await sandbox.createRole(IDS.paymentsProd, 'vendor', [trustAllow({ AWS: EXTERNAL_ACCOUNT })]);
    const running = sandbox.deliver();
    for (let waited = 0; sandbox.fake.taskTokens.pending().length === 0; waited += 10) {
      if (waited > 10_000) throw new Error(`no approval was requested: ${JSON.stringify(sandbox.messages())}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [request] = sandbox.messages();
    const [waiting] = sandbox.fake.taskTokens.pending();
    expect(request).toMatchObject({ outcome: 'awaiting-approval', written: false, approveCommand: `rampart approve '${waiting.token}'` });
    expect(request.reason).toContain(`to decline: rampart approve '${waiting.token}' --reject --reason`);
    // What `rampart approve TOKEN [--reject --reason WHY]` sends.
    const clients = new AwsClients({ homeAccountId: IDS.securityTooling, homeRegion: HOME_REGION, executionRoleName: '', organizationRoleName: '', base: { requestHandler: sandbox.fake.requestHandler(), credentials: sandbox.fake.credentials({ account: IDS.securityTooling }) } });
    if (answer.approve) await approveTask(clients, waiting.token, { by: answer.by, at: '2026-12-04T10:05:00Z' });
    else await rejectTask(clients, waiting.token, { by: answer.by, reason: answer.reason });
    return outcomesOf(await running);
  }

  it('approve: waits for a person, then resolves', async () => {
    const sandbox = await AccessSandbox.create({ mode: 'approve', modeSource: 'governance.yaml sets approve for ExternalTrustOnRole' });
    expect(await approval(sandbox, { approve: true, by: 'alice' })).toEqual(['resolved']);
    expect(ownStatements(sandbox.trustPolicy(IDS.paymentsProd, 'vendor'))).toHaveLength(1);
    expect(sandbox.messages().map((m) => m.outcome)).toEqual(['awaiting-approval', 'resolved']);
    expect(sandbox.record(sandbox.messages()[1].recordKey as string)).toMatchObject({ approval: { decision: 'approved', by: 'alice' } });
  });

  it('approve: a rejected change is not made', async () => {
    const sandbox = await AccessSandbox.create({ mode: 'approve', modeSource: 'governance.yaml sets approve for ExternalTrustOnRole' });
    expect(await approval(sandbox, { approve: false, by: 'bob', reason: 'the vendor contract covers it' })).toEqual(['declined']);
    expect(ownStatements(sandbox.trustPolicy(IDS.paymentsProd, 'vendor'))).toEqual([]);
    expect(sandbox.messages().map((m) => [m.outcome, m.reason])).toEqual([['awaiting-approval', expect.any(String)], ['declined', 'rejected by bob: the vendor contract covers it']]);
  });
});
