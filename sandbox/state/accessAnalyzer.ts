import { createHash } from 'node:crypto';
import { externalAccess, type ZoneOfTrust } from '../auth/externalAccess';
import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { putEvent } from './eventbridge';
import { iamSlot } from './iam';
import { defineSlot, GLOBAL_REGION, type SandboxState } from './sandboxState';

export const ACCESS_ANALYZER_PRINCIPAL = 'access-analyzer.amazonaws.com';

export type FindingStatus = 'ACTIVE' | 'ARCHIVED' | 'RESOLVED';

export interface Criterion {
  eq?: string[];
  neq?: string[];
  contains?: string[];
  exists?: boolean;
}

export interface FindingRecord {
  id: string;
  resource: string;
  resourceType: 'AWS::IAM::Role';
  resourceOwnerAccount: string;
  principal: Record<string, string>;
  action: string[];
  condition: Record<string, string>;
  isPublic: boolean;
  status: FindingStatus;
  /** Set when a person archived it with UpdateFindings (it stays archived while the access lasts). */
  archivedByUser?: boolean;
  createdAt: string;
  updatedAt: string;
  analyzedAt: string;
}

export interface AnalyzerRecord {
  name: string;
  arn: string;
  type: 'ACCOUNT' | 'ORGANIZATION';
  createdAt: string;
  tags: Record<string, string>;
  archiveRules: Record<string, { filter: Record<string, Criterion>; createdAt: string; updatedAt: string }>;
  findings: Record<string, FindingRecord>;
  lastResourceAnalyzed?: string;
  lastResourceAnalyzedAt?: string;
}

export interface AccessAnalyzerRegionState {
  analyzers: Record<string, AnalyzerRecord>;
}

export const accessAnalyzerSlot = defineSlot<AccessAnalyzerRegionState>('accessanalyzer', () => ({ analyzers: {} }));

/** Access Analyzer quota: archive rules per analyzer. */
export const ARCHIVE_RULES_PER_ANALYZER = 100;

function validation(message: string, reason = 'other'): AwsError {
  return new AwsError('ValidationException', message, { fields: { reason } });
}

function notFound(message: string, resourceId: string, resourceType: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, { fields: { resourceId, resourceType } });
}

export function analyzerArn(account: string, region: string, name: string): string {
  return `arn:aws:access-analyzer:${region}:${account}:analyzer/${name}`;
}

// ── Analyzers and archive rules ──────────────────────────────────────────────────────────────

export function createAnalyzer(state: SandboxState, account: string, region: string, input: { name: string; type: string; tags?: Record<string, string>; archiveRules?: { ruleName: string; filter: Record<string, Criterion> }[] }, now: Date, random: SeededRandom): AnalyzerRecord {
  if (input.type !== 'ACCOUNT' && input.type !== 'ORGANIZATION') {
    throw validation(`FakeAws models external access analyzers (ACCOUNT, ORGANIZATION); ${input.type} analyzers are not modelled.`, 'notSupported');
  }
  if (input.type === 'ORGANIZATION') {
    const org = state.organization;
    if (!org?.account(account)) throw validation('An organization analyzer needs an organization: the account is not in one.', 'notSupported');
    if (org.managementAccountId !== account && !org.isDelegatedAdministrator(account, ACCESS_ANALYZER_PRINCIPAL)) {
      throw new AwsError('AccessDeniedException', 'You must create an organization analyzer from the management account or the delegated administrator for Access Analyzer.');
    }
    if (!org.data.trustedAccess[ACCESS_ANALYZER_PRINCIPAL]) {
      throw validation('Trusted access for access-analyzer.amazonaws.com is not enabled in the organization; enable it (EnableAWSServiceAccess) first.', 'serviceError');
    }
  }
  const slot = state.get(accessAnalyzerSlot, account, region);
  if (slot.analyzers[input.name]) {
    throw new AwsError('ConflictException', `Analyzer ${input.name} already exists.`, { fields: { resourceId: input.name, resourceType: 'Analyzer' } });
  }
  const at = now.toISOString();
  const analyzer: AnalyzerRecord = {
    name: input.name, arn: analyzerArn(account, region, input.name), type: input.type, createdAt: at, tags: input.tags ?? {},
    archiveRules: Object.fromEntries((input.archiveRules ?? []).map((r) => [r.ruleName, { filter: checkFilter(r.filter), createdAt: at, updatedAt: at }])),
    findings: {},
  };
  slot.analyzers[input.name] = analyzer;
  reconcile(state, account, region, analyzer, undefined, now, random);
  return analyzer;
}

export function requireAnalyzer(state: SandboxState, account: string, region: string, name: string): AnalyzerRecord {
  const analyzer = state.find(accessAnalyzerSlot, account, region)?.analyzers[name];
  if (!analyzer) throw notFound(`Analyzer ${name} does not exist.`, name, 'Analyzer');
  return analyzer;
}

export function analyzerByArn(state: SandboxState, account: string, region: string, arn: string): AnalyzerRecord {
  const analyzer = Object.values(state.find(accessAnalyzerSlot, account, region)?.analyzers ?? {}).find((a) => a.arn === arn);
  if (!analyzer) throw notFound(`Analyzer ${arn} does not exist.`, arn, 'Analyzer');
  return analyzer;
}

export function deleteAnalyzer(state: SandboxState, account: string, region: string, name: string): void {
  requireAnalyzer(state, account, region, name);
  delete state.get(accessAnalyzerSlot, account, region).analyzers[name];
}

const FILTER_KEYS = /^(resource|resourceType|resourceOwnerAccount|isPublic|status|id|error|action|principal\.[A-Za-z]+|condition\..+)$/;

function checkFilter(filter: Record<string, Criterion>): Record<string, Criterion> {
  for (const [key, criterion] of Object.entries(filter)) {
    if (!FILTER_KEYS.test(key)) throw validation(`${key} is not a finding attribute you can filter on.`, 'invalidFilter' as string);
    const given = ['eq', 'neq', 'contains', 'exists'].filter((k) => criterion[k as keyof Criterion] !== undefined);
    if (given.length === 0) throw validation(`The criterion for ${key} names no comparison (eq, neq, contains or exists).`);
  }
  return filter;
}

export function createArchiveRule(state: SandboxState, account: string, region: string, analyzerName: string, ruleName: string, filter: Record<string, Criterion>, now: Date, random: SeededRandom): void {
  const analyzer = requireAnalyzer(state, account, region, analyzerName);
  if (analyzer.archiveRules[ruleName]) throw new AwsError('ConflictException', `Archive rule ${ruleName} already exists.`, { fields: { resourceId: ruleName, resourceType: 'ArchiveRule' } });
  if (Object.keys(analyzer.archiveRules).length >= ARCHIVE_RULES_PER_ANALYZER) {
    throw new AwsError('ServiceQuotaExceededException', `An analyzer can have at most ${ARCHIVE_RULES_PER_ANALYZER} archive rules.`, { fields: { resourceId: ruleName, resourceType: 'ArchiveRule' } });
  }
  const at = now.toISOString();
  analyzer.archiveRules[ruleName] = { filter: checkFilter(filter), createdAt: at, updatedAt: at };
  // A new archive rule archives the active findings it matches.
  for (const finding of Object.values(analyzer.findings)) {
    if (finding.status === 'ACTIVE' && matchesFilter(finding, filter)) setStatus(state, account, region, analyzer, finding, 'ARCHIVED', now, random);
  }
}

export function deleteArchiveRule(state: SandboxState, account: string, region: string, analyzerName: string, ruleName: string): void {
  const analyzer = requireAnalyzer(state, account, region, analyzerName);
  if (!analyzer.archiveRules[ruleName]) throw notFound(`Archive rule ${ruleName} does not exist.`, ruleName, 'ArchiveRule');
  delete analyzer.archiveRules[ruleName];
}

// ── Finding filters ──────────────────────────────────────────────────────────────────────────

function attribute(finding: FindingRecord, key: string): string[] | undefined {
  if (key.startsWith('principal.')) {
    const v = finding.principal[key.slice('principal.'.length)];
    return v === undefined ? undefined : [v];
  }
  if (key.startsWith('condition.')) {
    const v = finding.condition[key.slice('condition.'.length)];
    return v === undefined ? undefined : [v];
  }
  switch (key) {
    case 'action': return finding.action;
    case 'isPublic': return [String(finding.isPublic)];
    case 'error': return undefined;
    default: {
      const v = (finding as unknown as Record<string, unknown>)[key];
      return v === undefined ? undefined : [String(v)];
    }
  }
}

export function matchesFilter(finding: FindingRecord, filter: Record<string, Criterion>): boolean {
  return Object.entries(filter).every(([key, c]) => {
    const values = attribute(finding, key);
    if (c.exists !== undefined && (values !== undefined) !== c.exists) return false;
    if (c.eq && !(values ?? []).some((v) => c.eq?.includes(v))) return false;
    if (c.neq && (values ?? []).some((v) => c.neq?.includes(v))) return false;
    if (c.contains && !(values ?? []).some((v) => c.contains?.some((part) => v.includes(part)))) return false;
    return true;
  });
}

// ── Findings derived from IAM trust policies ─────────────────────────────────────────────────

/** The accounts whose roles an analyzer looks at, and its zone of trust. */
export function analyzerZone(state: SandboxState, owner: string, analyzer: AnalyzerRecord): ZoneOfTrust {
  const org = state.organization;
  if (analyzer.type === 'ORGANIZATION' && org) return { accounts: new Set(org.accounts().map((a) => a.id)), organizationId: org.id };
  return { accounts: new Set([owner]) };
}

function findingId(analyzer: AnalyzerRecord, key: string): string {
  const h = createHash('sha1').update(`${analyzer.arn}|${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The EventBridge event Access Analyzer sends when a finding appears or its status changes. */
function emit(state: SandboxState, account: string, region: string, analyzer: AnalyzerRecord, finding: FindingRecord, now: Date, random: SeededRandom): void {
  putEvent(state, account, region, 'default', {
    source: 'aws.access-analyzer',
    detailType: 'Access Analyzer Finding',
    resources: [analyzer.arn],
    time: now,
    detail: {
      version: '1.0', id: finding.id, status: finding.status, resourceType: finding.resourceType, resource: finding.resource,
      createdAt: finding.createdAt, analyzedAt: finding.analyzedAt, updatedAt: finding.updatedAt, accountId: finding.resourceOwnerAccount, region,
      principal: finding.principal, action: finding.action, condition: finding.condition, isDeleted: false, isPublic: finding.isPublic,
    },
  }, random);
}

function setStatus(state: SandboxState, account: string, region: string, analyzer: AnalyzerRecord, finding: FindingRecord, status: FindingStatus, now: Date, random: SeededRandom): void {
  if (finding.status === status) return;
  finding.status = status;
  finding.updatedAt = now.toISOString();
  emit(state, account, region, analyzer, finding, now, random);
}

function archivedByRule(analyzer: AnalyzerRecord, finding: FindingRecord): boolean {
  return Object.values(analyzer.archiveRules).some((rule) => matchesFilter(finding, rule.filter));
}

/**
 * Brings an analyzer's findings in line with the trust policies of the roles it looks at (all of
 * them, or only the given accounts'): new external access becomes a finding (archived when an
 * archive rule matches), changed access updates it, access that is gone resolves it. Each
 * appearance and change sends an "Access Analyzer Finding" event.
 */
export function reconcile(state: SandboxState, owner: string, region: string, analyzer: AnalyzerRecord, onlyAccounts: ReadonlySet<string> | undefined, now: Date, random: SeededRandom): void {
  const zone = analyzerZone(state, owner, analyzer);
  const accounts = onlyAccounts ? [...onlyAccounts].filter((a) => zone.accounts.has(a)) : [...zone.accounts];
  const at = now.toISOString();
  const seen = new Set<string>();
  for (const account of accounts) {
    const roles = state.find(iamSlot, account, GLOBAL_REGION)?.roles;
    if (!roles) continue;
    for (const role of Object.values(roles)) {
      for (const access of externalAccess(role.assumeRolePolicy, zone)) {
        const key = `${role.arn}|${JSON.stringify(access.principal)}|${JSON.stringify(Object.entries(access.condition).sort())}`;
        const id = findingId(analyzer, key);
        seen.add(id);
        const existing = analyzer.findings[id];
        if (!existing) {
          const finding: FindingRecord = {
            id, resource: role.arn, resourceType: 'AWS::IAM::Role', resourceOwnerAccount: account, principal: access.principal,
            action: access.actions, condition: access.condition, isPublic: access.isPublic, status: 'ACTIVE', createdAt: at, updatedAt: at, analyzedAt: at,
          };
          if (archivedByRule(analyzer, finding)) finding.status = 'ARCHIVED';
          analyzer.findings[id] = finding;
          emit(state, owner, region, analyzer, finding, now, random);
          continue;
        }
        existing.analyzedAt = at;
        const actionsChanged = existing.action.join() !== access.actions.join() || existing.isPublic !== access.isPublic;
        if (actionsChanged) {
          existing.action = access.actions;
          existing.isPublic = access.isPublic;
          existing.updatedAt = at;
        }
        if (existing.status === 'RESOLVED') {
          existing.archivedByUser = false;
          setStatus(state, owner, region, analyzer, existing, archivedByRule(analyzer, existing) ? 'ARCHIVED' : 'ACTIVE', now, random);
        } else if (actionsChanged) {
          emit(state, owner, region, analyzer, existing, now, random);
        }
      }
      analyzer.lastResourceAnalyzed = role.arn;
      analyzer.lastResourceAnalyzedAt = at;
    }
  }
  const scope = new Set(accounts);
  for (const finding of Object.values(analyzer.findings)) {
    // Findings of accounts this pass did not look at stay as they are, unless the account left the zone of trust.
    if (finding.status === 'RESOLVED' || seen.has(finding.id) || (!scope.has(finding.resourceOwnerAccount) && zone.accounts.has(finding.resourceOwnerAccount))) continue;
    finding.analyzedAt = at;
    setStatus(state, owner, region, analyzer, finding, 'RESOLVED', now, random);
  }
}

/** Reconciles every analyzer whose zone covers the given accounts (after IAM or organization changes). */
export function reconcileAll(state: SandboxState, onlyAccounts: ReadonlySet<string> | undefined, now: Date, random: SeededRandom): void {
  for (const { account, region, value } of state.entries(accessAnalyzerSlot)) {
    for (const analyzer of Object.values(value.analyzers)) reconcile(state, account, region, analyzer, onlyAccounts, now, random);
  }
}

export function updateFindingStatus(state: SandboxState, account: string, region: string, analyzer: AnalyzerRecord, input: { status: 'ACTIVE' | 'ARCHIVED'; ids?: string[]; resourceArn?: string }, now: Date, random: SeededRandom): void {
  if ((input.ids?.length ? 1 : 0) + (input.resourceArn ? 1 : 0) !== 1) throw validation('Specify either ids or resourceArn.');
  const targets = input.ids?.length
    ? input.ids.map((id) => {
      const finding = analyzer.findings[id];
      if (!finding) throw notFound(`Finding ${id} does not exist.`, id, 'Finding');
      return finding;
    })
    : Object.values(analyzer.findings).filter((f) => f.resource === input.resourceArn);
  for (const finding of targets) {
    if (finding.status === 'RESOLVED') continue;
    finding.archivedByUser = input.status === 'ARCHIVED';
    setStatus(state, account, region, analyzer, finding, input.status, now, random);
  }
}
