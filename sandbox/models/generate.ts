/**
 * Writes sandbox/models/<service>.json from botocore's service-2.json and paginators-1.json:
 * only the operations FakeAws implements (OPERATIONS below) and the shapes they reach, without
 * documentation. FakeAws never reads botocore at run time; rerun this after adding an operation:
 *
 *   npx tsx sandbox/models/generate.ts            # botocore found through python3
 *   BOTOCORE_DATA=/path/to/botocore/data npx tsx sandbox/models/generate.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** Operations FakeAws implements, per botocore service directory. Add one here, regenerate, then write its handler. */
/**
 * Page sizes the reference states in prose (botocore only carries the limit parameter's maximum):
 * IAM List* default to 100 items, SNS ListTopics/ListSubscriptionsByTopic return up to 100, S3
 * ListObjectsV2 returns up to 1,000 keys whatever MaxKeys asks.
 */
type PageSize = { default: number; max?: number };
export const OPERATIONS: Record<string, { apiVersion: string; operations: string[]; pageSizes?: Record<string, PageSize> }> = {
  organizations: {
    apiVersion: '2016-11-28',
    operations: [
      'DescribeOrganization', 'ListRoots', 'ListOrganizationalUnitsForParent', 'ListChildren', 'ListParents',
      'DescribeOrganizationalUnit', 'CreateOrganizationalUnit', 'UpdateOrganizationalUnit', 'DeleteOrganizationalUnit',
      'ListAccounts', 'ListAccountsForParent', 'DescribeAccount', 'MoveAccount', 'CreateAccount', 'DescribeCreateAccountStatus',
      'RemoveAccountFromOrganization', 'ListPolicies', 'DescribePolicy', 'CreatePolicy', 'UpdatePolicy', 'DeletePolicy',
      'AttachPolicy', 'DetachPolicy', 'ListTargetsForPolicy', 'ListPoliciesForTarget', 'EnablePolicyType', 'DisablePolicyType',
      'EnableAWSServiceAccess', 'DisableAWSServiceAccess', 'ListAWSServiceAccessForOrganization',
      'RegisterDelegatedAdministrator', 'DeregisterDelegatedAdministrator', 'ListDelegatedAdministrators',
      'ListDelegatedServicesForAccount', 'TagResource', 'UntagResource', 'ListTagsForResource',
    ],
  },
  sts: { apiVersion: '2011-06-15', operations: ['AssumeRole', 'GetCallerIdentity'] },
  iam: {
    apiVersion: '2010-05-08',
    operations: [
      'CreateRole', 'GetRole', 'ListRoles', 'DeleteRole', 'UpdateAssumeRolePolicy', 'TagRole', 'UntagRole', 'ListRoleTags',
      'PutRolePolicy', 'GetRolePolicy', 'ListRolePolicies', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy',
      'ListAttachedRolePolicies',
    ],
    pageSizes: {
      ListRoles: { default: 100 }, ListRoleTags: { default: 100 }, ListRolePolicies: { default: 100 }, ListAttachedRolePolicies: { default: 100 },
    },
  },
  s3: {
    apiVersion: '2006-03-01',
    operations: [
      'CreateBucket', 'HeadBucket', 'ListBuckets', 'PutObjectLockConfiguration', 'GetObjectLockConfiguration',
      'PutBucketVersioning', 'GetBucketVersioning', 'PutObject', 'GetObject', 'HeadObject', 'ListObjectsV2', 'DeleteObject',
      'PutBucketPolicy', 'GetBucketPolicy', 'PutBucketEncryption', 'GetBucketEncryption',
    ],
    pageSizes: { ListObjectsV2: { default: 1000, max: 1000 } },
  },
  sns: {
    apiVersion: '2010-03-31',
    operations: ['CreateTopic', 'ListTopics', 'Subscribe', 'ListSubscriptionsByTopic', 'Publish'],
    pageSizes: { ListTopics: { default: 100 }, ListSubscriptionsByTopic: { default: 100 } },
  },
  events: { apiVersion: '2015-10-07', operations: ['PutEvents', 'PutRule', 'ListRules', 'PutTargets', 'ListTargetsByRule'] },
  stepfunctions: { apiVersion: '2016-11-23', operations: ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'] },
  securityhub: {
    apiVersion: '2018-10-26',
    operations: [
      'EnableSecurityHub', 'DisableSecurityHub', 'DescribeHub', 'EnableOrganizationAdminAccount', 'ListOrganizationAdminAccounts',
      'DescribeOrganizationConfiguration', 'UpdateOrganizationConfiguration', 'DescribeStandards', 'GetEnabledStandards',
      'BatchEnableStandards', 'BatchDisableStandards', 'ListStandardsControlAssociations', 'BatchGetStandardsControlAssociations',
      'BatchUpdateStandardsControlAssociations', 'ListSecurityControlDefinitions', 'CreateConfigurationPolicy', 'GetConfigurationPolicy',
      'ListConfigurationPolicies', 'UpdateConfigurationPolicy', 'DeleteConfigurationPolicy', 'StartConfigurationPolicyAssociation',
      'StartConfigurationPolicyDisassociation', 'GetConfigurationPolicyAssociation', 'BatchGetConfigurationPolicyAssociations',
      'ListConfigurationPolicyAssociations', 'CreateFindingAggregator', 'GetFindingAggregator', 'ListFindingAggregators', 'GetFindings',
      'BatchImportFindings', 'BatchUpdateFindings', 'ListMembers', 'GetAdministratorAccount',
    ],
  },
  securitylake: {
    apiVersion: '2018-05-10',
    operations: [
      'RegisterDataLakeDelegatedAdministrator', 'DeregisterDataLakeDelegatedAdministrator', 'CreateDataLake', 'UpdateDataLake',
      'DeleteDataLake', 'ListDataLakes', 'CreateAwsLogSource', 'DeleteAwsLogSource', 'GetDataLakeSources', 'ListLogSources',
      'CreateCustomLogSource', 'DeleteCustomLogSource', 'CreateDataLakeOrganizationConfiguration', 'GetDataLakeOrganizationConfiguration',
      'DeleteDataLakeOrganizationConfiguration', 'CreateSubscriber', 'GetSubscriber', 'ListSubscribers', 'DeleteSubscriber',
      'ListDataLakeExceptions', 'CreateDataLakeExceptionSubscription', 'GetDataLakeExceptionSubscription',
    ],
  },
  config: {
    apiVersion: '2014-11-12',
    operations: [
      'PutConfigurationRecorder', 'DescribeConfigurationRecorders', 'DescribeConfigurationRecorderStatus', 'StartConfigurationRecorder',
      'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'PutDeliveryChannel', 'DescribeDeliveryChannels',
      'PutConfigurationAggregator', 'DescribeConfigurationAggregators', 'DescribeConfigurationAggregatorSourcesStatus',
      'PutOrganizationConformancePack', 'DescribeOrganizationConformancePacks', 'DescribeOrganizationConformancePackStatuses',
      'GetOrganizationConformancePackDetailedStatus', 'DeleteOrganizationConformancePack', 'DescribeConformancePacks',
      'DescribeConformancePackCompliance', 'GetConformancePackComplianceSummary', 'DescribeAggregateComplianceByConformancePacks',
      'GetAggregateConformancePackComplianceSummary', 'DescribeAggregateComplianceByConfigRules', 'DescribeComplianceByConfigRule',
      'GetComplianceDetailsByConfigRule',
    ],
    // "The default is 10. You cannot specify a number greater than 100." (GetComplianceDetailsByConfigRule, Limit)
    pageSizes: { GetComplianceDetailsByConfigRule: { default: 10, max: 100 } },
  },
  accessanalyzer: {
    apiVersion: '2019-11-01',
    operations: [
      'CreateAnalyzer', 'GetAnalyzer', 'ListAnalyzers', 'DeleteAnalyzer', 'CreateArchiveRule', 'ListArchiveRules', 'DeleteArchiveRule',
      'ListFindings', 'ListFindingsV2', 'GetFinding', 'GetFindingV2', 'UpdateFindings', 'StartResourceScan', 'ValidatePolicy',
    ],
    // The reference gives maxResults no bound or default; 100 is an estimate.
    pageSizes: {
      ListAnalyzers: { default: 100 }, ListArchiveRules: { default: 100 }, ListFindings: { default: 100 }, ListFindingsV2: { default: 100 },
      GetFindingV2: { default: 100 }, ValidatePolicy: { default: 100 },
    },
  },
};

/** Shape keys FakeAws uses; documentation and SDK-only hints are dropped. */
const SHAPE_KEYS = new Set([
  'type', 'members', 'required', 'enum', 'min', 'max', 'pattern', 'payload', 'member', 'key', 'value', 'flattened',
  'locationName', 'error', 'exception', 'streaming', 'timestampFormat', 'xmlNamespace', 'union', 'document', 'sensitive',
]);
const MEMBER_KEYS = new Set([
  'shape', 'location', 'locationName', 'flattened', 'xmlNamespace', 'xmlAttribute', 'timestampFormat', 'jsonvalue',
  'idempotencyToken', 'streaming',
]);

type Json = Record<string, unknown>;

function botocoreDataDir(): { dir: string; version: string } {
  const python = 'import botocore, os; print(botocore.__version__); print(os.path.join(os.path.dirname(botocore.__file__), "data"))';
  const [version, dir] = execFileSync('python3', ['-c', python], { encoding: 'utf8' }).trim().split('\n');
  return { dir: process.env.BOTOCORE_DATA ?? dir, version };
}

function readBotocore(file: string): Json {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  if (fs.existsSync(`${file}.gz`)) return JSON.parse(zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).toString('utf8')) as Json;
  throw new Error(`${file}(.gz) not found: is botocore installed (pip install botocore) or BOTOCORE_DATA set?`);
}

function pick(source: Json, keys: Set<string>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(source)) if (keys.has(k)) out[k] = v;
  return out;
}

function generate(service: string, spec: (typeof OPERATIONS)[string], data: { dir: string; version: string }): Json {
  const relative = path.join(service, spec.apiVersion);
  const model = readBotocore(path.join(data.dir, relative, 'service-2.json'));
  const paginators = (readBotocore(path.join(data.dir, relative, 'paginators-1.json')).pagination ?? {}) as Record<string, Json>;
  const allShapes = model.shapes as Record<string, Json>;
  const allOperations = model.operations as Record<string, Json>;
  const shapes: Record<string, Json> = {};
  const visit = (name: string) => {
    if (shapes[name]) return;
    const shape = allShapes[name];
    if (!shape) throw new Error(`${service}: shape ${name} missing`);
    const out = pick(shape, SHAPE_KEYS);
    shapes[name] = out;
    if (shape.members) {
      const members: Record<string, Json> = {};
      for (const [memberName, member] of Object.entries(shape.members as Record<string, Json>)) {
        members[memberName] = pick(member, MEMBER_KEYS);
        visit(member.shape as string);
      }
      out.members = members;
    }
    for (const ref of ['member', 'key', 'value'] as const) {
      if (shape[ref]) {
        out[ref] = pick(shape[ref] as Json, MEMBER_KEYS);
        visit((shape[ref] as Json).shape as string);
      }
    }
  };
  const operations: Record<string, Json> = {};
  for (const name of spec.operations) {
    const op = allOperations[name];
    if (!op) throw new Error(`${service}: operation ${name} is not in ${relative}/service-2.json`);
    const entry: Json = { http: op.http };
    const input = op.input as Json | undefined;
    const output = op.output as Json | undefined;
    if (input) { entry.input = input.shape; visit(input.shape as string); }
    if (output) {
      entry.output = output.shape;
      if (output.resultWrapper) entry.resultWrapper = output.resultWrapper;
      visit(output.shape as string);
    }
    const errors = ((op.errors ?? []) as Json[]).map((e) => e.shape as string);
    errors.forEach(visit);
    entry.errors = errors;
    const paginator = paginators[name];
    if (paginator) {
      entry.paginator = pick(paginator, new Set(['input_token', 'output_token', 'limit_key', 'result_key', 'more_results']));
      const limitKey = paginator.limit_key as string | undefined;
      const limitShape = limitKey && input ? allShapes[((allShapes[input.shape as string].members as Record<string, Json>)[limitKey]).shape as string] : undefined;
      const max = spec.pageSizes?.[name]?.max ?? (limitShape?.max as number | undefined);
      const pageSize = spec.pageSizes?.[name]?.default ?? max;
      if (pageSize !== undefined) entry.pageSize = { default: pageSize, ...(max !== undefined ? { max } : {}) };
    }
    operations[name] = entry;
  }
  return {
    $source: `Generated by sandbox/models/generate.ts from botocore ${data.version}, data/${relative}/service-2.json and paginators-1.json. Do not edit; regenerate.`,
    metadata: pick(model.metadata as Json, new Set([
      'apiVersion', 'endpointPrefix', 'globalEndpoint', 'jsonVersion', 'protocol', 'serviceId', 'signatureVersion', 'signingName',
      'targetPrefix', 'uid', 'xmlNamespace',
    ])),
    operations,
    shapes: Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function main(): void {
  const data = botocoreDataDir();
  const only = process.argv.slice(2);
  for (const [service, spec] of Object.entries(OPERATIONS)) {
    if (only.length && !only.includes(service)) continue;
    const out = path.join(__dirname, `${service}.json`);
    fs.writeFileSync(out, `${JSON.stringify(generate(service, spec, data), null, 1)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)} (${spec.operations.length} operations)`);
  }
}

if (require.main === module) main();
