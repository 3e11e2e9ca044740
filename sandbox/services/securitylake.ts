import type * as Sl from '@aws-sdk/client-securitylake';
import { AwsError } from '../errors';
import generated from '../models/securitylake.json';
import { serviceModel } from '../models/serviceModel';
import { violationMessage } from '../models/validate';
import { GLOBAL_REGION } from '../state/sandboxState';
import * as lake from '../state/securityLake';
import { pageLazily } from './lazyPaging';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('securitylake', generated);

const MANAGEMENT_ONLY = new Set(['RegisterDataLakeDelegatedAdministrator', 'DeregisterDataLakeDelegatedAdministrator']);

function invalidToken(): AwsError {
  return new AwsError('BadRequestException', 'The nextToken is not valid.');
}

function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message, { fields: { errorCode: 'AccessDenied' } });
}

function page<T>(items: readonly T[], input: { nextToken?: string; maxResults?: number }, ctx: CallContext, keyOf?: (item: T) => string) {
  return paginate(items, { operation: model.operations[ctx.operation], token: input.nextToken, limit: input.maxResults, invalidToken, keyOf });
}

function lakeOut(region: string, record: lake.DataLakeRecord, status: Sl.DataLakeStatus = 'COMPLETED'): Sl.DataLakeResource {
  return {
    dataLakeArn: record.arn, region, createStatus: status, s3BucketArn: `arn:aws:s3:::${record.bucketName}`,
    ...(record.encryption ? { encryptionConfiguration: record.encryption } : { encryptionConfiguration: { kmsKeyId: 'S3_MANAGED_KEY' } }),
    ...(record.lifecycle ? { lifecycleConfiguration: record.lifecycle as Sl.DataLakeLifecycleConfiguration } : {}),
    ...(record.replication ? { replicationConfiguration: record.replication } : {}),
    updateStatus: { status: 'COMPLETED' },
  };
}

function customSourceOut(account: string, region: string, source: lake.CustomSourceRecord): Sl.CustomLogSourceResource {
  return {
    sourceName: source.name, sourceVersion: source.version, provider: { location: source.location, roleArn: source.roleArn },
    attributes: lake.customSourceAttributes(account, region, source),
  };
}

function subscriberOut(ctx: CallContext, s: lake.SubscriberRecord): Sl.SubscriberResource {
  const bucket = lake.dataLakeIn(ctx.state, ctx.account, s.region)?.bucketName;
  return {
    subscriberId: s.id, subscriberArn: s.arn, subscriberName: s.name, subscriberDescription: s.description, subscriberIdentity: s.identity,
    sources: s.sources as unknown as Sl.LogSourceResource[], accessTypes: s.accessTypes, subscriberStatus: 'ACTIVE',
    createdAt: new Date(s.createdAt), updatedAt: new Date(s.updatedAt),
    ...(s.accessTypes.includes('S3') ? { roleArn: `arn:aws:iam::${ctx.account}:role/AmazonSecurityLake-${s.id}`, ...(bucket ? { s3BucketArn: `arn:aws:s3:::${bucket}` } : {}) } : {}),
    ...(s.accessTypes.includes('LAKEFORMATION') ? { resourceShareArn: `arn:aws:ram:${s.region}:${ctx.account}:resource-share/${s.id}`, resourceShareName: `LakeFormation-V3-${s.id.slice(0, 8)}` } : {}),
  };
}

function allSubscribers(ctx: CallContext): lake.SubscriberRecord[] {
  return lake.lakeRegions(ctx.state, ctx.account).flatMap((region) => Object.values(ctx.state.find(lake.securityLakeSlot, ctx.account, region)?.subscribers ?? {}));
}

function findSubscriber(ctx: CallContext, id: string): lake.SubscriberRecord {
  const subscriber = allSubscribers(ctx).find((s) => s.id === id);
  if (!subscriber) throw new AwsError('ResourceNotFoundException', `Subscriber ${id} does not exist.`, { fields: { resourceName: id, resourceType: 'Subscriber' } });
  return subscriber;
}

const handlers = {
  RegisterDataLakeDelegatedAdministrator(input: Sl.RegisterDataLakeDelegatedAdministratorRequest, ctx: CallContext): Record<string, never> {
    lake.registerAdmin(ctx.state, input.accountId as string, ctx.clock.now());
    return {};
  },

  DeregisterDataLakeDelegatedAdministrator(_input: unknown, ctx: CallContext): Record<string, never> {
    lake.deregisterAdmin(ctx.state);
    return {};
  },

  CreateDataLake(input: Sl.CreateDataLakeRequest, ctx: CallContext): Sl.CreateDataLakeResponse {
    const created = lake.createDataLakes(ctx.state, ctx.account, (input.configurations ?? []) as lake.LakeConfiguration[], input.metaStoreManagerRoleArn as string, ctx.random, ctx.clock.now());
    // Security Lake creates lakes asynchronously: the answer says INITIALIZED, later reads COMPLETED.
    return { dataLakes: created.map((record) => lakeOut(record.arn.split(':')[3], record, 'INITIALIZED')) };
  },

  UpdateDataLake(input: Sl.UpdateDataLakeRequest, ctx: CallContext): Sl.UpdateDataLakeResponse {
    const updated = lake.updateDataLakes(ctx.state, ctx.account, (input.configurations ?? []) as lake.LakeConfiguration[]);
    return { dataLakes: updated.map((record) => lakeOut(record.arn.split(':')[3], record)) };
  },

  DeleteDataLake(input: Sl.DeleteDataLakeRequest, ctx: CallContext): Record<string, never> {
    lake.deleteDataLakes(ctx.state, ctx.account, input.regions ?? []);
    return {};
  },

  ListDataLakes(input: Sl.ListDataLakesRequest, ctx: CallContext): Sl.ListDataLakesResponse {
    const regions = input.regions?.length ? input.regions : lake.lakeRegions(ctx.state, ctx.account);
    return {
      dataLakes: regions.flatMap((region) => {
        const record = lake.dataLakeIn(ctx.state, ctx.account, region);
        return record ? [lakeOut(region, record)] : [];
      }),
    };
  },

  CreateAwsLogSource(input: Sl.CreateAwsLogSourceRequest, ctx: CallContext): Sl.CreateAwsLogSourceResponse {
    return { failed: lake.changeAwsSources(ctx.state, ctx.account, (input.sources ?? []) as lake.SourceRequest[], true, ctx.clock.now()) };
  },

  DeleteAwsLogSource(input: Sl.DeleteAwsLogSourceRequest, ctx: CallContext): Sl.DeleteAwsLogSourceResponse {
    return { failed: lake.changeAwsSources(ctx.state, ctx.account, (input.sources ?? []) as lake.SourceRequest[], false, ctx.clock.now()) };
  },

  /** Every account's sources in this Region, from each account's own state: the organization view for the administrator. */
  GetDataLakeSources(input: Sl.GetDataLakeSourcesRequest, ctx: CallContext): Sl.GetDataLakeSourcesResponse {
    const record = lake.requireDataLake(ctx.state, ctx.account, ctx.region);
    const managed = lake.managedAccounts(ctx.state, ctx.account);
    for (const account of input.accounts ?? []) {
      if (!managed.includes(account)) throw accessDenied(`Account ${account} is not an account whose sources ${ctx.account} manages.`);
    }
    const accounts = input.accounts?.length ? input.accounts : managed;
    const custom = Object.values(ctx.state.find(lake.securityLakeSlot, ctx.account, ctx.region)?.customSources ?? {});
    const { page: items, nextToken } = pageLazily(accounts.length, (i) => {
      const account = accounts[i];
      const enabled = lake.effectiveAwsSources(ctx.state, ctx.account, account, ctx.region);
      const out: Sl.DataLakeSource[] = lake.AWS_LOG_SOURCES.map((sourceName) => ({
        account, sourceName, eventClasses: lake.AWS_SOURCE_EVENT_CLASSES[sourceName],
        sourceStatuses: [{ resource: `${sourceName}/${enabled[sourceName] ?? '2.0'}`, status: enabled[sourceName] ? 'COLLECTING' : 'NOT_COLLECTING' }],
      }));
      if (account === ctx.account) {
        for (const source of custom) {
          out.push({ account, sourceName: source.name, eventClasses: source.eventClasses, sourceStatuses: [{ resource: source.location, status: 'COLLECTING' }] });
        }
      }
      return out;
    }, { operation: model.operations[ctx.operation], token: input.nextToken, limit: input.maxResults, invalidToken, query: [ctx.region, input.accounts] });
    return { dataLakeArn: record.arn, dataLakeSources: items, nextToken };
  },

  ListLogSources(input: Sl.ListLogSourcesRequest, ctx: CallContext): Sl.ListLogSourcesResponse {
    const managed = lake.managedAccounts(ctx.state, ctx.account);
    const accounts = input.accounts?.length ? input.accounts.filter((a) => managed.includes(a)) : managed;
    const regions = input.regions?.length ? input.regions : lake.lakeRegions(ctx.state, ctx.account);
    const wanted = input.sources ?? [];
    const keep = (resource: Sl.LogSourceResource) => !wanted.length || wanted.some((w) => (
      (w.awsLogSource && resource.awsLogSource?.sourceName === w.awsLogSource.sourceName && (!w.awsLogSource.sourceVersion || w.awsLogSource.sourceVersion === resource.awsLogSource?.sourceVersion))
      || (w.customLogSource && resource.customLogSource?.sourceName === w.customLogSource.sourceName)));
    const pairs = accounts.length * regions.length;
    const { page: items, nextToken } = pageLazily(pairs, (i) => {
      const account = accounts[Math.floor(i / regions.length)];
      const region = regions[i % regions.length];
      const resources: Sl.LogSourceResource[] = Object.entries(lake.effectiveAwsSources(ctx.state, ctx.account, account, region))
        .map(([sourceName, sourceVersion]) => ({ awsLogSource: { sourceName: sourceName as Sl.AwsLogSourceName, sourceVersion } }));
      if (account === ctx.account) {
        for (const source of Object.values(ctx.state.find(lake.securityLakeSlot, ctx.account, region)?.customSources ?? {})) {
          resources.push({ customLogSource: customSourceOut(ctx.account, region, source) });
        }
      }
      const kept = resources.filter(keep);
      return kept.length ? [{ account, region, sources: kept }] : [];
    }, { operation: model.operations[ctx.operation], token: input.nextToken, limit: input.maxResults, invalidToken, query: [input.accounts, input.regions, input.sources] });
    return { sources: items, nextToken };
  },

  CreateCustomLogSource(input: Sl.CreateCustomLogSourceRequest, ctx: CallContext): Sl.CreateCustomLogSourceResponse {
    const configuration = input.configuration as Sl.CustomLogSourceConfiguration;
    const source = lake.createCustomSource(ctx.state, ctx.account, ctx.region, {
      sourceName: input.sourceName as string, sourceVersion: input.sourceVersion, eventClasses: input.eventClasses,
      crawlerRoleArn: configuration.crawlerConfiguration?.roleArn as string,
      principal: configuration.providerIdentity?.principal as string, externalId: configuration.providerIdentity?.externalId as string,
    }, ctx.random, ctx.clock.now());
    return { source: customSourceOut(ctx.account, ctx.region, source) };
  },

  DeleteCustomLogSource(input: Sl.DeleteCustomLogSourceRequest, ctx: CallContext): Record<string, never> {
    lake.deleteCustomSource(ctx.state, ctx.account, ctx.region, input.sourceName as string, input.sourceVersion);
    return {};
  },

  CreateDataLakeOrganizationConfiguration(input: Sl.CreateDataLakeOrganizationConfigurationRequest, ctx: CallContext): Record<string, never> {
    requireAdmin(ctx);
    lake.createOrganizationConfiguration(ctx.state, ctx.account, input.autoEnableNewAccount as never, ctx.clock.now());
    return {};
  },

  GetDataLakeOrganizationConfiguration(_input: unknown, ctx: CallContext): Sl.GetDataLakeOrganizationConfigurationResponse {
    requireAdmin(ctx);
    const autoEnable = ctx.state.find(lake.securityLakeAccountSlot, ctx.account, GLOBAL_REGION)?.autoEnable ?? {};
    return {
      autoEnableNewAccount: Object.entries(autoEnable).map(([region, entry]) => ({
        region, sources: entry.sources.map((s) => ({ sourceName: s.sourceName, sourceVersion: s.sourceVersion })),
      })),
    };
  },

  DeleteDataLakeOrganizationConfiguration(input: Sl.DeleteDataLakeOrganizationConfigurationRequest, ctx: CallContext): Record<string, never> {
    requireAdmin(ctx);
    lake.deleteOrganizationConfiguration(ctx.state, ctx.account, input.autoEnableNewAccount as never);
    return {};
  },

  CreateSubscriber(input: Sl.CreateSubscriberRequest, ctx: CallContext): Sl.CreateSubscriberResponse {
    lake.requireDataLake(ctx.state, ctx.account, ctx.region);
    const slot = ctx.state.get(lake.securityLakeSlot, ctx.account, ctx.region);
    for (const source of input.sources ?? []) {
      const name = source.customLogSource?.sourceName;
      if (name && !slot.customSources[name]) throw new AwsError('ResourceNotFoundException', `Custom source ${name} does not exist in ${ctx.region}.`, { fields: { resourceName: name, resourceType: 'CustomLogSource' } });
    }
    const id = ctx.random.uuid();
    const at = ctx.clock.now().toISOString();
    const record: lake.SubscriberRecord = {
      id, arn: `arn:aws:securitylake:${ctx.region}:${ctx.account}:subscriber/${id}`, name: input.subscriberName as string, description: input.subscriberDescription,
      identity: input.subscriberIdentity as { principal: string; externalId: string }, accessTypes: input.accessTypes?.length ? input.accessTypes : ['S3'],
      sources: JSON.parse(JSON.stringify(input.sources ?? [])) as Record<string, unknown>[], createdAt: at, updatedAt: at, region: ctx.region,
    };
    slot.subscribers[id] = record;
    return { subscriber: subscriberOut(ctx, record) };
  },

  GetSubscriber(input: Sl.GetSubscriberRequest, ctx: CallContext): Sl.GetSubscriberResponse {
    return { subscriber: subscriberOut(ctx, findSubscriber(ctx, input.subscriberId as string)) };
  },

  ListSubscribers(input: Sl.ListSubscribersRequest, ctx: CallContext): Sl.ListSubscribersResponse {
    const { page: items, nextToken } = page(allSubscribers(ctx), input, ctx, (s) => s.id);
    return { subscribers: items.map((s) => subscriberOut(ctx, s)), nextToken };
  },

  DeleteSubscriber(input: Sl.DeleteSubscriberRequest, ctx: CallContext): Record<string, never> {
    const subscriber = findSubscriber(ctx, input.subscriberId as string);
    delete ctx.state.get(lake.securityLakeSlot, ctx.account, subscriber.region).subscribers[subscriber.id];
    return {};
  },

  ListDataLakeExceptions(input: Sl.ListDataLakeExceptionsRequest, ctx: CallContext): Sl.ListDataLakeExceptionsResponse {
    const exceptions = lake.replicationExceptions(ctx.state, ctx.account).filter((e) => !input.regions?.length || input.regions.includes(e.region));
    const { page: items, nextToken } = page(exceptions, input, ctx);
    return { exceptions: items.map((e) => ({ region: e.region, exception: e.exception, remediation: e.remediation, timestamp: new Date(e.at) })), nextToken };
  },

  CreateDataLakeExceptionSubscription(input: Sl.CreateDataLakeExceptionSubscriptionRequest, ctx: CallContext): Record<string, never> {
    ctx.state.get(lake.securityLakeAccountSlot, ctx.account, GLOBAL_REGION).exceptionSubscription = {
      notificationEndpoint: input.notificationEndpoint as string, subscriptionProtocol: input.subscriptionProtocol as string,
      ...(input.exceptionTimeToLive !== undefined ? { exceptionTimeToLive: input.exceptionTimeToLive } : {}),
    };
    return {};
  },

  GetDataLakeExceptionSubscription(_input: unknown, ctx: CallContext): Sl.GetDataLakeExceptionSubscriptionResponse {
    const subscription = ctx.state.find(lake.securityLakeAccountSlot, ctx.account, GLOBAL_REGION)?.exceptionSubscription;
    if (!subscription) throw new AwsError('ResourceNotFoundException', 'There is no exception subscription.', { fields: { resourceType: 'ExceptionSubscription' } });
    return subscription;
  },
};

function requireAdmin(ctx: CallContext): void {
  if (lake.securityLakeAdmin(ctx.state) !== ctx.account) {
    throw accessDenied(`${ctx.operation} can only be called by the Security Lake delegated administrator of the organization.`);
  }
}

/**
 * Amazon Security Lake: the delegated administrator's data lakes per Region (encryption,
 * lifecycle, replication to rollup Regions), AWS sources per account × Region (and auto-enabled
 * for accounts that join later), custom sources with their provider role, subscribers and
 * exceptions. The organization views are computed from the accounts' own state.
 */
export const securityLakeService: ServiceDefinition = {
  model,
  actionPrefix: 'securitylake',
  global: false,
  errors: {
    ...protocolErrors('rest-json'),
    accessDenied,
    validation: (violations) => new AwsError('BadRequestException', violationMessage(violations)),
  },
  operations: handlers,
  authorize(ctx) {
    const org = ctx.state.organization;
    if (MANAGEMENT_ONLY.has(ctx.operation)) {
      if (!org || org.managementAccountId !== ctx.account) throw accessDenied(`${ctx.operation} can only be called by the organization management account.`);
      return;
    }
    const admin = lake.securityLakeAdmin(ctx.state);
    // In an organization with a Security Lake administrator, only that account manages Security Lake.
    if (admin && org?.account(ctx.account) && admin !== ctx.account) {
      throw accessDenied(`Account ${ctx.account} is not the Security Lake delegated administrator (${admin}) of its organization.`);
    }
  },
};
