import { policyDiff } from '../../engine/policyDiff';
import { trustGrants } from '../../engine/roleTrust';
import {
  DEFAULT_TRUST_POLICY_QUOTA, denySid, findingToken, planTrustDeny, planTrustRevert, policyLength, sidTokens, type DenyPlan, type DenyRequest, type Statement,
  type ZoneOfTrust,
} from '../../engine/trustPolicyDeny';

const ORG_ZONE: ZoneOfTrust = { organizationId: 'o-abcd1234ef', accountIds: [], trustedPrincipalArns: [], trustedAccountIds: [] };
const FINDING_A = '5f2d2a53-6b1e-4c8e-9b37-0d7a6a1c2e11';
const FINDING_B = '8c0e4f12-2a9d-4b6a-8e55-91b3d4c7a0f2';
const EXTERNAL_ROOT = 'arn:aws:iam::999999999999:root';

const policy = (...statements: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: Statement['Principal'], action: string | string[] = 'sts:AssumeRole', extra: Statement = {}) => ({ Effect: 'Allow', Principal: principal, Action: action, ...extra });
const request = (principal: Record<string, string>, actions: string[] = ['sts:AssumeRole'], findingId = FINDING_A): DenyRequest => ({ findingId, principal, actions });
const plan = (text: string, requests: DenyRequest[], quota = DEFAULT_TRUST_POLICY_QUOTA, zone = ORG_ZONE) => planTrustDeny(text, requests, { quota, zone });

function changed(result: DenyPlan): Extract<DenyPlan, { status: 'changed' }> {
  if (result.status !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(result)}`);
  return result;
}
const statementsOf = (text: string) => (JSON.parse(text) as { Statement: Statement[] }).Statement;
const grantsOf = (text: string) => trustGrants(JSON.parse(text) as { Statement: Statement[] }).map((g) => `${g.principalType}:${g.principal} ${g.actions.join('+')}`);

describe('statement ids from finding ids', () => {
  it('uses the finding UUID without dashes, and a hash for ids that are not UUIDs', () => {
    expect(denySid([FINDING_A])).toBe('RampartDenyExternal5f2d2a536b1e4c8e9b370d7a6a1c2e11');
    expect(findingToken('finding-us-east-1-1')).toMatch(/^[0-9a-f]{32}$/);
    expect(findingToken('finding-us-east-1-1')).toBe(findingToken('finding-us-east-1-1'));
    expect(sidTokens(denySid([FINDING_A, FINDING_B]))).toEqual([findingToken(FINDING_A), findingToken(FINDING_B)]);
    expect(sidTokens('RampartDenyPathabc')).toBeUndefined();
    expect(sidTokens('SomethingElse')).toBeUndefined();
  });
});

describe('planTrustDeny: one Deny for exactly the principal and actions of the finding', () => {
  it.each([
    ['an account root, trusted as a string', allow({ AWS: EXTERNAL_ROOT }), { AWS: EXTERNAL_ROOT }, ['sts:AssumeRole']],
    ['an account id, trusted in a list', allow({ AWS: ['123456789012', '999999999999'] }), { AWS: '999999999999' }, ['sts:AssumeRole']],
    ['a user', allow({ AWS: 'arn:aws:iam::999999999999:user/vendor' }), { AWS: 'arn:aws:iam::999999999999:user/vendor' }, ['sts:AssumeRole']],
    ['a role with a path', allow({ AWS: 'arn:aws:iam::999999999999:role/ops/Support' }), { AWS: 'arn:aws:iam::999999999999:role/ops/Support' }, ['sts:AssumeRole', 'sts:TagSession']],
    ['an assumed-role session', allow({ AWS: 'arn:aws:sts::999999999999:assumed-role/Support/alice' }), { AWS: 'arn:aws:sts::999999999999:assumed-role/Support/alice' }, ['sts:AssumeRole']],
    ['a SAML provider', allow({ Federated: 'arn:aws:iam::999999999999:saml-provider/Okta' }, 'sts:AssumeRoleWithSAML'), { Federated: 'arn:aws:iam::999999999999:saml-provider/Okta' }, ['sts:AssumeRoleWithSAML']],
    ['an OIDC provider', allow({ Federated: 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com' }, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']),
      { Federated: 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com' }, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']],
    ['a web identity provider by name', allow({ Federated: 'accounts.google.com' }, 'sts:AssumeRoleWithWebIdentity'), { Federated: 'accounts.google.com' }, ['sts:AssumeRoleWithWebIdentity']],
    ['a service', allow({ Service: 'ec2.amazonaws.com' }), { Service: 'ec2.amazonaws.com' }, ['sts:AssumeRole']],
  ])('%s', (_name, allowStatement, principal, actions) => {
    const before = policy(allowStatement);
    const result = changed(plan(before, [request(principal, actions)]));
    const added = statementsOf(result.after).at(-1);
    expect(added).toEqual({ Sid: denySid([FINDING_A]), Effect: 'Deny', Principal: principal, Action: actions.length === 1 ? actions[0] : actions });
    expect(statementsOf(result.after).slice(0, -1)).toEqual(statementsOf(before));
    expect(result.findings).toEqual([expect.objectContaining({ findingId: FINDING_A, change: 'added' })]);
    // The principal keeps no grant for the denied actions.
    const value = Object.values(principal)[0];
    expect(grantsOf(result.after).filter((g) => g.startsWith(`${Object.keys(principal)[0]}:${value} `) && actions.some((a) => g.includes(a)))).toEqual([]);
  });

  it('keeps the other principals of a list trusted', () => {
    const result = changed(plan(policy(allow({ AWS: ['123456789012', '999999999999'] })), [request({ AWS: '999999999999' })]));
    expect(grantsOf(result.after)).toEqual(['AWS:123456789012 sts:AssumeRole']);
  });

  it('accepts a policy whose Statement is a single object', () => {
    const before = JSON.stringify({ Version: '2012-10-17', Statement: allow({ AWS: EXTERNAL_ROOT }) });
    expect(statementsOf(changed(plan(before, [request({ AWS: EXTERNAL_ROOT })])).after)).toHaveLength(2);
  });

  it('denies public access outside the organization, never to everyone', () => {
    const result = changed(plan(policy(allow('*')), [request({ AWS: '*' }, ['sts:AssumeRole'])]));
    expect(statementsOf(result.after).at(-1)).toEqual({
      Sid: denySid([FINDING_A]), Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole',
      Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcd1234ef' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it('keeps trusted principals and the analyzer\'s account in a public Deny', () => {
    const zone: ZoneOfTrust = { accountIds: ['444444444444'], trustedPrincipalArns: ['arn:aws:iam::888888888888:role/Auditor'], trustedAccountIds: ['777777777777'] };
    const result = changed(plan(policy(allow({ AWS: '*' })), [request({ AWS: '*' })], DEFAULT_TRUST_POLICY_QUOTA, zone));
    expect(statementsOf(result.after).at(-1)?.Condition).toEqual({
      StringNotEquals: { 'aws:PrincipalAccount': ['444444444444', '777777777777'] },
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::888888888888:role/Auditor' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    });
  });

  it('refuses public access when the zone of trust is unknown', () => {
    const result = plan(policy(allow('*')), [request({ AWS: '*' })], DEFAULT_TRUST_POLICY_QUOTA, { accountIds: [], trustedAccountIds: [], trustedPrincipalArns: [] });
    expect(result).toEqual({ status: 'refused', reason: expect.stringContaining('lock everyone out') });
  });

  it('refuses findings a trust policy cannot hold', () => {
    expect(plan(policy(allow({ AWS: EXTERNAL_ROOT })), [request({ AWS: EXTERNAL_ROOT }, ['s3:GetObject'])])).toEqual({ status: 'refused', reason: expect.stringContaining('s3:GetObject') });
    expect(plan(policy(allow({ AWS: EXTERNAL_ROOT })), [request({})])).toEqual({ status: 'refused', reason: expect.stringContaining('no principal') });
    expect(plan(policy(allow({ AWS: EXTERNAL_ROOT })), [request({ AWS: '*', Federated: 'accounts.google.com' })])).toEqual({ status: 'refused', reason: expect.stringContaining('mixes') });
    expect(plan('{not json', [request({ AWS: EXTERNAL_ROOT })])).toEqual({ status: 'refused', reason: expect.stringContaining('not valid JSON') });
  });
});

describe('planTrustDeny: idempotent', () => {
  it('a redelivered finding finds its statement and changes nothing', () => {
    const first = changed(plan(policy(allow({ AWS: EXTERNAL_ROOT })), [request({ AWS: EXTERNAL_ROOT })]));
    const again = plan(first.after, [request({ AWS: EXTERNAL_ROOT })]);
    expect(again).toEqual({ status: 'unchanged', before: first.after, findings: [{ findingId: FINDING_A, sid: denySid([FINDING_A]), change: 'already-denied', coveredBy: denySid([FINDING_A]) }] });
  });

  it('the same finding twice in one batch adds one statement', () => {
    const result = changed(plan(policy(allow({ AWS: EXTERNAL_ROOT })), [request({ AWS: EXTERNAL_ROOT }), request({ AWS: EXTERNAL_ROOT })]));
    expect(statementsOf(result.after).filter((s) => s.Sid === denySid([FINDING_A]))).toHaveLength(1);
  });

  it.each([
    ['the same principal as a string', { AWS: EXTERNAL_ROOT }],
    ['the same principal in a list', { AWS: ['123456789012', EXTERNAL_ROOT] }],
    ['the principal\'s account id', { AWS: '999999999999' }],
    ['everyone', '*'],
  ])('an existing unconditional Deny naming %s is recognised', (_name, principal) => {
    const before = policy(allow({ AWS: EXTERNAL_ROOT }), { Sid: 'Manual', Effect: 'Deny', Principal: principal, Action: 'sts:*' });
    expect(plan(before, [request({ AWS: EXTERNAL_ROOT })])).toMatchObject({ status: 'unchanged', findings: [{ change: 'already-denied', coveredBy: 'Manual' }] });
  });

  it('an existing Deny of some actions leaves only the rest to deny', () => {
    const before = policy(allow({ AWS: EXTERNAL_ROOT }, ['sts:AssumeRole', 'sts:TagSession']), { Effect: 'Deny', Principal: { AWS: EXTERNAL_ROOT }, Action: 'sts:AssumeRole' });
    const result = changed(plan(before, [request({ AWS: EXTERNAL_ROOT }, ['sts:AssumeRole', 'sts:TagSession'])]));
    expect(statementsOf(result.after).at(-1)).toMatchObject({ Action: 'sts:TagSession' });
  });

  it('a conditional Deny does not count as denying', () => {
    const before = policy(allow({ AWS: EXTERNAL_ROOT }), { Effect: 'Deny', Principal: { AWS: EXTERNAL_ROOT }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(changed(plan(before, [request({ AWS: EXTERNAL_ROOT })])).findings[0].change).toBe('added');
  });

  it('a finding that reports more actions than its statement denies extends its statement', () => {
    const first = changed(plan(policy(allow({ AWS: EXTERNAL_ROOT }, ['sts:AssumeRole', 'sts:TagSession'])), [request({ AWS: EXTERNAL_ROOT })]));
    const second = changed(plan(first.after, [request({ AWS: EXTERNAL_ROOT }, ['sts:AssumeRole', 'sts:TagSession'])]));
    const own = statementsOf(second.after).filter((s) => String(s.Sid).startsWith('RampartDenyExternal'));
    expect(own).toEqual([{ Sid: denySid([FINDING_A]), Effect: 'Deny', Principal: { AWS: EXTERNAL_ROOT }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]);
    expect(second.findings[0].change).toBe('extended');
  });
});

describe('planTrustDeny: several findings on one role', () => {
  it('two findings at once get one statement each', () => {
    const before = policy(allow({ AWS: EXTERNAL_ROOT }), allow({ Federated: 'arn:aws:iam::999999999999:saml-provider/Okta' }, 'sts:AssumeRoleWithSAML'));
    const result = changed(plan(before, [
      request({ AWS: EXTERNAL_ROOT }),
      request({ Federated: 'arn:aws:iam::999999999999:saml-provider/Okta' }, ['sts:AssumeRoleWithSAML'], FINDING_B),
    ]));
    expect(statementsOf(result.after).map((s) => s.Sid)).toEqual([undefined, undefined, denySid([FINDING_A]), denySid([FINDING_B])]);
    expect(grantsOf(result.after)).toEqual([]);
  });

  it('the second finding arriving later is added beside the first', () => {
    const first = changed(plan(policy(allow({ AWS: [EXTERNAL_ROOT, '888888888888'] })), [request({ AWS: EXTERNAL_ROOT })]));
    const second = changed(plan(first.after, [request({ AWS: '888888888888' }, ['sts:AssumeRole'], FINDING_B)]));
    expect(statementsOf(second.after).map((s) => s.Sid)).toEqual([undefined, denySid([FINDING_A]), denySid([FINDING_B])]);
  });
});

describe('planTrustDeny: the trust policy size quota', () => {
  /** A policy trusting four external accounts, padded so that one Deny statement per finding lands one character over the quota. */
  function nearLimit(quota: number): { before: string; requests: DenyRequest[] } {
    const externals = Array.from({ length: 4 }, (_, i) => `arn:aws:iam::99999999999${i}:root`);
    const requests = externals.map((principal, i) => request({ AWS: principal }, ['sts:AssumeRole'], `${i}c0e4f12-2a9d-4b6a-8e55-91b3d4c7a0f2`));
    const padded = (padding: number) => policy(allow({ AWS: externals }, 'sts:AssumeRole', { Condition: { StringEquals: { 'sts:ExternalId': 'x'.repeat(padding) } } }));
    const separate = changed(planTrustDeny(padded(0), requests, { quota: 1_000_000, zone: ORG_ZONE }));
    const before = padded(quota - separate.afterLength + 1);
    expect(changed(planTrustDeny(before, requests, { quota: 1_000_000, zone: ORG_ZONE })).afterLength).toBe(quota + 1);
    return { before, requests };
  }

  it('merges Rampart\'s statements when separate ones would exceed the quota', () => {
    const { before, requests } = nearLimit(DEFAULT_TRUST_POLICY_QUOTA);
    const result = changed(plan(before, requests));
    expect(result.merged).toBe(true);
    expect(result.afterLength).toBeLessThanOrEqual(DEFAULT_TRUST_POLICY_QUOTA);
    const own = statementsOf(result.after).filter((s) => sidTokens(s.Sid));
    expect(own).toHaveLength(1);
    expect(sidTokens(own[0].Sid)).toEqual(requests.map((r) => findingToken(r.findingId)));
    expect(grantsOf(result.after)).toEqual([]);
  });

  it('refuses with the sizes when even merged statements do not fit', () => {
    const { before, requests } = nearLimit(DEFAULT_TRUST_POLICY_QUOTA);
    const result = plan(before, requests, policyLength(before) + 20);
    expect(result).toEqual({ status: 'refused', reason: expect.stringMatching(/over the account's quota of \d+ even with Rampart's Deny statements merged .*Role trust policy length/) });
  });

  it('reverting one finding of a merged statement removes exactly its principal', () => {
    const { before, requests } = nearLimit(DEFAULT_TRUST_POLICY_QUOTA);
    const merged = changed(plan(before, requests));
    const reverted = planTrustRevert(merged.after, requests[1].findingId);
    if (reverted.status !== 'changed') throw new Error(JSON.stringify(reverted));
    const own = statementsOf(reverted.after).filter((s) => sidTokens(s.Sid));
    expect(own).toEqual([{
      Sid: denySid([requests[0].findingId, requests[2].findingId, requests[3].findingId]), Effect: 'Deny',
      Principal: { AWS: [requests[0].principal.AWS, requests[2].principal.AWS, requests[3].principal.AWS] }, Action: 'sts:AssumeRole',
    }]);
    expect(grantsOf(reverted.after)).toEqual([`AWS:${requests[1].principal.AWS} sts:AssumeRole`]);
  });
});

describe('planTrustRevert', () => {
  it('removes exactly the finding\'s statement and restores the policy', () => {
    const before = policy(allow({ AWS: EXTERNAL_ROOT }), { Sid: 'Manual', Effect: 'Deny', Principal: { AWS: '888888888888' }, Action: 'sts:AssumeRole' });
    const resolved = changed(plan(before, [request({ AWS: EXTERNAL_ROOT })]));
    const reverted = planTrustRevert(resolved.after, FINDING_A);
    expect(reverted).toMatchObject({ status: 'changed', sid: denySid([FINDING_A]) });
    expect(reverted.status === 'changed' && JSON.parse(reverted.after)).toEqual(JSON.parse(before));
  });

  it('says when the finding has no statement, and refuses to leave an empty policy', () => {
    expect(planTrustRevert(policy(allow({ AWS: EXTERNAL_ROOT })), FINDING_A)).toMatchObject({ status: 'absent' });
    expect(planTrustRevert(policy({ Sid: denySid([FINDING_A]), Effect: 'Deny', Principal: { AWS: EXTERNAL_ROOT }, Action: 'sts:AssumeRole' }), FINDING_A))
      .toEqual({ status: 'refused', reason: expect.stringContaining('without statements') });
  });

  it('refuses to split a merged statement someone edited', () => {
    const edited = policy(allow({ AWS: EXTERNAL_ROOT }), { Sid: denySid([FINDING_A, FINDING_B]), Effect: 'Deny', Principal: { AWS: [EXTERNAL_ROOT] }, Action: 'sts:AssumeRole' });
    expect(planTrustRevert(edited, FINDING_A)).toEqual({ status: 'refused', reason: expect.stringContaining('edited') });
  });
});

describe('policyDiff', () => {
  it('shows exactly the added statement', () => {
    const before = policy(allow({ AWS: EXTERNAL_ROOT }));
    const result = changed(plan(before, [request({ AWS: EXTERNAL_ROOT })]));
    const diff = policyDiff(result.before, result.after, { before: 'before', after: 'after' });
    const lines = diff.split('\n');
    expect(lines.slice(0, 2)).toEqual(['--- before', '+++ after']);
    expect(lines.filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).join('\n')).toContain(`"Sid": "${denySid([FINDING_A])}"`);
    expect(lines[2]).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    expect(policyDiff(before, before, { before: 'a', after: 'b' })).toBe('');
  });

  it('counts lines in hunk headers as a patch tool would', () => {
    const diff = policyDiff('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}', '{"a":1,"b":2,"c":3,"d":40,"e":5,"f":6,"g":7,"h":8,"i":9}', { before: 'x', after: 'y' });
    expect(diff.split('\n')).toEqual(['--- x', '+++ y', '@@ -2,7 +2,7 @@', '   "a": 1,', '   "b": 2,', '   "c": 3,', '-  "d": 4,', '+  "d": 40,', '   "e": 5,', '   "f": 6,', '   "g": 7,']);
  });
});
