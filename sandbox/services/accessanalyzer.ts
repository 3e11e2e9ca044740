import type * as Aa from '@aws-sdk/client-accessanalyzer';
import { checkPolicy, type ValidatedPolicyType } from '../auth/policyChecks';
import { AwsError } from '../errors';
import generated from '../models/accessanalyzer.json';
import { serviceModel } from '../models/serviceModel';
import { violationMessage } from '../models/validate';
import * as aa from '../state/accessAnalyzer';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('accessanalyzer', generated);

/** IAM operations that change trust policies: Access Analyzer re-analyzes the account's roles after them. */
const TRUST_CHANGES = new Set(['CreateRole', 'UpdateAssumeRolePolicy', 'DeleteRole']);
/** Organizations operations that change who is inside an organization's zone of trust. */
const ZONE_CHANGES = new Set(['CreateAccount', 'RemoveAccountFromOrganization']);

function invalidToken(): AwsError {
  return new AwsError('ValidationException', 'The nextToken is not valid.', { fields: { reason: 'other' } });
}

function page<T>(items: readonly T[], input: { nextToken?: string; maxResults?: number }, ctx: CallContext, keyOf?: (item: T) => string) {
  return paginate(items, { operation: model.operations[ctx.operation], token: input.nextToken, limit: input.maxResults, invalidToken, keyOf });
}

function analyzerOut(analyzer: aa.AnalyzerRecord): Aa.AnalyzerSummary {
  return {
    arn: analyzer.arn, name: analyzer.name, type: analyzer.type, createdAt: new Date(analyzer.createdAt), status: 'ACTIVE', tags: analyzer.tags,
    ...(analyzer.lastResourceAnalyzed ? { lastResourceAnalyzed: analyzer.lastResourceAnalyzed, lastResourceAnalyzedAt: new Date(analyzer.lastResourceAnalyzedAt as string) } : {}),
  };
}

function findingOut(f: aa.FindingRecord): Aa.Finding {
  return {
    id: f.id, principal: f.principal, action: f.action, resource: f.resource, isPublic: f.isPublic, resourceType: f.resourceType, condition: f.condition,
    createdAt: new Date(f.createdAt), analyzedAt: new Date(f.analyzedAt), updatedAt: new Date(f.updatedAt), status: f.status, resourceOwnerAccount: f.resourceOwnerAccount,
  };
}

/** Resolves an analyzer ARN of the caller's account and Region, bringing its findings up to date first. */
function analyzerFor(ctx: CallContext, arn: string): aa.AnalyzerRecord {
  const analyzer = aa.analyzerByArn(ctx.state, ctx.account, ctx.region, arn);
  aa.reconcile(ctx.state, ctx.account, ctx.region, analyzer, undefined, ctx.clock.now(), ctx.random);
  return analyzer;
}

const SORTABLE: Record<string, (f: aa.FindingRecord) => string> = {
  ResourceType: (f) => f.resourceType, Resource: (f) => f.resource, Status: (f) => f.status, CreatedAt: (f) => f.createdAt, UpdatedAt: (f) => f.updatedAt,
  AnalyzedAt: (f) => f.analyzedAt, ResourceOwnerAccount: (f) => f.resourceOwnerAccount, Id: (f) => f.id,
};

function listFindings(ctx: CallContext, input: Aa.ListFindingsRequest): { findings: aa.FindingRecord[]; nextToken?: string } {
  const analyzer = analyzerFor(ctx, input.analyzerArn as string);
  let findings = Object.values(analyzer.findings).filter((f) => aa.matchesFilter(f, (input.filter ?? {}) as Record<string, aa.Criterion>));
  const sortKey = input.sort?.attributeName;
  if (sortKey) {
    const accessor = SORTABLE[sortKey];
    if (!accessor) throw new AwsError('ValidationException', `Findings cannot be sorted by ${sortKey}.`, { fields: { reason: 'other' } });
    const direction = input.sort?.orderBy === 'DESC' ? -1 : 1;
    findings = findings.sort((a, b) => (accessor(a) < accessor(b) ? -direction : accessor(a) > accessor(b) ? direction : 0));
  } else {
    findings = findings.sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  const { page: items, nextToken } = page(findings, input, ctx, (f) => f.id);
  return { findings: items, nextToken };
}

const handlers = {
  CreateAnalyzer(input: Aa.CreateAnalyzerRequest, ctx: CallContext): Aa.CreateAnalyzerResponse {
    const analyzer = aa.createAnalyzer(ctx.state, ctx.account, ctx.region, {
      name: input.analyzerName as string, type: input.type as string, tags: input.tags,
      archiveRules: input.archiveRules as { ruleName: string; filter: Record<string, aa.Criterion> }[] | undefined,
    }, ctx.clock.now(), ctx.random);
    return { arn: analyzer.arn };
  },

  GetAnalyzer(input: Aa.GetAnalyzerRequest, ctx: CallContext): Aa.GetAnalyzerResponse {
    return { analyzer: analyzerOut(aa.requireAnalyzer(ctx.state, ctx.account, ctx.region, input.analyzerName as string)) };
  },

  ListAnalyzers(input: Aa.ListAnalyzersRequest, ctx: CallContext): Aa.ListAnalyzersResponse {
    const analyzers = Object.values(ctx.state.find(aa.accessAnalyzerSlot, ctx.account, ctx.region)?.analyzers ?? {}).filter((a) => !input.type || a.type === input.type);
    const { page: items, nextToken } = page(analyzers, input, ctx, (a) => a.name);
    return { analyzers: items.map(analyzerOut), nextToken };
  },

  DeleteAnalyzer(input: Aa.DeleteAnalyzerRequest, ctx: CallContext): Record<string, never> {
    aa.deleteAnalyzer(ctx.state, ctx.account, ctx.region, input.analyzerName as string);
    return {};
  },

  CreateArchiveRule(input: Aa.CreateArchiveRuleRequest, ctx: CallContext): Record<string, never> {
    const analyzer = aa.requireAnalyzer(ctx.state, ctx.account, ctx.region, input.analyzerName as string);
    aa.reconcile(ctx.state, ctx.account, ctx.region, analyzer, undefined, ctx.clock.now(), ctx.random);
    aa.createArchiveRule(ctx.state, ctx.account, ctx.region, input.analyzerName as string, input.ruleName as string, input.filter as Record<string, aa.Criterion>, ctx.clock.now(), ctx.random);
    return {};
  },

  ListArchiveRules(input: Aa.ListArchiveRulesRequest, ctx: CallContext): Aa.ListArchiveRulesResponse {
    const analyzer = aa.requireAnalyzer(ctx.state, ctx.account, ctx.region, input.analyzerName as string);
    const { page: items, nextToken } = page(Object.entries(analyzer.archiveRules), input, ctx, ([name]) => name);
    return {
      archiveRules: items.map(([ruleName, rule]) => ({ ruleName, filter: rule.filter, createdAt: new Date(rule.createdAt), updatedAt: new Date(rule.updatedAt) })),
      nextToken,
    };
  },

  DeleteArchiveRule(input: Aa.DeleteArchiveRuleRequest, ctx: CallContext): Record<string, never> {
    aa.deleteArchiveRule(ctx.state, ctx.account, ctx.region, input.analyzerName as string, input.ruleName as string);
    return {};
  },

  ListFindings(input: Aa.ListFindingsRequest, ctx: CallContext): Aa.ListFindingsResponse {
    const { findings, nextToken } = listFindings(ctx, input);
    return { findings: findings.map(findingOut), nextToken };
  },

  ListFindingsV2(input: Aa.ListFindingsV2Request, ctx: CallContext): Aa.ListFindingsV2Response {
    const { findings, nextToken } = listFindings(ctx, input);
    return {
      findings: findings.map((f) => ({
        id: f.id, resource: f.resource, resourceType: f.resourceType, resourceOwnerAccount: f.resourceOwnerAccount, status: f.status,
        createdAt: new Date(f.createdAt), analyzedAt: new Date(f.analyzedAt), updatedAt: new Date(f.updatedAt), findingType: 'ExternalAccess',
      })),
      nextToken,
    };
  },

  GetFinding(input: Aa.GetFindingRequest, ctx: CallContext): Aa.GetFindingResponse {
    const finding = analyzerFor(ctx, input.analyzerArn as string).findings[input.id as string];
    if (!finding) throw new AwsError('ResourceNotFoundException', `Finding ${input.id} does not exist.`, { fields: { resourceId: input.id, resourceType: 'Finding' } });
    return { finding: findingOut(finding) };
  },

  GetFindingV2(input: Aa.GetFindingV2Request, ctx: CallContext): Aa.GetFindingV2Response {
    const finding = analyzerFor(ctx, input.analyzerArn as string).findings[input.id as string];
    if (!finding) throw new AwsError('ResourceNotFoundException', `Finding ${input.id} does not exist.`, { fields: { resourceId: input.id, resourceType: 'Finding' } });
    return {
      id: finding.id, resource: finding.resource, resourceType: finding.resourceType, resourceOwnerAccount: finding.resourceOwnerAccount, status: finding.status,
      createdAt: new Date(finding.createdAt), analyzedAt: new Date(finding.analyzedAt), updatedAt: new Date(finding.updatedAt), findingType: 'ExternalAccess',
      findingDetails: [{ externalAccessDetails: { action: finding.action, condition: finding.condition, isPublic: finding.isPublic, principal: finding.principal } }],
    };
  },

  UpdateFindings(input: Aa.UpdateFindingsRequest, ctx: CallContext): Record<string, never> {
    const analyzer = analyzerFor(ctx, input.analyzerArn as string);
    aa.updateFindingStatus(ctx.state, ctx.account, ctx.region, analyzer, { status: input.status as 'ACTIVE' | 'ARCHIVED', ids: input.ids, resourceArn: input.resourceArn }, ctx.clock.now(), ctx.random);
    return {};
  },

  StartResourceScan(input: Aa.StartResourceScanRequest, ctx: CallContext): Record<string, never> {
    const analyzer = aa.analyzerByArn(ctx.state, ctx.account, ctx.region, input.analyzerArn as string);
    const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/.exec(input.resourceArn as string);
    const zone = aa.analyzerZone(ctx.state, ctx.account, analyzer);
    if (!match || !zone.accounts.has(match[1])) {
      throw new AwsError('ValidationException', `${input.resourceArn} is not an IAM role in the analyzer's zone of trust; FakeAws's analyzers analyze IAM roles.`, { fields: { reason: 'other' } });
    }
    aa.reconcile(ctx.state, ctx.account, ctx.region, analyzer, new Set([match[1]]), ctx.clock.now(), ctx.random);
    return {};
  },

  ValidatePolicy(input: Aa.ValidatePolicyRequest, ctx: CallContext): Aa.ValidatePolicyResponse {
    const findings = checkPolicy(input.policyDocument as string, input.policyType as ValidatedPolicyType, input.validatePolicyResourceType);
    const { page: items, nextToken } = page(findings, input, ctx);
    return { findings: items as Aa.ValidatePolicyFinding[], nextToken };
  },
};

/**
 * IAM Access Analyzer: external access analyzers (account or organization zone of trust) whose
 * findings are derived from the IAM role trust policies in the zone, kept current after every IAM
 * change, with archive rules, status updates, "Access Analyzer Finding" events on the default
 * event bus, and policy validation.
 */
export const accessAnalyzerService: ServiceDefinition = {
  model,
  actionPrefix: 'access-analyzer',
  global: false,
  errors: {
    ...protocolErrors('rest-json'),
    validation: (violations) => new AwsError('ValidationException', violationMessage(violations), {
      fields: { reason: 'fieldValidationFailed', fieldList: violations.map((v) => ({ name: v.path, message: v.constraint })) },
    }),
  },
  operations: handlers,
  observe(ctx) {
    // Access Analyzer watches IAM and the organization: findings follow trust policy changes.
    if (ctx.service === 'iam' && TRUST_CHANGES.has(ctx.operation)) aa.reconcileAll(ctx.state, new Set([ctx.account]), ctx.clock.now(), ctx.random);
    else if (ctx.service === 'organizations' && ZONE_CHANGES.has(ctx.operation)) aa.reconcileAll(ctx.state, undefined, ctx.clock.now(), ctx.random);
  },
};
