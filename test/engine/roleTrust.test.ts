import type { DesiredExemptRole, DesiredTrustedPrincipal } from '../../engine/desiredState';
import { allowlistedBy, parseRoleArn, principalAccountId, roleExemption, trustGrants } from '../../engine/roleTrust';

const at = { file: 'security.yaml', line: 1, col: 1 };
const grants = (statement: Record<string, unknown> | Record<string, unknown>[]) =>
  trustGrants({ Version: '2012-10-17', Statement: statement }).map((g) => `${g.principalType}:${g.principal} ${g.actions.join('+')}${g.conditional ? ' (conditional)' : ''}`);

describe('trustGrants', () => {
  it.each([
    ['a principal as a string', [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }], ['AWS:123456789012 sts:AssumeRole']],
    ['principals as a list', [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', 'arn:aws:iam::2:role/x'] }, Action: ['sts:AssumeRole'] }], ['AWS:arn:aws:iam::1:root sts:AssumeRole', 'AWS:arn:aws:iam::2:role/x sts:AssumeRole']],
    ['Federated SAML', [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::1:saml-provider/Okta' }, Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'SAML:aud': 'x' } } }], ['Federated:arn:aws:iam::1:saml-provider/Okta sts:AssumeRoleWithSAML (conditional)']],
    ['a Service', [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }], ['Service:lambda.amazonaws.com sts:AssumeRole']],
    ['everyone', [{ Effect: 'Allow', Principal: '*', Action: 'sts:*' }], ['*:* sts:AssumeRole+sts:AssumeRoleWithSAML+sts:AssumeRoleWithWebIdentity']],
    ['AWS: "*" is everyone', [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }], ['*:* sts:AssumeRole']],
    ['a single statement object', { Effect: 'Allow', Principal: { AWS: '1' }, Action: 'sts:AssumeRole' }, ['AWS:1 sts:AssumeRole']],
    ['non-assume actions only', [{ Effect: 'Allow', Principal: { AWS: '1' }, Action: 'sts:TagSession' }], []],
    ['NotAction leaving assume in', [{ Effect: 'Allow', Principal: { AWS: '1' }, NotAction: 'sts:AssumeRoleWithSAML' }], ['AWS:1 sts:AssumeRole+sts:AssumeRoleWithWebIdentity']],
    ['an unconditional Deny for the same principal', [
      { Effect: 'Allow', Principal: { AWS: ['1', '2'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: { AWS: '1' }, Action: 'sts:AssumeRole' },
    ], ['AWS:2 sts:AssumeRole']],
    ['a Deny for everyone', [{ Effect: 'Allow', Principal: { AWS: '1' }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', Principal: '*', Action: 'sts:*' }], []],
    ['a conditional Deny does not block', [
      { Effect: 'Allow', Principal: { AWS: '1' }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: { AWS: '1' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ], ['AWS:1 sts:AssumeRole']],
  ])('%s', (_name, statement, expected) => {
    expect(grants(statement)).toEqual(expected);
  });
});

describe('principals and roles', () => {
  it.each([
    ['123456789012', '123456789012'],
    ['arn:aws:iam::123456789012:root', '123456789012'],
    ['arn:aws:iam::123456789012:role/path/Name', '123456789012'],
    ['arn:aws:sts::123456789012:assumed-role/Name/session', '123456789012'],
    ['arn:aws-us-gov:iam::123456789012:user/u', '123456789012'],
    ['lambda.amazonaws.com', undefined],
    ['*', undefined],
  ])('the account of %s is %s', (principal, account) => {
    expect(principalAccountId(principal)).toBe(account);
  });

  it('reads name and path from role ARNs with and without paths', () => {
    expect(parseRoleArn('arn:aws:iam::123456789012:role/Admin')).toEqual({ accountId: '123456789012', name: 'Admin', path: '/' });
    expect(parseRoleArn('arn:aws:iam::123456789012:role/service-role/team/Deploy')).toEqual({ accountId: '123456789012', name: 'Deploy', path: '/service-role/team/' });
    expect(parseRoleArn('arn:aws:s3:::bucket')).toBeUndefined();
  });
});

describe('exemptions', () => {
  const exemptions: DesiredExemptRole[] = [
    { match: 'arn', arn: 'arn:aws:iam::*:role/OrganizationAccountAccessRole', reason: 'org access', declaredAt: at },
    { match: 'pathPrefix', pathPrefix: '/break-glass/', reason: 'break glass', declaredAt: at },
    { match: 'tag', key: 'rampart:exempt', value: 'true', reason: 'reviewed', declaredAt: at },
  ];

  it.each([
    ['an ARN pattern with any account', { arn: 'arn:aws:iam::123456789012:role/OrganizationAccountAccessRole', path: '/', tags: {} }, true],
    ['a path prefix', { arn: 'arn:aws:iam::1:role/break-glass/Admin', path: '/break-glass/', tags: {} }, true],
    ['a tag', { arn: 'arn:aws:iam::1:role/R', path: '/', tags: { 'rampart:exempt': 'true' } }, true],
    ['a tag with another value', { arn: 'arn:aws:iam::1:role/R', path: '/', tags: { 'rampart:exempt': 'false' } }, false],
    ['unknown tags', { arn: 'arn:aws:iam::1:role/R', path: '/' }, 'unknown'],
  ])('%s', (_name, role, exempt) => {
    expect(roleExemption(role, exemptions).exempt).toBe(exempt);
  });

  it('an ARN or path exemption settles it even when tags are unknown', () => {
    expect(roleExemption({ arn: 'arn:aws:iam::1:role/break-glass/Admin', path: '/break-glass/' }, exemptions)).toEqual({ exempt: true, reason: 'break glass' });
  });
});

describe('trusted principals', () => {
  const allowlist: DesiredTrustedPrincipal[] = [
    { principal: 'arn:aws:iam::999999999999:role/Auditor', accounts: ['payments-prod'], reason: 'QSA', declaredAt: at },
    { principal: '888888888888', reason: 'SIEM vendor', declaredAt: at },
    { principal: 'arn:aws:iam::777777777777:root', accounts: ['web-prod'], reason: 'partner', declaredAt: at },
  ];

  it.each([
    ['the exact role, in an allowed account', 'arn:aws:iam::999999999999:role/Auditor', 'payments-prod', true],
    ['the exact role, in another account', 'arn:aws:iam::999999999999:role/Auditor', 'web-prod', false],
    ['another role of the same external account', 'arn:aws:iam::999999999999:role/Other', 'payments-prod', false],
    ['the root of that account (wider than the allowlist)', '999999999999', 'payments-prod', false],
    ['any principal of an allowlisted account id', 'arn:aws:iam::888888888888:role/Collector', 'analytics', true],
    ['an account outside the configuration when the entry names accounts', 'arn:aws:iam::777777777777:role/x', undefined, false],
    ['an account allowlisted by its root ARN', 'arn:aws:iam::777777777777:role/x', 'web-prod', true],
    ['everyone', '*', 'web-prod', false],
  ])('%s', (_name, principal, account, allowed) => {
    expect(allowlistedBy(principal, account, allowlist) !== undefined).toBe(allowed);
  });
});
