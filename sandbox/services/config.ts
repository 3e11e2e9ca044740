import type * as Cfg from '@aws-sdk/client-config-service';
import { AwsError } from '../errors';
import generated from '../models/config.json';
import { serviceModel } from '../models/serviceModel';
import * as cfg from '../state/awsConfig';
import { pageLazily } from './lazyPaging';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('config', generated);

function invalidToken(): AwsError {
  return new AwsError('InvalidNextTokenException', 'The nextToken provided is invalid');
}

/** AWS Config reads a Limit of 0 as "the default". */
function limitOf(limit: number | undefined): number | undefined {
  return limit === 0 ? undefined : limit;
}

function page<T>(items: readonly T[], input: { NextToken?: string; Limit?: number }, ctx: CallContext, keyOf?: (item: T) => string) {
  return paginate(items, { operation: model.operations[ctx.operation], token: input.NextToken, limit: limitOf(input.Limit), invalidToken, keyOf });
}

function lazyPage<T>(count: number, itemsAt: (i: number) => readonly T[], input: { NextToken?: string; Limit?: number }, ctx: CallContext, query: unknown) {
  return pageLazily(count, itemsAt, { operation: model.operations[ctx.operation], token: input.NextToken, limit: limitOf(input.Limit), invalidToken, query });
}

function recorderOut(recorder: cfg.RecorderRecord): Cfg.ConfigurationRecorder {
  return {
    arn: recorder.arn, name: recorder.name, roleARN: recorder.roleARN, recordingGroup: recorder.recordingGroup as Cfg.RecordingGroup,
    ...(recorder.recordingMode ? { recordingMode: recorder.recordingMode as unknown as Cfg.RecordingMode } : {}), recordingScope: 'PAID',
  };
}

function aggregatorOut(aggregator: cfg.AggregatorRecord): Cfg.ConfigurationAggregator {
  return {
    ConfigurationAggregatorName: aggregator.name, ConfigurationAggregatorArn: aggregator.arn,
    ...(aggregator.accountSources ? { AccountAggregationSources: aggregator.accountSources } : {}),
    ...(aggregator.organizationSource ? { OrganizationAggregationSource: aggregator.organizationSource } : {}),
    CreationTime: new Date(aggregator.createdAt), LastUpdatedTime: new Date(aggregator.updatedAt),
  };
}

function organizationPackOut(pack: cfg.OrganizationPackRecord): Cfg.OrganizationConformancePack {
  return {
    OrganizationConformancePackName: pack.name, OrganizationConformancePackArn: pack.arn,
    DeliveryS3Bucket: pack.deliveryS3Bucket, DeliveryS3KeyPrefix: pack.deliveryS3KeyPrefix,
    ConformancePackInputParameters: pack.inputParameters, ExcludedAccounts: pack.excludedAccounts, LastUpdateTime: new Date(pack.updatedAt),
  };
}

function requirePack(ctx: CallContext, name: string): cfg.MemberPack {
  const pack = cfg.deployedPacks(ctx.state, ctx.account, ctx.region).find((p) => p.name === name);
  if (!pack) throw new AwsError('NoSuchConformancePackException', `One or more conformance packs do not exist: ${name}.`);
  return pack;
}

/** The aggregator's sources, or none when it has lost its organization access. */
function sourcesOf(ctx: CallContext, name: string, filters: { AccountId?: string; AwsRegion?: string } = {}): cfg.AggregatorSource[] {
  const aggregator = cfg.requireAggregator(ctx.state, ctx.account, ctx.region, name);
  return cfg.aggregatorSources(ctx.state, ctx.account, aggregator)
    .filter((s) => (!filters.AccountId || s.account === filters.AccountId) && (!filters.AwsRegion || s.region === filters.AwsRegion));
}

/** Every rule of every deployed pack in an account and Region, with its compliance. */
function accountRules(ctx: CallContext, account: string, region: string) {
  return cfg.deployedPacks(ctx.state, account, region).flatMap((pack) => cfg.packCompliance(ctx.state, account, region, pack).rules);
}

const handlers = {
  PutConfigurationRecorder(input: Cfg.PutConfigurationRecorderRequest, ctx: CallContext): Record<string, never> {
    const recorder = input.ConfigurationRecorder as Cfg.ConfigurationRecorder;
    cfg.putRecorder(ctx.state, ctx.account, ctx.region, {
      name: recorder.name, roleARN: recorder.roleARN, recordingGroup: recorder.recordingGroup as Record<string, unknown> | undefined,
      recordingMode: recorder.recordingMode as Record<string, unknown> | undefined,
    });
    return {};
  },

  DescribeConfigurationRecorders(input: Cfg.DescribeConfigurationRecordersRequest, ctx: CallContext): Cfg.DescribeConfigurationRecordersResponse {
    const recorder = ctx.state.find(cfg.configSlot, ctx.account, ctx.region)?.recorder;
    for (const name of input.ConfigurationRecorderNames ?? []) cfg.requireRecorder(ctx.state, ctx.account, ctx.region, name);
    if (input.Arn && recorder?.arn !== input.Arn) throw new AwsError('NoSuchConfigurationRecorderException', `Cannot find configuration recorder with the specified ARN '${input.Arn}'.`);
    return { ConfigurationRecorders: recorder ? [recorderOut(recorder)] : [] };
  },

  DescribeConfigurationRecorderStatus(input: Cfg.DescribeConfigurationRecorderStatusRequest, ctx: CallContext): Cfg.DescribeConfigurationRecorderStatusResponse {
    const slot = ctx.state.find(cfg.configSlot, ctx.account, ctx.region);
    for (const name of input.ConfigurationRecorderNames ?? []) cfg.requireRecorder(ctx.state, ctx.account, ctx.region, name);
    if (!slot?.recorder) return { ConfigurationRecordersStatus: [] };
    const status = slot.recorderStatus ?? { recording: false };
    const date = (iso?: string) => (iso ? new Date(iso) : undefined);
    return {
      ConfigurationRecordersStatus: [{
        arn: slot.recorder.arn, name: slot.recorder.name, recording: status.recording,
        lastStartTime: date(status.lastStartTime), lastStopTime: date(status.lastStopTime), lastStatusChangeTime: date(status.lastStatusChangeTime),
        ...(status.lastStartTime ? { lastStatus: 'Success' as const } : {}),
      }],
    };
  },

  StartConfigurationRecorder(input: Cfg.StartConfigurationRecorderRequest, ctx: CallContext): Record<string, never> {
    cfg.startRecorder(ctx.state, ctx.account, ctx.region, input.ConfigurationRecorderName as string, ctx.clock.now());
    return {};
  },

  StopConfigurationRecorder(input: Cfg.StopConfigurationRecorderRequest, ctx: CallContext): Record<string, never> {
    cfg.stopRecorder(ctx.state, ctx.account, ctx.region, input.ConfigurationRecorderName as string, ctx.clock.now());
    return {};
  },

  DeleteConfigurationRecorder(input: Cfg.DeleteConfigurationRecorderRequest, ctx: CallContext): Record<string, never> {
    cfg.deleteRecorder(ctx.state, ctx.account, ctx.region, input.ConfigurationRecorderName as string);
    return {};
  },

  PutDeliveryChannel(input: Cfg.PutDeliveryChannelRequest, ctx: CallContext): Record<string, never> {
    cfg.putDeliveryChannel(ctx.state, ctx.account, ctx.region, input.DeliveryChannel as Record<string, unknown>);
    return {};
  },

  DescribeDeliveryChannels(input: Cfg.DescribeDeliveryChannelsRequest, ctx: CallContext): Cfg.DescribeDeliveryChannelsResponse {
    const channel = ctx.state.find(cfg.configSlot, ctx.account, ctx.region)?.deliveryChannel;
    for (const name of input.DeliveryChannelNames ?? []) {
      if (channel?.name !== name) throw new AwsError('NoSuchDeliveryChannelException', `Cannot find delivery channel with specified name '${name}'.`);
    }
    return { DeliveryChannels: channel ? [channel as Cfg.DeliveryChannel] : [] };
  },

  PutConfigurationAggregator(input: Cfg.PutConfigurationAggregatorRequest, ctx: CallContext): Cfg.PutConfigurationAggregatorResponse {
    const aggregator = cfg.putAggregator(ctx.state, ctx.account, ctx.region, {
      name: input.ConfigurationAggregatorName as string,
      accountSources: input.AccountAggregationSources as cfg.AggregatorRecord['accountSources'],
      organizationSource: input.OrganizationAggregationSource as cfg.AggregatorRecord['organizationSource'],
    }, ctx.random, ctx.clock.now());
    return { ConfigurationAggregator: aggregatorOut(aggregator) };
  },

  DescribeConfigurationAggregators(input: Cfg.DescribeConfigurationAggregatorsRequest, ctx: CallContext): Cfg.DescribeConfigurationAggregatorsResponse {
    const all = Object.values(ctx.state.find(cfg.configSlot, ctx.account, ctx.region)?.aggregators ?? {});
    for (const name of input.ConfigurationAggregatorNames ?? []) cfg.requireAggregator(ctx.state, ctx.account, ctx.region, name);
    const chosen = input.ConfigurationAggregatorNames?.length ? all.filter((a) => input.ConfigurationAggregatorNames?.includes(a.name)) : all;
    const { page: items, nextToken } = page(chosen, input, ctx, (a) => a.name);
    return { ConfigurationAggregators: items.map(aggregatorOut), NextToken: nextToken };
  },

  /** One status per source account × Region, from each source's own recorder. */
  DescribeConfigurationAggregatorSourcesStatus(input: Cfg.DescribeConfigurationAggregatorSourcesStatusRequest, ctx: CallContext): Cfg.DescribeConfigurationAggregatorSourcesStatusResponse {
    const name = input.ConfigurationAggregatorName as string;
    const aggregator = cfg.requireAggregator(ctx.state, ctx.account, ctx.region, name);
    const lost = cfg.organizationAccessLost(ctx.state, ctx.account, aggregator);
    const sources = sourcesOf(ctx, name);
    const wanted = input.UpdateStatus?.length ? new Set<string>(input.UpdateStatus) : undefined;
    const statusOf = (source: cfg.AggregatorSource): Cfg.AggregatedSourceStatus => {
      const slot = ctx.state.find(cfg.configSlot, source.account, source.region);
      const base = { SourceId: source.account, SourceType: source.type, AwsRegion: source.region } as const;
      if (!slot?.recorder) {
        return { ...base, LastUpdateStatus: 'FAILED', LastErrorCode: 'NoAvailableConfigurationRecorderException', LastErrorMessage: 'AWS Config is not recording in this account and Region' };
      }
      const status = slot.recorderStatus;
      if (!status?.recording) {
        return { ...base, LastUpdateStatus: 'OUTDATED', ...(status?.lastStopTime ? { LastUpdateTime: new Date(status.lastStopTime) } : {}) };
      }
      return { ...base, LastUpdateStatus: 'SUCCEEDED', LastUpdateTime: new Date(status.lastStartTime as string) };
    };
    if (lost) {
      const failed: Cfg.AggregatedSourceStatus[] = [{
        SourceId: ctx.state.organization?.id ?? 'organization', SourceType: 'ORGANIZATION', AwsRegion: ctx.region, LastUpdateStatus: 'FAILED',
        LastErrorCode: 'OrganizationAccessDeniedException', LastErrorMessage: 'The aggregator account is no longer the management account or a delegated administrator for AWS Config',
      }];
      return { AggregatedSourceStatusList: wanted && !wanted.has('FAILED') ? [] : failed };
    }
    const { page: items, nextToken } = lazyPage(sources.length, (i) => {
      const status = statusOf(sources[i]);
      return !wanted || wanted.has(status.LastUpdateStatus as string) ? [status] : [];
    }, input, ctx, [name, input.UpdateStatus]);
    return { AggregatedSourceStatusList: items, NextToken: nextToken };
  },

  PutOrganizationConformancePack(input: Cfg.PutOrganizationConformancePackRequest, ctx: CallContext): Cfg.PutOrganizationConformancePackResponse {
    const pack = cfg.putOrganizationPack(ctx.state, ctx.account, ctx.region, {
      name: input.OrganizationConformancePackName as string, templateBody: input.TemplateBody, templateS3Uri: input.TemplateS3Uri,
      excludedAccounts: input.ExcludedAccounts, deliveryS3Bucket: input.DeliveryS3Bucket, deliveryS3KeyPrefix: input.DeliveryS3KeyPrefix,
      inputParameters: input.ConformancePackInputParameters as cfg.OrganizationPackRecord['inputParameters'],
    }, ctx.random, ctx.clock.now());
    return { OrganizationConformancePackArn: pack.arn };
  },

  DescribeOrganizationConformancePacks(input: Cfg.DescribeOrganizationConformancePacksRequest, ctx: CallContext): Cfg.DescribeOrganizationConformancePacksResponse {
    cfg.requireOrganizationAdmin(ctx.state, ctx.account);
    const names = input.OrganizationConformancePackNames ?? [];
    for (const name of names) cfg.requireOrganizationPack(ctx.state, ctx.region, name);
    const packs = cfg.organizationPacks(ctx.state, ctx.region).filter((p) => !names.length || names.includes(p.name));
    const { page: items, nextToken } = page(packs, input, ctx, (p) => p.name);
    return { OrganizationConformancePacks: items.map(organizationPackOut), NextToken: nextToken };
  },

  /** An organization pack succeeds when every member account deployed it. */
  DescribeOrganizationConformancePackStatuses(input: Cfg.DescribeOrganizationConformancePackStatusesRequest, ctx: CallContext): Cfg.DescribeOrganizationConformancePackStatusesResponse {
    cfg.requireOrganizationAdmin(ctx.state, ctx.account);
    const names = input.OrganizationConformancePackNames ?? [];
    for (const name of names) cfg.requireOrganizationPack(ctx.state, ctx.region, name);
    const packs = cfg.organizationPacks(ctx.state, ctx.region).filter((p) => !names.length || names.includes(p.name));
    const accounts = ctx.state.organization?.accounts() ?? [];
    const { page: items, nextToken } = page(packs, input, ctx, (p) => p.name);
    return {
      OrganizationConformancePackStatuses: items.map((pack) => {
        const failed = accounts.filter((a) => cfg.memberPacks(ctx.state, a.id, ctx.region).some((m) => m.organizationPack.name === pack.name && m.status === 'CREATE_FAILED'));
        return {
          OrganizationConformancePackName: pack.name, Status: failed.length ? 'CREATE_FAILED' : 'CREATE_SUCCESSFUL', LastUpdateTime: new Date(pack.updatedAt),
          ...(failed.length ? { ErrorCode: 'OrganizationAccessDeniedException', ErrorMessage: `Deployment failed in ${failed.length} member account(s)` } : {}),
        };
      }),
      NextToken: nextToken,
    };
  },

  GetOrganizationConformancePackDetailedStatus(input: Cfg.GetOrganizationConformancePackDetailedStatusRequest, ctx: CallContext): Cfg.GetOrganizationConformancePackDetailedStatusResponse {
    cfg.requireOrganizationAdmin(ctx.state, ctx.account);
    const name = input.OrganizationConformancePackName as string;
    const pack = cfg.requireOrganizationPack(ctx.state, ctx.region, name);
    const accounts = (ctx.state.organization?.accounts() ?? []).map((a) => a.id).filter((id) => !input.Filters?.AccountId || id === input.Filters.AccountId);
    const { page: items, nextToken } = lazyPage(accounts.length, (i) => {
      const member = cfg.memberPacks(ctx.state, accounts[i], ctx.region).find((m) => m.organizationPack.name === pack.name);
      if (!member || (input.Filters?.Status && input.Filters.Status !== member.status)) return [];
      return [{
        AccountId: accounts[i], ConformancePackName: member.name, Status: member.status, LastUpdateTime: new Date(pack.updatedAt),
        ...(member.errorCode ? { ErrorCode: member.errorCode, ErrorMessage: member.errorMessage } : {}),
      }];
    }, input, ctx, [name, input.Filters]);
    return { OrganizationConformancePackDetailedStatuses: items, NextToken: nextToken };
  },

  DeleteOrganizationConformancePack(input: Cfg.DeleteOrganizationConformancePackRequest, ctx: CallContext): Record<string, never> {
    cfg.deleteOrganizationPack(ctx.state, ctx.account, ctx.region, input.OrganizationConformancePackName as string);
    return {};
  },

  DescribeConformancePacks(input: Cfg.DescribeConformancePacksRequest, ctx: CallContext): Cfg.DescribeConformancePacksResponse {
    const names = input.ConformancePackNames ?? [];
    for (const name of names) requirePack(ctx, name);
    const packs = cfg.deployedPacks(ctx.state, ctx.account, ctx.region).filter((p) => !names.length || names.includes(p.name));
    const { page: items, nextToken } = page(packs, input, ctx, (p) => p.name);
    return {
      ConformancePackDetails: items.map((pack) => ({
        ConformancePackName: pack.name, ConformancePackArn: pack.arn, ConformancePackId: pack.id,
        DeliveryS3Bucket: pack.organizationPack.deliveryS3Bucket, DeliveryS3KeyPrefix: pack.organizationPack.deliveryS3KeyPrefix,
        ConformancePackInputParameters: pack.organizationPack.inputParameters, LastUpdateRequestedTime: new Date(pack.organizationPack.updatedAt),
        CreatedBy: cfg.CONFIG_MULTIACCOUNT_PRINCIPAL,
      })),
      NextToken: nextToken,
    };
  },

  DescribeConformancePackCompliance(input: Cfg.DescribeConformancePackComplianceRequest, ctx: CallContext): Cfg.DescribeConformancePackComplianceResponse {
    const name = input.ConformancePackName as string;
    const compliance = cfg.packCompliance(ctx.state, ctx.account, ctx.region, requirePack(ctx, name));
    const wantedRules = input.Filters?.ConfigRuleNames ?? [];
    for (const rule of wantedRules) {
      if (!compliance.rules.some((r) => r.name === rule)) throw new AwsError('NoSuchConfigRuleInConformancePackException', `AWS Config rule ${rule} is not in conformance pack ${name}.`);
    }
    const rules = compliance.rules.filter((r) => (!wantedRules.length || wantedRules.includes(r.name)) && (!input.Filters?.ComplianceType || r.type === input.Filters.ComplianceType));
    const { page: items, nextToken } = page(rules, input, ctx, (r) => r.name);
    return {
      ConformancePackName: name,
      ConformancePackRuleComplianceList: items.map((r) => ({ ConfigRuleName: r.name, ComplianceType: r.type as Cfg.ConformancePackComplianceType, Controls: [] })),
      NextToken: nextToken,
    };
  },

  GetConformancePackComplianceSummary(input: Cfg.GetConformancePackComplianceSummaryRequest, ctx: CallContext): Cfg.GetConformancePackComplianceSummaryResponse {
    const packs = (input.ConformancePackNames ?? []).map((name) => requirePack(ctx, name));
    const { page: items, nextToken } = page(packs, input, ctx, (p) => p.name);
    return {
      ConformancePackComplianceSummaryList: items.map((pack) => ({
        ConformancePackName: pack.name, ConformancePackComplianceStatus: cfg.packCompliance(ctx.state, ctx.account, ctx.region, pack).type,
      })),
      NextToken: nextToken,
    };
  },

  DescribeComplianceByConfigRule(input: Cfg.DescribeComplianceByConfigRuleRequest, ctx: CallContext): Cfg.DescribeComplianceByConfigRuleResponse {
    const rules = accountRules(ctx, ctx.account, ctx.region);
    for (const name of input.ConfigRuleNames ?? []) {
      if (!rules.some((r) => r.name === name)) throw new AwsError('NoSuchConfigRuleException', `The ConfigRule '${name}' provided in the request is invalid. Please check the configRule name.`);
    }
    const chosen = rules.filter((r) => (!input.ConfigRuleNames?.length || input.ConfigRuleNames.includes(r.name))
      && (!input.ComplianceTypes?.length || input.ComplianceTypes.includes(r.type)));
    const { page: items, nextToken } = page(chosen, input, ctx, (r) => r.name);
    return {
      ComplianceByConfigRules: items.map((r) => ({
        ConfigRuleName: r.name,
        Compliance: { ComplianceType: r.type, ...(r.type === 'NON_COMPLIANT' ? { ComplianceContributorCount: { CappedCount: r.nonCompliant, CapExceeded: false } } : {}) },
      })),
      NextToken: nextToken,
    };
  },

  GetComplianceDetailsByConfigRule(input: Cfg.GetComplianceDetailsByConfigRuleRequest, ctx: CallContext): Cfg.GetComplianceDetailsByConfigRuleResponse {
    const name = input.ConfigRuleName as string;
    const member = accountRules(ctx, ctx.account, ctx.region).find((r) => r.name === name);
    if (!member) throw new AwsError('NoSuchConfigRuleException', `The ConfigRule '${name}' provided in the request is invalid. Please check the configRule name.`);
    const types = input.ComplianceTypes?.length ? input.ComplianceTypes : ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];
    const evaluations = cfg.ruleEvaluations(ctx.state, ctx.account, ctx.region, member.rule.name).filter((e) => types.includes(e.complianceType));
    const { page: items, nextToken } = page(evaluations, input, ctx, (e) => `${e.resourceType}|${e.resourceId}`);
    return {
      EvaluationResults: items.map((e) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: { ConfigRuleName: name, ResourceType: e.resourceType, ResourceId: e.resourceId, EvaluationMode: 'DETECTIVE' },
          OrderingTimestamp: new Date(e.at),
        },
        ComplianceType: e.complianceType, ResultRecordedTime: new Date(e.at), ConfigRuleInvokedTime: new Date(e.at),
      })),
      NextToken: nextToken,
    };
  },

  /** Organization-wide compliance per pack: computed from each source account's own pack compliance. */
  DescribeAggregateComplianceByConformancePacks(input: Cfg.DescribeAggregateComplianceByConformancePacksRequest, ctx: CallContext): Cfg.DescribeAggregateComplianceByConformancePacksResponse {
    const name = input.ConfigurationAggregatorName as string;
    const filters = input.Filters ?? {};
    const sources = sourcesOf(ctx, name, filters);
    const { page: items, nextToken } = lazyPage(sources.length, (i) => {
      const { account, region } = sources[i];
      return cfg.deployedPacks(ctx.state, account, region)
        .filter((p) => !filters.ConformancePackName || p.name === filters.ConformancePackName)
        .map((pack) => ({ pack, compliance: cfg.packCompliance(ctx.state, account, region, pack) }))
        .filter(({ compliance }) => !filters.ComplianceType || compliance.type === filters.ComplianceType)
        .map(({ pack, compliance }) => ({
          ConformancePackName: pack.name, AccountId: account, AwsRegion: region,
          Compliance: { ComplianceType: compliance.type, CompliantRuleCount: compliance.compliant, NonCompliantRuleCount: compliance.nonCompliant, TotalRuleCount: compliance.total },
        }));
    }, input, ctx, [name, filters]);
    return { AggregateComplianceByConformancePacks: items, NextToken: nextToken };
  },

  GetAggregateConformancePackComplianceSummary(input: Cfg.GetAggregateConformancePackComplianceSummaryRequest, ctx: CallContext): Cfg.GetAggregateConformancePackComplianceSummaryResponse {
    const name = input.ConfigurationAggregatorName as string;
    const groupBy = input.GroupByKey ?? 'ACCOUNT_ID';
    const groups = new Map<string, { CompliantConformancePackCount: number; NonCompliantConformancePackCount: number }>();
    for (const { account, region } of sourcesOf(ctx, name, input.Filters ?? {})) {
      for (const pack of cfg.deployedPacks(ctx.state, account, region)) {
        const key = groupBy === 'AWS_REGION' ? region : account;
        const group = groups.get(key) ?? { CompliantConformancePackCount: 0, NonCompliantConformancePackCount: 0 };
        const type = cfg.packCompliance(ctx.state, account, region, pack).type;
        if (type === 'COMPLIANT') group.CompliantConformancePackCount++;
        if (type === 'NON_COMPLIANT') group.NonCompliantConformancePackCount++;
        groups.set(key, group);
      }
    }
    const { page: items, nextToken } = page([...groups.entries()], input, ctx, ([key]) => key);
    return { AggregateConformancePackComplianceSummaries: items.map(([GroupName, ComplianceSummary]) => ({ GroupName, ComplianceSummary })), GroupByKey: groupBy, NextToken: nextToken };
  },

  DescribeAggregateComplianceByConfigRules(input: Cfg.DescribeAggregateComplianceByConfigRulesRequest, ctx: CallContext): Cfg.DescribeAggregateComplianceByConfigRulesResponse {
    const name = input.ConfigurationAggregatorName as string;
    const filters = input.Filters ?? {};
    const sources = sourcesOf(ctx, name, filters);
    const { page: items, nextToken } = lazyPage(sources.length, (i) => {
      const { account, region } = sources[i];
      return accountRules(ctx, account, region)
        .filter((r) => (!filters.ConfigRuleName || r.name === filters.ConfigRuleName) && (!filters.ComplianceType || r.type === filters.ComplianceType))
        .map((r) => ({
          ConfigRuleName: r.name, AccountId: account, AwsRegion: region,
          Compliance: { ComplianceType: r.type, ...(r.type === 'NON_COMPLIANT' ? { ComplianceContributorCount: { CappedCount: r.nonCompliant, CapExceeded: false } } : {}) },
        }));
    }, input, ctx, [name, filters]);
    return { AggregateComplianceByConfigRules: items, NextToken: nextToken };
  },
};

/**
 * AWS Config: recorders and delivery channels per account × Region, aggregators (account and
 * organization sources), organization conformance packs deployed to every member account that is
 * not excluded, and rule compliance per resource, with the aggregated views computed from the
 * member accounts' own state.
 */
export const configService: ServiceDefinition = {
  model,
  actionPrefix: 'config',
  global: false,
  errors: protocolErrors('json'),
  operations: handlers,
};
