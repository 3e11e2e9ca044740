import type * as Sh from '@aws-sdk/client-securityhub';
import * as catalog from '../catalog/securityHub';
import { AwsError } from '../errors';
import generated from '../models/securityhub.json';
import { serviceModel } from '../models/serviceModel';
import { violationMessage } from '../models/validate';
import { GLOBAL_REGION } from '../state/sandboxState';
import * as hub from '../state/securityHub';
import * as findings from '../state/securityHubFindings';
import { pageLazily } from './lazyPaging';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('securityhub', generated);

/** Operations an account may call before it enables Security Hub. */
const WITHOUT_HUB = new Set(['EnableSecurityHub', 'EnableOrganizationAdminAccount', 'ListOrganizationAdminAccounts', 'DescribeStandards', 'ListSecurityControlDefinitions']);

function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInputException', message, { fields: { Code: 'InvalidInputException' } });
}

function invalidToken(): AwsError {
  return invalidInput('The NextToken value is not valid.');
}

function page<T>(items: readonly T[], input: { NextToken?: string; MaxResults?: number }, ctx: CallContext, keyOf?: (item: T) => string) {
  return paginate(items, { operation: model.operations[ctx.operation], token: input.NextToken, limit: input.MaxResults, invalidToken, keyOf });
}

function org(ctx: CallContext) {
  const organization = ctx.state.organization;
  if (!organization?.account(ctx.account)) throw new AwsError('AccessDeniedException', `Account ${ctx.account} is not in an organization.`, { fields: { Code: 'AccessDeniedException' } });
  return organization;
}

function requireManagement(ctx: CallContext): void {
  if (org(ctx).managementAccountId !== ctx.account) {
    throw new AwsError('AccessDeniedException', `${ctx.operation} can only be called by the organization management account.`, { fields: { Code: 'AccessDeniedException' } });
  }
}

function standardOut(region: string, s: catalog.StandardDefinition): Sh.Standard {
  return {
    StandardsArn: catalog.standardArn(region, s.id), Name: s.name, Description: `${s.name} (${s.controls.length} controls in FakeAws's catalogue)`,
    EnabledByDefault: s.enabledByDefault, StandardsManagedBy: { Company: 'AWS', Product: 'Security Hub' },
  };
}

function subscriptionOut(ctx: CallContext, standardId: string, status: Sh.StandardsStatus = 'READY'): Sh.StandardsSubscription {
  return {
    StandardsSubscriptionArn: catalog.subscriptionArn(ctx.region, ctx.account, standardId), StandardsArn: catalog.standardArn(ctx.region, standardId),
    StandardsInput: {}, StandardsStatus: status, StandardsControlsUpdatable: 'READY_FOR_UPDATES',
  };
}

function associationDetail(ctx: CallContext, effective: hub.EffectiveHub, standardId: string, controlId: string): Sh.StandardsControlAssociationDetail {
  const definition = catalog.control(controlId) as catalog.ControlDefinition;
  const enabled = effective.controlEnabled(standardId, controlId);
  const updatedAt = effective.controlUpdatedAt(standardId, controlId);
  return {
    StandardsArn: catalog.standardArn(ctx.region, standardId),
    SecurityControlId: controlId,
    SecurityControlArn: `arn:aws:securityhub:${ctx.region}:${ctx.account}:security-control/${controlId}`,
    AssociationStatus: enabled ? 'ENABLED' : 'DISABLED',
    RelatedRequirements: catalog.relatedRequirements(standardId, controlId),
    ...(updatedAt ? { UpdatedAt: new Date(updatedAt) } : {}),
    ...(enabled ? {} : { UpdatedReason: effective.disabledReason(standardId, controlId) }),
    StandardsControlTitle: definition.title,
    StandardsControlDescription: definition.title,
  };
}

function policyOut(policy: hub.ConfigurationPolicyRecord): Sh.GetConfigurationPolicyResponse {
  const controls = policy.controls.mode === 'enabled'
    ? { EnabledSecurityControlIdentifiers: policy.controls.ids }
    : { DisabledSecurityControlIdentifiers: policy.controls.ids };
  return {
    Arn: policy.arn, Id: policy.id, Name: policy.name, Description: policy.description,
    CreatedAt: new Date(policy.createdAt), UpdatedAt: new Date(policy.updatedAt),
    ConfigurationPolicy: {
      SecurityHub: policy.serviceEnabled
        ? {
          ServiceEnabled: true,
          EnabledStandardIdentifiers: policy.standards.map((s) => catalog.standardArn(policy.region, s)),
          SecurityControlsConfiguration: { ...controls, SecurityControlCustomParameters: policy.customParameters as Sh.SecurityControlCustomParameter[] },
        }
        : { ServiceEnabled: false },
    },
  };
}

function associationOut(targetId: string, type: hub.TargetType, association: hub.EffectiveAssociation | undefined): Sh.ConfigurationPolicyAssociationSummary {
  return {
    ConfigurationPolicyId: association?.policyId ?? hub.SELF_MANAGED,
    TargetId: targetId,
    TargetType: type,
    AssociationType: association?.associationType ?? 'INHERITED',
    ...(association ? { UpdatedAt: new Date(association.updatedAt) } : {}),
    AssociationStatus: 'SUCCESS',
  };
}

function targetTypeOf(o: ReturnType<typeof org>, id: string): hub.TargetType {
  const kind = o.targetKind(id);
  return kind === 'ROOT' ? 'ROOT' : kind === 'ORGANIZATIONAL_UNIT' ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT';
}

/** Accounts and Regions whose findings the caller sees: its own, its members' (administrator) and, in the aggregation Region, the linked Regions. */
function findingScope(ctx: CallContext): findings.FindingScope {
  const accounts = [ctx.account, ...hub.memberAccounts(ctx.state, ctx.account)];
  const aggregator = ctx.state.find(hub.securityHubAccountSlot, ctx.account, GLOBAL_REGION)?.aggregator;
  const regions = aggregator && aggregator.region === ctx.region ? hub.linkedRegions(aggregator) : [ctx.region];
  return { accounts, regions };
}

const handlers = {
  EnableSecurityHub(input: Sh.EnableSecurityHubRequest, ctx: CallContext): Record<string, never> {
    hub.enableSecurityHub(ctx.state, ctx.account, ctx.region, {
      enableDefaultStandards: input.EnableDefaultStandards ?? true, controlFindingGenerator: input.ControlFindingGenerator,
    }, ctx.clock.now());
    return {};
  },

  DisableSecurityHub(_input: unknown, ctx: CallContext): Record<string, never> {
    hub.disableSecurityHub(ctx.state, ctx.account, ctx.region);
    return {};
  },

  DescribeHub(input: Sh.DescribeHubRequest, ctx: CallContext): Sh.DescribeHubResponse {
    const hubArn = `arn:aws:securityhub:${ctx.region}:${ctx.account}:hub/default`;
    if (input.HubArn !== undefined && input.HubArn !== hubArn) {
      throw new AwsError('ResourceNotFoundException', `Hub ${input.HubArn} does not exist.`, { fields: { Code: 'ResourceNotFoundException' } });
    }
    const effective = hub.effectiveHub(ctx.state, ctx.account, ctx.region);
    const own = ctx.state.find(hub.securityHubSlot, ctx.account, ctx.region)?.hub;
    return {
      HubArn: hubArn, SubscribedAt: effective.since, AutoEnableControls: own?.autoEnableControls ?? true,
      ControlFindingGenerator: own?.controlFindingGenerator ?? 'SECURITY_CONTROL',
    };
  },

  EnableOrganizationAdminAccount(input: Sh.EnableOrganizationAdminAccountRequest, ctx: CallContext): Sh.EnableOrganizationAdminAccountResponse {
    requireManagement(ctx);
    const o = org(ctx);
    const account = input.AdminAccountId as string;
    if (!o.account(account)) throw invalidInput(`Account ${account} is not a member of the organization.`);
    const current = hub.securityHubAdmin(ctx.state);
    if (current && current !== account) throw invalidInput(`Account ${current} is already the Security Hub administrator; an organization has one.`);
    if (!current) {
      // Security Hub turns on trusted access and registers the delegated administrator with Organizations itself.
      o.enableServiceAccess(hub.SECURITY_HUB_PRINCIPAL, ctx.clock.now());
      o.registerDelegatedAdministrator(account, hub.SECURITY_HUB_PRINCIPAL, ctx.clock.now());
    }
    return { AdminAccountId: account, Feature: input.Feature ?? 'SecurityHub' };
  },

  ListOrganizationAdminAccounts(input: Sh.ListOrganizationAdminAccountsRequest, ctx: CallContext): Sh.ListOrganizationAdminAccountsResponse {
    requireManagement(ctx);
    const admin = hub.securityHubAdmin(ctx.state);
    const { page: items, nextToken } = page(admin ? [admin] : [], input, ctx);
    return { AdminAccounts: items.map((AccountId) => ({ AccountId, Status: 'ENABLED' })), NextToken: nextToken, Feature: input.Feature ?? 'SecurityHub' };
  },

  DescribeOrganizationConfiguration(_input: unknown, ctx: CallContext): Sh.DescribeOrganizationConfigurationResponse {
    hub.requireAdmin(ctx.state, ctx.account, ctx.operation);
    const central = hub.centralConfiguration(ctx.state);
    const local = ctx.state.find(hub.securityHubSlot, ctx.account, ctx.region)?.autoEnable;
    const centralHere = central !== undefined && central.regions.has(ctx.region);
    return {
      AutoEnable: centralHere ? false : local?.autoEnable ?? false,
      MemberAccountLimitReached: false,
      AutoEnableStandards: centralHere ? 'NONE' : local?.autoEnableStandards ?? 'DEFAULT',
      OrganizationConfiguration: { ConfigurationType: centralHere ? 'CENTRAL' : 'LOCAL', Status: 'ENABLED' },
    };
  },

  UpdateOrganizationConfiguration(input: Sh.UpdateOrganizationConfigurationRequest, ctx: CallContext): Record<string, never> {
    hub.requireAdmin(ctx.state, ctx.account, ctx.operation);
    hub.updateOrganizationConfiguration(ctx.state, ctx.account, ctx.region, {
      autoEnable: input.AutoEnable as boolean, autoEnableStandards: input.AutoEnableStandards,
      configurationType: input.OrganizationConfiguration?.ConfigurationType,
    }, ctx.clock.now());
    return {};
  },

  DescribeStandards(input: Sh.DescribeStandardsRequest, ctx: CallContext): Sh.DescribeStandardsResponse {
    const { page: items, nextToken } = page(catalog.STANDARDS, input, ctx, (s) => s.id);
    return { Standards: items.map((s) => standardOut(ctx.region, s)), NextToken: nextToken };
  },

  GetEnabledStandards(input: Sh.GetEnabledStandardsRequest, ctx: CallContext): Sh.GetEnabledStandardsResponse {
    const effective = hub.effectiveHub(ctx.state, ctx.account, ctx.region);
    let enabled = Object.keys(effective.standards);
    if (input.StandardsSubscriptionArns) {
      const wanted = input.StandardsSubscriptionArns.map((arn) => {
        const parsed = catalog.parseSubscriptionArn(arn);
        if (!parsed || parsed.account !== ctx.account || parsed.region !== ctx.region) throw invalidInput(`${arn} is not a standards subscription ARN of account ${ctx.account} in ${ctx.region}.`);
        return parsed.standardId;
      });
      enabled = enabled.filter((s) => wanted.includes(s));
    }
    const { page: items, nextToken } = page(enabled, input, ctx, (s) => s);
    return { StandardsSubscriptions: items.map((s) => subscriptionOut(ctx, s)), NextToken: nextToken };
  },

  BatchEnableStandards(input: Sh.BatchEnableStandardsRequest, ctx: CallContext): Sh.BatchEnableStandardsResponse {
    const ids = (input.StandardsSubscriptionRequests ?? []).map((request) => {
      const parsed = catalog.parseStandardArn(request.StandardsArn as string);
      if (!parsed) throw invalidInput(`${request.StandardsArn} is not a Security Hub standards ARN.`);
      if (parsed.region !== ctx.region) throw invalidInput(`${request.StandardsArn} is in ${parsed.region}; enable standards in their own Region (${ctx.region} here).`);
      return parsed.standardId;
    });
    hub.enableStandards(ctx.state, ctx.account, ctx.region, ids, ctx.clock.now());
    return { StandardsSubscriptions: ids.map((s) => subscriptionOut(ctx, s, 'PENDING')) };
  },

  BatchDisableStandards(input: Sh.BatchDisableStandardsRequest, ctx: CallContext): Sh.BatchDisableStandardsResponse {
    const effective = hub.effectiveHub(ctx.state, ctx.account, ctx.region);
    const ids = (input.StandardsSubscriptionArns ?? []).map((arn) => {
      const parsed = catalog.parseSubscriptionArn(arn);
      if (!parsed || parsed.account !== ctx.account || parsed.region !== ctx.region || effective.standards[parsed.standardId] === undefined) {
        throw invalidInput(`${arn} is not an enabled standards subscription of account ${ctx.account} in ${ctx.region}.`);
      }
      return parsed.standardId;
    });
    hub.disableStandards(ctx.state, ctx.account, ctx.region, ids);
    return { StandardsSubscriptions: ids.map((s) => subscriptionOut(ctx, s, 'DELETING')) };
  },

  ListStandardsControlAssociations(input: Sh.ListStandardsControlAssociationsRequest, ctx: CallContext): Sh.ListStandardsControlAssociationsResponse {
    const controlId = input.SecurityControlId as string;
    if (!catalog.control(controlId)) throw invalidInput(`${controlId} is not a Security Hub security control id.`);
    const effective = hub.effectiveHub(ctx.state, ctx.account, ctx.region);
    const standards = catalog.standardsOf(controlId).filter((s) => effective.standards[s] !== undefined);
    const { page: items, nextToken } = page(standards, input, ctx, (s) => s);
    return { StandardsControlAssociationSummaries: items.map((s) => associationDetail(ctx, effective, s, controlId)), NextToken: nextToken };
  },

  BatchGetStandardsControlAssociations(input: Sh.BatchGetStandardsControlAssociationsRequest, ctx: CallContext): Sh.BatchGetStandardsControlAssociationsResponse {
    const effective = hub.effectiveHub(ctx.state, ctx.account, ctx.region);
    const details: Sh.StandardsControlAssociationDetail[] = [];
    const unprocessed: Sh.UnprocessedStandardsControlAssociation[] = [];
    for (const id of input.StandardsControlAssociationIds ?? []) {
      const parsed = catalog.parseStandardArn(id.StandardsArn as string);
      const controlId = id.SecurityControlId as string;
      if (!parsed || parsed.region !== ctx.region || !catalog.control(controlId)) {
        unprocessed.push({ StandardsControlAssociationId: id, ErrorCode: 'INVALID_INPUT', ErrorReason: 'Unknown standard or control, or a standard of another Region' });
      } else if (effective.standards[parsed.standardId] === undefined || !catalog.standardHasControl(parsed.standardId, controlId)) {
        unprocessed.push({ StandardsControlAssociationId: id, ErrorCode: 'RESOURCE_NOT_FOUND', ErrorReason: 'The standard is not enabled in this account, or does not contain the control' });
      } else {
        details.push(associationDetail(ctx, effective, parsed.standardId, controlId));
      }
    }
    return { StandardsControlAssociationDetails: details, UnprocessedAssociations: unprocessed };
  },

  BatchUpdateStandardsControlAssociations(input: Sh.BatchUpdateStandardsControlAssociationsRequest, ctx: CallContext): Sh.BatchUpdateStandardsControlAssociationsResponse {
    const effective = hub.effectiveHub(ctx.state, ctx.account, ctx.region);
    const unprocessed: Sh.UnprocessedStandardsControlAssociationUpdate[] = [];
    for (const update of input.StandardsControlAssociationUpdates ?? []) {
      const parsed = catalog.parseStandardArn(update.StandardsArn as string);
      const controlId = update.SecurityControlId as string;
      const refuse = (ErrorCode: Sh.UnprocessedErrorCode, ErrorReason: string) => unprocessed.push({ StandardsControlAssociationUpdate: update, ErrorCode, ErrorReason });
      if (!parsed || parsed.region !== ctx.region || !catalog.control(controlId)) refuse('INVALID_INPUT', 'Unknown standard or control, or a standard of another Region');
      else if (update.AssociationStatus === 'DISABLED' && !update.UpdatedReason) refuse('INVALID_INPUT', 'UpdatedReason is required when disabling a control');
      else if (effective.standards[parsed.standardId] === undefined || !catalog.standardHasControl(parsed.standardId, controlId)) refuse('RESOURCE_NOT_FOUND', 'The standard is not enabled in this account, or does not contain the control');
      else if (effective.policy) refuse('ACCESS_DENIED', `The account is managed by configuration policy ${effective.policy.id}`);
      else hub.setControlAssociation(ctx.state, ctx.account, ctx.region, parsed.standardId, controlId, update.AssociationStatus as 'ENABLED' | 'DISABLED', update.UpdatedReason, ctx.clock.now());
    }
    return { UnprocessedAssociationUpdates: unprocessed };
  },

  ListSecurityControlDefinitions(input: Sh.ListSecurityControlDefinitionsRequest, ctx: CallContext): Sh.ListSecurityControlDefinitionsResponse {
    let ids = catalog.CONTROL_IDS;
    if (input.StandardsArn) {
      const parsed = catalog.parseStandardArn(input.StandardsArn);
      if (!parsed) throw invalidInput(`${input.StandardsArn} is not a Security Hub standards ARN.`);
      ids = catalog.standard(parsed.standardId)?.controls ?? [];
    }
    const { page: items, nextToken } = page(ids, input, ctx, (id) => id);
    return {
      SecurityControlDefinitions: items.map((id) => {
        const c = catalog.control(id) as catalog.ControlDefinition;
        return {
          SecurityControlId: id, Title: c.title, Description: c.title, RemediationUrl: `https://docs.aws.amazon.com/console/securityhub/${id}/remediation`,
          SeverityRating: c.severity, CurrentRegionAvailability: 'AVAILABLE',
        };
      }),
      NextToken: nextToken,
    };
  },

  CreateConfigurationPolicy(input: Sh.CreateConfigurationPolicyRequest, ctx: CallContext): Sh.CreateConfigurationPolicyResponse {
    const policy = hub.createConfigurationPolicy(ctx.state, ctx.account, ctx.region, {
      name: input.Name as string, description: input.Description, policy: input.ConfigurationPolicy?.SecurityHub as hub.PolicyInput,
    }, ctx.random, ctx.clock.now());
    return policyOut(policy);
  },

  GetConfigurationPolicy(input: Sh.GetConfigurationPolicyRequest, ctx: CallContext): Sh.GetConfigurationPolicyResponse {
    const record = hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    return policyOut(hub.findPolicy(record, input.Identifier as string));
  },

  ListConfigurationPolicies(input: Sh.ListConfigurationPoliciesRequest, ctx: CallContext): Sh.ListConfigurationPoliciesResponse {
    const record = hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    const { page: items, nextToken } = page(Object.values(record.policies), input, ctx, (p) => p.id);
    return {
      ConfigurationPolicySummaries: items.map((p) => ({
        Arn: p.arn, Id: p.id, Name: p.name, Description: p.description, UpdatedAt: new Date(p.updatedAt), ServiceEnabled: p.serviceEnabled,
      })),
      NextToken: nextToken,
    };
  },

  UpdateConfigurationPolicy(input: Sh.UpdateConfigurationPolicyRequest, ctx: CallContext): Sh.UpdateConfigurationPolicyResponse {
    const policy = hub.updateConfigurationPolicy(ctx.state, ctx.account, ctx.region, input.Identifier as string, {
      name: input.Name, description: input.Description, policy: input.ConfigurationPolicy?.SecurityHub as hub.PolicyInput | undefined,
    }, ctx.clock.now());
    return policyOut(policy);
  },

  DeleteConfigurationPolicy(input: Sh.DeleteConfigurationPolicyRequest, ctx: CallContext): Record<string, never> {
    hub.deleteConfigurationPolicy(ctx.state, ctx.account, ctx.region, input.Identifier as string);
    return {};
  },

  StartConfigurationPolicyAssociation(input: Sh.StartConfigurationPolicyAssociationRequest, ctx: CallContext): Sh.StartConfigurationPolicyAssociationResponse {
    hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    const target = hub.resolveTarget(org(ctx), input.Target as never);
    const policyId = hub.associatePolicy(ctx.state, ctx.account, ctx.region, input.ConfigurationPolicyIdentifier as string, target, ctx.clock.now());
    // Security Hub applies an association asynchronously; reads afterwards report SUCCESS.
    return { ConfigurationPolicyId: policyId, TargetId: target.id, TargetType: target.type, AssociationType: 'APPLIED', UpdatedAt: ctx.clock.now(), AssociationStatus: 'PENDING' };
  },

  StartConfigurationPolicyDisassociation(input: Sh.StartConfigurationPolicyDisassociationRequest, ctx: CallContext): Record<string, never> {
    hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    const target = hub.resolveTarget(org(ctx), input.Target as never);
    hub.disassociatePolicy(ctx.state, ctx.account, ctx.region, input.ConfigurationPolicyIdentifier as string, target, ctx.clock.now());
    return {};
  },

  GetConfigurationPolicyAssociation(input: Sh.GetConfigurationPolicyAssociationRequest, ctx: CallContext): Sh.GetConfigurationPolicyAssociationResponse {
    const record = hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    const o = org(ctx);
    const target = hub.resolveTarget(o, input.Target as never);
    return associationOut(target.id, target.type, hub.effectiveAssociation(o, record, target.id));
  },

  BatchGetConfigurationPolicyAssociations(input: Sh.BatchGetConfigurationPolicyAssociationsRequest, ctx: CallContext): Sh.BatchGetConfigurationPolicyAssociationsResponse {
    const record = hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    const o = org(ctx);
    const found: Sh.ConfigurationPolicyAssociationSummary[] = [];
    const unprocessed: Sh.UnprocessedConfigurationPolicyAssociation[] = [];
    for (const identifier of input.ConfigurationPolicyAssociationIdentifiers ?? []) {
      try {
        const target = hub.resolveTarget(o, identifier.Target as never);
        found.push(associationOut(target.id, target.type, hub.effectiveAssociation(o, record, target.id)));
      } catch (error) {
        unprocessed.push({ ConfigurationPolicyAssociationIdentifiers: identifier, ErrorCode: 'RESOURCE_NOT_FOUND', ErrorReason: (error as Error).message });
      }
    }
    return { ConfigurationPolicyAssociations: found, UnprocessedConfigurationPolicyAssociations: unprocessed };
  },

  /** Every root, OU and account with the association that governs it: the organization-wide view, computed from the associations. */
  ListConfigurationPolicyAssociations(input: Sh.ListConfigurationPolicyAssociationsRequest, ctx: CallContext): Sh.ListConfigurationPolicyAssociationsResponse {
    const record = hub.requireCentralHome(ctx.state, ctx.account, ctx.region, ctx.operation);
    const o = org(ctx);
    const filters = input.Filters ?? {};
    const targets = [o.rootId, ...Object.keys(o.data.ous), ...o.accounts().map((a) => a.id)];
    const { page: items, nextToken } = pageLazily(targets.length, (i) => {
      const summary = associationOut(targets[i], targetTypeOf(o, targets[i]), hub.effectiveAssociation(o, record, targets[i]));
      const keep = (!filters.ConfigurationPolicyId || filters.ConfigurationPolicyId === summary.ConfigurationPolicyId)
        && (!filters.AssociationType || filters.AssociationType === summary.AssociationType)
        && (!filters.AssociationStatus || filters.AssociationStatus === summary.AssociationStatus);
      return keep ? [summary] : [];
    }, { operation: model.operations[ctx.operation], token: input.NextToken, limit: input.MaxResults, invalidToken, query: filters });
    return { ConfigurationPolicyAssociationSummaries: items, NextToken: nextToken };
  },

  CreateFindingAggregator(input: Sh.CreateFindingAggregatorRequest, ctx: CallContext): Sh.CreateFindingAggregatorResponse {
    const aggregator = hub.createFindingAggregator(ctx.state, ctx.account, ctx.region, input.RegionLinkingMode as string, input.Regions, ctx.random, ctx.clock.now());
    return { FindingAggregatorArn: aggregator.arn, FindingAggregationRegion: aggregator.region, RegionLinkingMode: aggregator.mode, Regions: aggregator.regions };
  },

  GetFindingAggregator(input: Sh.GetFindingAggregatorRequest, ctx: CallContext): Sh.GetFindingAggregatorResponse {
    const aggregator = ctx.state.find(hub.securityHubAccountSlot, ctx.account, GLOBAL_REGION)?.aggregator;
    if (!aggregator || aggregator.arn !== input.FindingAggregatorArn) {
      throw new AwsError('ResourceNotFoundException', `Finding aggregator ${input.FindingAggregatorArn} does not exist.`, { fields: { Code: 'ResourceNotFoundException' } });
    }
    return { FindingAggregatorArn: aggregator.arn, FindingAggregationRegion: aggregator.region, RegionLinkingMode: aggregator.mode, Regions: aggregator.regions };
  },

  ListFindingAggregators(input: Sh.ListFindingAggregatorsRequest, ctx: CallContext): Sh.ListFindingAggregatorsResponse {
    const aggregator = ctx.state.find(hub.securityHubAccountSlot, ctx.account, GLOBAL_REGION)?.aggregator;
    const { page: items, nextToken } = page(aggregator ? [aggregator.arn] : [], input, ctx);
    return { FindingAggregators: items.map((FindingAggregatorArn) => ({ FindingAggregatorArn })), NextToken: nextToken };
  },

  GetFindings(input: Sh.GetFindingsRequest, ctx: CallContext): Sh.GetFindingsResponse {
    const scope = findingScope(ctx);
    const query = findings.compileFilters((input.Filters ?? {}) as findings.FindingFilters, ctx.clock.nowMs());
    const accounts = scope.accounts.filter((a) => !query.accounts || query.accounts.has(a));
    const regions = scope.regions.filter((r) => !query.regions || query.regions.has(r));
    const central = hub.centralConfiguration(ctx.state);
    const sources = accounts.length * regions.length;
    const itemsAt = (i: number) => findings.findingsIn(ctx.state, accounts[Math.floor(i / regions.length)], regions[i % regions.length], query, central);
    const options = { operation: model.operations[ctx.operation], token: input.NextToken, limit: input.MaxResults, invalidToken, query: [input.Filters, input.SortCriteria] };
    if (input.SortCriteria?.length) {
      // Sorting needs every match; Security Hub sorts server-side the same way.
      const all: findings.Finding[] = [];
      for (let i = 0; i < sources; i++) all.push(...itemsAt(i));
      const sorted = findings.sortFindings(all, input.SortCriteria);
      const { page: items, nextToken } = pageLazily(1, () => sorted, options);
      return { Findings: items as unknown as Sh.AwsSecurityFinding[], NextToken: nextToken };
    }
    const { page: items, nextToken } = pageLazily(sources, itemsAt, options);
    return { Findings: items as unknown as Sh.AwsSecurityFinding[], NextToken: nextToken };
  },

  BatchImportFindings(input: Sh.BatchImportFindingsRequest, ctx: CallContext): Sh.BatchImportFindingsResponse {
    const failed: Sh.ImportFindingsError[] = [];
    let succeeded = 0;
    for (const finding of input.Findings ?? []) {
      const problem = findings.importProblem(finding as unknown as Record<string, unknown>, ctx.account, ctx.region);
      if (problem) {
        failed.push({ Id: finding.Id as string, ErrorCode: 'InvalidInput', ErrorMessage: problem });
        continue;
      }
      findings.importFinding(ctx.state, ctx.account, ctx.region, finding as unknown as Record<string, unknown>, ctx.clock.now());
      succeeded++;
    }
    return { FailedCount: failed.length, SuccessCount: succeeded, FailedFindings: failed };
  },

  BatchUpdateFindings(input: Sh.BatchUpdateFindingsRequest, ctx: CallContext): Sh.BatchUpdateFindingsResponse {
    if (input.Workflow?.Status && !['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'].includes(input.Workflow.Status)) {
      throw invalidInput(`Workflow.Status must be NEW, NOTIFIED, RESOLVED or SUPPRESSED; got ${input.Workflow.Status}.`);
    }
    const scope = findingScope(ctx);
    const seen = new Set<string>();
    const processed: Sh.AwsSecurityFindingIdentifier[] = [];
    const unprocessed: Sh.BatchUpdateFindingsUnprocessedFinding[] = [];
    for (const identifier of input.FindingIdentifiers ?? []) {
      const key = `${identifier.ProductArn}|${identifier.Id}`;
      if (seen.has(key)) {
        unprocessed.push({ FindingIdentifier: identifier, ErrorCode: 'DuplicatedFindingIdentifier', ErrorMessage: 'The finding is listed more than once' });
        continue;
      }
      seen.add(key);
      const located = findings.locateFinding(ctx.state, scope, identifier.Id as string, identifier.ProductArn as string);
      if (!located) {
        unprocessed.push({ FindingIdentifier: identifier, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' });
        continue;
      }
      findings.updateFinding(ctx.state, located, input as findings.UpdateInput, ctx.clock.now());
      processed.push(identifier);
    }
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  },

  ListMembers(input: Sh.ListMembersRequest, ctx: CallContext): Sh.ListMembersResponse {
    const o = ctx.state.organization;
    const central = hub.centralConfiguration(ctx.state);
    const members = hub.memberAccounts(ctx.state, ctx.account).filter((id) => input.OnlyAssociated === false || hub.effectiveHub(ctx.state, id, ctx.region, central).enabled);
    const { page: items, nextToken } = page(members, input, ctx, (id) => id);
    return {
      Members: items.map((id) => {
        const account = o?.account(id);
        const since = new Date(account?.joinedAt ?? ctx.clock.now());
        const enabled = hub.effectiveHub(ctx.state, id, ctx.region, central).enabled;
        return { AccountId: id, Email: account?.email, AdministratorId: ctx.account, MasterId: ctx.account, MemberStatus: enabled ? 'Enabled' : 'Created', InvitedAt: since, UpdatedAt: since };
      }),
      NextToken: nextToken,
    };
  },

  GetAdministratorAccount(_input: unknown, ctx: CallContext): Sh.GetAdministratorAccountResponse {
    const admin = hub.securityHubAdmin(ctx.state);
    if (!admin || admin === ctx.account || !hub.isOrganizationMember(ctx.state, ctx.account)) return {};
    const joined = ctx.state.organization?.account(ctx.account)?.joinedAt;
    return { Administrator: { AccountId: admin, MemberStatus: 'Enabled', ...(joined ? { InvitedAt: new Date(joined) } : {}) } };
  },
};

/**
 * AWS Security Hub: the hub, standards and controls per account × Region, central configuration
 * (policies and their associations, inherited down the OU tree and applied in every linked
 * Region), the finding aggregator, control findings derived from the effective settings and
 * imported findings. Security Hub's own control evaluations pass unless a seed or scenario
 * records a failure (setControlEvaluation).
 */
export const securityHubService: ServiceDefinition = {
  model,
  actionPrefix: 'securityhub',
  global: false,
  errors: {
    ...protocolErrors('rest-json'),
    accessDenied: (message) => new AwsError('AccessDeniedException', message, { fields: { Code: 'AccessDeniedException' } }),
    validation: (violations) => new AwsError('InvalidInputException', violationMessage(violations), { fields: { Code: 'InvalidInputException' } }),
  },
  operations: handlers,
  authorize(ctx) {
    if (WITHOUT_HUB.has(ctx.operation)) return;
    if (!hub.effectiveHub(ctx.state, ctx.account, ctx.region).enabled) throw hub.notSubscribed(ctx.account);
  },
};
