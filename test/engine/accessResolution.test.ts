import {
  accessMessage, accessResolutionSettings, assessRole, findingRefFromEvent, messageSubject, resolutionOutcome, screenFinding, zoneOfTrust, type AccessResolutionSettings,
  type ResolutionState, type RoleFinding, type RoleSnapshot,
} from '../../engine/accessResolution';
import { detectDrift } from '../../engine/detectDrift';
import { planRemediation } from '../../engine/remediation';
import { denySid } from '../../engine/trustPolicyDeny';
import { cleanInventory, IDS, ok, pciOrg } from './fixtures';

const FINDING_ID = '5f2d2a53-6b1e-4c8e-9b37-0d7a6a1c2e11';
const EXTERNAL = 'arn:aws:iam::210987654321:root';

function settings(overrides: Partial<AccessResolutionSettings> = {}): AccessResolutionSettings {
  const { config, desired } = pciOrg();
  const ids = Object.fromEntries(config.organization.accounts.map((a) => [a.name, a.id as string]));
  return { ...accessResolutionSettings(desired, config.governance.remediation, ids), ...overrides };
}

function finding(overrides: Partial<RoleFinding> = {}): RoleFinding {
  return {
    id: FINDING_ID, analyzerArn: `arn:aws:access-analyzer:us-east-1:${IDS.securityTooling}:analyzer/rampart-organization`, status: 'ACTIVE',
    resource: `arn:aws:iam::${IDS.paymentsProd}:role/vendor-support`, resourceType: 'AWS::IAM::Role', resourceOwnerAccount: IDS.paymentsProd,
    principal: { AWS: EXTERNAL }, actions: ['sts:AssumeRole'], condition: {}, isPublic: false, ...overrides,
  };
}

function role(overrides: Partial<RoleSnapshot> = {}): RoleSnapshot {
  return {
    arn: `arn:aws:iam::${IDS.paymentsProd}:role/vendor-support`, name: 'vendor-support', path: '/', tags: {},
    trustPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: EXTERNAL }, Action: 'sts:AssumeRole' }] }), ...overrides,
  };
}

describe('settings from the configuration', () => {
  it('takes the mode for ExternalTrustOnRole, the home Region analyzer, exemptions and the allowlist with account ids', () => {
    const s = settings();
    expect(s).toMatchObject({
      managementAccountId: IDS.management, executionRoleName: 'RampartExecutionRole', mode: 'auto', modeSource: 'governance.yaml sets auto for ExternalTrustOnRole',
      analyzer: { accountId: IDS.securityTooling, region: 'us-east-1', name: 'rampart-organization', arn: `arn:aws:access-analyzer:us-east-1:${IDS.securityTooling}:analyzer/rampart-organization` },
      trustedPrincipals: [{ principal: 'arn:aws:iam::999999999999:role/AuditorReadOnly', accountIds: [IDS.paymentsProd, IDS.paymentsStaging] }],
      trustPolicyQuota: 2048, approvalTimeoutHours: 72,
    });
    expect(s.exemptRoles.map((e) => e.match)).toEqual(['pathPrefix', 'tag']);
  });
});

describe('screenFinding', () => {
  it.each([
    ['a deleted finding', finding({ isDeleted: true }), 'drop', /deleted/],
    ['an archived finding', finding({ status: 'ARCHIVED' }), 'drop', /ARCHIVED/],
    ['a resolved finding', finding({ status: 'RESOLVED' }), 'drop', /RESOLVED/],
    ['a bucket finding', finding({ resourceType: 'AWS::S3::Bucket', resource: 'arn:aws:s3:::b' }), 'drop', /not an IAM role/],
    ['an error finding', finding({ error: 'ACCESS_DENIED' }), 'drop', /could not analyze/],
    ['a role in the management account', finding({ resource: `arn:aws:iam::${IDS.management}:role/vendor`, resourceOwnerAccount: IDS.management }), 'skip-exempt', /management account/],
    ['OrganizationAccountAccessRole', finding({ resource: `arn:aws:iam::${IDS.paymentsProd}:role/OrganizationAccountAccessRole` }), 'skip-exempt', /OrganizationAccountAccessRole/],
    ['the execution role', finding({ resource: `arn:aws:iam::${IDS.paymentsProd}:role/RampartExecutionRole` }), 'skip-exempt', /execution role/],
    ['a Rampart workflow role', finding({ resource: `arn:aws:iam::${IDS.securityTooling}:role/rampart/AccessAssess` }), 'skip-exempt', /workflow roles/],
    ['a service-linked role', finding({ resource: `arn:aws:iam::${IDS.paymentsProd}:role/aws-service-role/access-analyzer.amazonaws.com/AWSServiceRoleForAccessAnalyzer` }), 'skip-exempt', /service-linked/],
    ['a role exempt by path prefix', finding({ resource: `arn:aws:iam::${IDS.paymentsProd}:role/break-glass/Admin` }), 'skip-exempt', /exempt in security.yaml: Break-glass/],
    ['an allowlisted principal on an allowed account', finding({ principal: { AWS: 'arn:aws:iam::999999999999:role/AuditorReadOnly' } }), 'skip-exempt', /trusted principal/],
  ])('%s', (_name, f, decision, reason) => {
    const screening = screenFinding(f, settings());
    expect(screening.decision).toBe(decision);
    expect('reason' in screening && screening.reason).toMatch(reason);
  });

  it('reads the role by its name, not the first segment of its path', () => {
    expect(screenFinding(finding({ resource: `arn:aws:iam::${IDS.paymentsProd}:role/service-role/team/deploy` }), settings()))
      .toEqual({ decision: 'read-role', accountId: IDS.paymentsProd, roleName: 'deploy' });
  });

  it('an allowlisted principal reaching an account it is not allowed on is still resolved', () => {
    const f = finding({ resource: `arn:aws:iam::${IDS.webProd}:role/audit`, resourceOwnerAccount: IDS.webProd, principal: { AWS: 'arn:aws:iam::999999999999:role/AuditorReadOnly' } });
    expect(screenFinding(f, settings()).decision).toBe('read-role');
  });
});

describe('assessRole', () => {
  it('plans the Deny and applies it in auto mode', () => {
    const assessment = assessRole(finding(), role(), settings(), 'o-abcd1234ef');
    expect(assessment).toMatchObject({ decision: 'apply', reason: 'governance.yaml sets auto for ExternalTrustOnRole', change: { sid: denySid([FINDING_ID]), merged: false } });
    if (assessment.decision !== 'apply') throw new Error('expected apply');
    expect(assessment.change.diff).toContain(`+      "Sid": "${denySid([FINDING_ID])}"`);
  });

  it.each([['report', 'report'], ['approve', 'approve']] as const)('mode %s', (mode, decision) => {
    expect(assessRole(finding(), role(), settings({ mode, modeSource: `governance.yaml sets ${mode}` }), 'o-abcd1234ef').decision).toBe(decision);
  });

  it('skips a role exempt by tag, citing the configuration', () => {
    const assessment = assessRole(finding(), role({ tags: { 'rampart:exempt': 'true' } }), settings(), 'o-abcd1234ef');
    expect(assessment).toEqual({ decision: 'skip-exempt', reason: expect.stringMatching(/exempt in security.yaml \(.*security.yaml:\d+:\d+\): Roles tagged/) });
  });

  it('drops a finding whose role is gone', () => {
    expect(assessRole(finding(), null, settings(), 'o-abcd1234ef').decision).toBe('drop');
  });

  it('recognises its own statement on redelivery', () => {
    const first = assessRole(finding(), role(), settings(), 'o-abcd1234ef');
    if (first.decision !== 'apply') throw new Error('expected apply');
    expect(assessRole(finding(), role({ trustPolicy: first.change.after }), settings(), 'o-abcd1234ef'))
      .toEqual({ decision: 'confirm', reason: expect.stringContaining(denySid([FINDING_ID])), sid: denySid([FINDING_ID]), coveredBy: denySid([FINDING_ID]) });
  });

  it('plans against the largest quota when the default is too small, for IAM to decide', () => {
    const padding = 'x'.repeat(2000);
    const big = role({ trustPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: EXTERNAL }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': padding } } }] }) });
    expect(assessRole(finding(), big, settings(), 'o-abcd1234ef')).toMatchObject({ decision: 'apply', change: { quota: 4096 } });
    const huge = role({ trustPolicy: big.trustPolicy.replace(padding, 'x'.repeat(4000)) });
    expect(assessRole(finding(), huge, settings(), 'o-abcd1234ef')).toEqual({ decision: 'refuse', reason: expect.stringContaining('over the account\'s quota of 4096') });
  });

  it('keeps the zone of trust and the allowlist open in a public Deny', () => {
    expect(zoneOfTrust(settings(), 'o-abcd1234ef', IDS.paymentsProd)).toEqual({
      organizationId: 'o-abcd1234ef', accountIds: [], trustedAccountIds: [], trustedPrincipalArns: ['arn:aws:iam::999999999999:role/AuditorReadOnly'],
    });
    expect(zoneOfTrust(settings(), undefined, IDS.webProd)).toEqual({ accountIds: [IDS.webProd], trustedAccountIds: [], trustedPrincipalArns: [] });
  });
});

describe('messages', () => {
  const at = '2026-12-04T10:00:00.000Z';

  it('a resolution names role, principal, finding and the command that reverts it', () => {
    const assessment = assessRole(finding(), role(), settings(), 'o-abcd1234ef');
    if (assessment.decision !== 'apply') throw new Error('expected apply');
    const message = accessMessage({ outcome: 'resolved', finding: finding(), mode: 'auto', reason: 'finding RESOLVED after the change', written: true, denyInPlace: true, change: assessment.change, at });
    expect(message).toMatchObject({
      type: 'rampart.access-resolution', version: 1, outcome: 'resolved', findingId: FINDING_ID, roleArn: finding().resource, principalText: `AWS ${EXTERNAL}`,
      sid: denySid([FINDING_ID]), written: true, revertCommand: `rampart access revert --finding ${FINDING_ID} --role ${finding().resource}`,
    });
    expect(message.summary).toMatch(/^External trust removed: .*vendor-support no longer trusts AWS arn:aws:iam::210987654321:root\./);
    expect(messageSubject(message)).toBe(`Rampart access resolved: vendor-support in ${IDS.paymentsProd}`);
  });

  it('a failure never reads as a success and offers no revert when nothing was written', () => {
    const message = accessMessage({ outcome: 'failed', finding: finding(), mode: 'auto', reason: 'IAM refused the update: MalformedPolicyDocument', written: false, denyInPlace: false, at });
    expect(message.summary).toMatch(/^Failed: /);
    expect(message.revertCommand).toBeUndefined();
    expect(JSON.stringify(message)).not.toMatch(/removed|resolved/i);
  });

  it('an SNS subject stays under 100 printable characters', () => {
    const long = finding({ resource: `arn:aws:iam::${IDS.paymentsProd}:role/${'r'.repeat(120)}` });
    const subject = messageSubject(accessMessage({ outcome: 'refused', finding: long, mode: 'auto', reason: 'x', written: false, denyInPlace: false, at }));
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('findingRefFromEvent', () => {
  it('reads the finding id and the analyzer', () => {
    expect(findingRefFromEvent({
      source: 'aws.access-analyzer', 'detail-type': 'Access Analyzer Finding', resources: ['arn:aws:access-analyzer:us-west-2:111122223333:analyzer/MyAnalyzer'],
      detail: { id: 'abc', resource: 'arn:aws:iam::111122223333:role/r' },
    })).toEqual({ ref: { findingId: 'abc', analyzerArn: 'arn:aws:access-analyzer:us-west-2:111122223333:analyzer/MyAnalyzer', resource: 'arn:aws:iam::111122223333:role/r' } });
  });

  it.each([
    ['not an object', 'hello', /not an EventBridge event/],
    ['another source', { source: 'aws.s3', 'detail-type': 'Access Analyzer Finding' }, /expected source/],
    ['no finding id', { source: 'aws.access-analyzer', 'detail-type': 'Access Analyzer Finding', resources: ['arn:aws:access-analyzer:us-west-2:111122223333:analyzer/A'], detail: {} }, /detail.id/],
    ['no analyzer', { source: 'aws.access-analyzer', 'detail-type': 'Access Analyzer Finding', resources: [], detail: { id: 'x' } }, /analyzer ARN/],
  ])('says what is wrong with %s', (_name, event, problem) => {
    expect(findingRefFromEvent(event)).toEqual({ problem: expect.stringMatching(problem) });
  });
});

describe('resolutionOutcome: what happened, never more', () => {
  const base = (): ResolutionState => {
    const assessment = assessRole(finding(), role(), settings(), 'o-abcd1234ef');
    return { ref: { findingId: FINDING_ID, analyzerArn: finding().analyzerArn }, settings: settings(), finding: finding(), assessment };
  };

  it.each([
    ['written and confirmed', { applied: { written: true }, confirmation: { confirmed: true, status: 'RESOLVED', checks: 1 } }, 'resolved', true, true],
    ['written, finding still active', { applied: { written: true }, confirmation: { confirmed: false, status: 'ACTIVE', checks: 6 } }, 'failed', true, true],
    ['written, never confirmed', { applied: { written: true } }, 'failed', true, true],
    ['IAM rejected the write', { applied: { written: false, error: { code: 'AccessDenied', message: 'denied by SCP' } } }, 'failed', false, false],
    ['IAM said the quota is exceeded', { applied: { written: false, error: { code: 'LimitExceededException', message: 'Cannot exceed quota for ACLSizePerRole: 2048' } } }, 'refused', false, false],
    ['the policy changed under the write', { applied: { written: false, refused: 'the trust policy changed after it was read' } }, 'refused', false, false],
    ['a step failed after writing', { applied: { written: true }, error: { Error: 'States.Timeout', Cause: '{"errorMessage":"timed out"}' } }, 'failed', true, true],
    ['a step failed before writing', { error: { Error: 'AccessDenied', Cause: '{"errorMessage":"could not assume"}' } }, 'failed', false, false],
  ] as const)('%s', (_name, extra, outcome, written, denyInPlace) => {
    const result = resolutionOutcome({ ...base(), ...extra } as ResolutionState);
    expect(result).toMatchObject({ outcome, written, denyInPlace });
  });

  it('takes the reason of a failed step from its cause', () => {
    expect(resolutionOutcome({ ...base(), error: { Error: 'AccessDenied', Cause: '{"errorMessage":"could not assume the execution role"}' } })?.reason)
      .toBe('AccessDenied: could not assume the execution role');
  });

  it('approval: waiting, declined, approved and applied', () => {
    const approve = { ...base(), settings: settings({ mode: 'approve' }), assessment: assessRole(finding(), role(), settings({ mode: 'approve' }), undefined) };
    expect(resolutionOutcome(approve)?.outcome).toBe('awaiting-approval');
    expect(resolutionOutcome({ ...approve, approvalError: { Error: 'Rampart.Rejected', Cause: '{"by":"bob","reason":"vendor contract"}' } })).toMatchObject({ outcome: 'declined', reason: 'rejected by bob: vendor contract' });
    expect(resolutionOutcome({ ...approve, approval: { decision: 'expired', reason: 'nobody answered within 72 hours' } })).toMatchObject({ outcome: 'declined', reason: 'nobody answered within 72 hours' });
    expect(resolutionOutcome({ ...approve, approval: { decision: 'approved', by: 'alice' }, applied: { written: true }, confirmation: { confirmed: true, status: 'RESOLVED', checks: 1 } })?.outcome).toBe('resolved');
  });

  it('a dropped finding has nothing to tell', () => {
    expect(resolutionOutcome({ ...base(), assessment: { decision: 'drop', reason: 'finding is ARCHIVED' } })).toBeUndefined();
  });
});

describe('remediation planning leaves public trust to the access-resolution workflow', () => {
  it('plans no Deny on "*" for an ExternalTrustOnRole drift', () => {
    const { config, desired } = pciOrg();
    const inventory = cleanInventory();
    const roleArn = `arn:aws:iam::${IDS.webProd}:role/open`;
    ok(inventory.accounts[IDS.webProd].iam).roles.push({ arn: roleArn, name: 'open', path: '/', tags: {}, trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] } });
    ok(inventory.accessAnalyzer.regions['us-east-1']).findings.push({
      id: 'public-1', analyzerArn: `arn:aws:access-analyzer:us-east-1:${IDS.securityTooling}:analyzer/rampart-organization`, resource: roleArn, resourceType: 'AWS::IAM::Role',
      resourceOwnerAccount: IDS.webProd, status: 'ACTIVE', principal: { AWS: '*' }, actions: ['sts:AssumeRole'], condition: {}, isPublic: true,
    });
    const plan = planRemediation(detectDrift(desired, inventory), desired, config.governance.remediation);
    expect(plan.actions.filter((a) => a.action.kind === 'DenyExternalTrust')).toEqual([]);
    expect(plan.reported).toContainEqual(expect.objectContaining({ type: 'ExternalTrustOnRole', reason: expect.stringContaining('lock everyone out') }));
  });
});
