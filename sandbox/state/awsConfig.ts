import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { AWS_REGIONS } from '../catalog/regions';
import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { defineSlot, type SandboxState } from './sandboxState';

export const CONFIG_PRINCIPAL = 'config.amazonaws.com';
export const CONFIG_MULTIACCOUNT_PRINCIPAL = 'config-multiaccountsetup.amazonaws.com';

/** AWS Config quotas ("Service Limits" in the AWS Config Developer Guide). */
export const CONFIG_QUOTAS = {
  recordersPerRegion: 1,
  deliveryChannelsPerRegion: 1,
  aggregatorsPerAccount: 50,
  organizationConformancePacks: 50,
  rulesPerConformancePack: 130,
} as const;

export interface RecorderRecord {
  name: string;
  arn: string;
  roleARN: string;
  recordingGroup: Record<string, unknown>;
  recordingMode?: Record<string, unknown>;
}

export interface RecorderStatusRecord {
  recording: boolean;
  lastStartTime?: string;
  lastStopTime?: string;
  lastStatusChangeTime?: string;
}

export interface AggregatorRecord {
  name: string;
  arn: string;
  accountSources?: { AccountIds: string[]; AllAwsRegions?: boolean; AwsRegions?: string[] }[];
  organizationSource?: { RoleArn: string; AllAwsRegions?: boolean; AwsRegions?: string[] };
  createdAt: string;
  updatedAt: string;
}

/** One AWS managed rule from a conformance pack template. */
export interface PackRule {
  name: string;
  owner: string;
  sourceIdentifier: string;
  resourceTypes?: string[];
}

export interface OrganizationPackRecord {
  name: string;
  arn: string;
  /** Account that created it (the management account or a delegated administrator). */
  createdBy: string;
  rules: PackRule[];
  excludedAccounts: string[];
  deliveryS3Bucket?: string;
  deliveryS3KeyPrefix?: string;
  inputParameters: { ParameterName: string; ParameterValue: string }[];
  updatedAt: string;
}

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';

export interface EvaluationRecord {
  resourceType: string;
  resourceId: string;
  complianceType: ComplianceType;
  at: string;
}

/** AWS Config in one account and Region. */
export interface ConfigRegionState {
  recorder?: RecorderRecord;
  recorderStatus?: RecorderStatusRecord;
  deliveryChannel?: Record<string, unknown> & { name: string };
  aggregators: Record<string, AggregatorRecord>;
  /** Organization conformance packs, kept in the management account's slot for the Region. */
  organizationPacks: Record<string, OrganizationPackRecord>;
  /** Template rule name → `<resource type>|<resource id>` → evaluation that differs from the default (the account COMPLIANT). */
  evaluations: Record<string, Record<string, EvaluationRecord>>;
}

export const configSlot = defineSlot<ConfigRegionState>('config', () => ({ aggregators: {}, organizationPacks: {}, evaluations: {} }));

function error(code: string, message: string): AwsError {
  return new AwsError(code, message);
}

// ── Recorders and delivery channels ──────────────────────────────────────────────────────────

export function putRecorder(state: SandboxState, account: string, region: string, input: { name?: string; roleARN?: string; recordingGroup?: Record<string, unknown>; recordingMode?: Record<string, unknown> }): RecorderRecord {
  const slot = state.get(configSlot, account, region);
  const name = input.name ?? 'default';
  if (slot.recorder && slot.recorder.name !== name) {
    throw error('MaxNumberOfConfigurationRecordersExceededException', `Failed to put configuration recorder '${name}' because the maximum number of configuration recorders: ${CONFIG_QUOTAS.recordersPerRegion} is reached.`);
  }
  if (!input.roleARN || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(input.roleARN)) {
    throw error('InvalidRoleException', `The role ARN ${input.roleARN ?? '(none)'} is not valid: give the ARN of an IAM role AWS Config can assume.`);
  }
  const group = input.recordingGroup ?? { allSupported: true, includeGlobalResourceTypes: false };
  const allSupported = group.allSupported === true;
  const resourceTypes = (group.resourceTypes as string[] | undefined) ?? [];
  const strategy = (group.recordingStrategy as { useOnly?: string } | undefined)?.useOnly;
  if (allSupported && resourceTypes.length) throw error('InvalidRecordingGroupException', 'The recording group provided is not valid: allSupported true cannot be combined with resourceTypes.');
  if (group.includeGlobalResourceTypes === true && !allSupported) throw error('InvalidRecordingGroupException', 'The recording group provided is not valid: includeGlobalResourceTypes needs allSupported true.');
  if (!allSupported && !resourceTypes.length && strategy !== 'EXCLUSION_BY_RESOURCE_TYPES') {
    throw error('InvalidRecordingGroupException', 'The recording group provided is not valid: name resourceTypes, set allSupported, or exclude resource types.');
  }
  slot.recorder = {
    name, arn: slot.recorder?.arn ?? `arn:aws:config:${region}:${account}:configuration-recorder/${name}/${createHash('sha1').update(`${account}${region}${name}`).digest('hex').slice(0, 16)}`,
    roleARN: input.roleARN, recordingGroup: group, recordingMode: input.recordingMode,
  };
  slot.recorderStatus ??= { recording: false };
  return slot.recorder;
}

export function requireRecorder(state: SandboxState, account: string, region: string, name: string): ConfigRegionState {
  const slot = state.find(configSlot, account, region);
  if (!slot?.recorder || slot.recorder.name !== name) {
    throw error('NoSuchConfigurationRecorderException', `Cannot find configuration recorder with the specified name '${name}'.`);
  }
  return slot;
}

export function startRecorder(state: SandboxState, account: string, region: string, name: string, now: Date): void {
  const slot = requireRecorder(state, account, region, name);
  if (!slot.deliveryChannel) throw error('NoAvailableDeliveryChannelException', 'Delivery channel is not available to start configuration recorder.');
  const at = now.toISOString();
  if (slot.recorderStatus?.recording) return;
  slot.recorderStatus = { ...slot.recorderStatus, recording: true, lastStartTime: at, lastStatusChangeTime: at };
}

export function stopRecorder(state: SandboxState, account: string, region: string, name: string, now: Date): void {
  const slot = requireRecorder(state, account, region, name);
  const at = now.toISOString();
  if (!slot.recorderStatus?.recording) return;
  slot.recorderStatus = { ...slot.recorderStatus, recording: false, lastStopTime: at, lastStatusChangeTime: at };
}

export function deleteRecorder(state: SandboxState, account: string, region: string, name: string): void {
  const slot = requireRecorder(state, account, region, name);
  delete slot.recorder;
  delete slot.recorderStatus;
}

export function putDeliveryChannel(state: SandboxState, account: string, region: string, channel: Record<string, unknown>): void {
  const slot = state.get(configSlot, account, region);
  const name = (channel.name as string | undefined) ?? 'default';
  if (slot.deliveryChannel && slot.deliveryChannel.name !== name) {
    throw error('MaxNumberOfDeliveryChannelsExceededException', `Failed to put delivery channel '${name}' because the maximum number of delivery channels: ${CONFIG_QUOTAS.deliveryChannelsPerRegion} is reached.`);
  }
  if (!slot.recorder) throw error('NoAvailableConfigurationRecorderException', 'Configuration recorder is not available to put delivery channel.');
  if (!channel.s3BucketName) throw error('NoSuchBucketException', 'Cannot find a S3 bucket with an empty bucket name.');
  const prefix = channel.s3KeyPrefix as string | undefined;
  if (prefix !== undefined && (prefix.startsWith('/') || prefix.includes('AWSLogs'))) throw error('InvalidS3KeyPrefixException', `The s3 key prefix '${prefix}' is not valid.`);
  const kms = channel.s3KmsKeyArn as string | undefined;
  if (kms !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(kms)) throw error('InvalidS3KmsKeyArnException', `The KMS key ARN ${kms} is not valid.`);
  const topic = channel.snsTopicARN as string | undefined;
  if (topic !== undefined && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/.test(topic)) throw error('InvalidSNSTopicARNException', `The SNS topic ARN ${topic} is not valid.`);
  slot.deliveryChannel = { ...channel, name };
}

// ── Aggregators ──────────────────────────────────────────────────────────────────────────────

/** Whether an account may read the organization through AWS Config: the management account or a delegated administrator. */
export function mayActForOrganization(state: SandboxState, account: string, principal: string): boolean {
  const org = state.organization;
  if (!org || !org.account(account)) return false;
  return org.managementAccountId === account || org.isDelegatedAdministrator(account, principal);
}

export function putAggregator(state: SandboxState, account: string, region: string, input: { name: string; accountSources?: AggregatorRecord['accountSources']; organizationSource?: AggregatorRecord['organizationSource'] }, random: SeededRandom, now: Date): AggregatorRecord {
  const hasAccounts = (input.accountSources?.length ?? 0) > 0;
  if (hasAccounts === (input.organizationSource !== undefined)) {
    throw error('InvalidParameterValueException', 'Specify either AccountAggregationSources or OrganizationAggregationSource, not both and not neither.');
  }
  const sources = [...(input.accountSources ?? []), ...(input.organizationSource ? [input.organizationSource] : [])];
  for (const source of sources) {
    if (source.AllAwsRegions && source.AwsRegions?.length) throw error('InvalidParameterValueException', 'AllAwsRegions cannot be combined with AwsRegions.');
    if (!source.AllAwsRegions && !source.AwsRegions?.length) throw error('InvalidParameterValueException', 'Give AwsRegions or set AllAwsRegions.');
  }
  if (input.organizationSource) {
    const org = state.organization;
    if (!org || !org.account(account)) throw error('NoAvailableOrganizationException', 'Organization is not available.');
    if (!mayActForOrganization(state, account, CONFIG_PRINCIPAL)) {
      throw error('OrganizationAccessDeniedException', 'This action can only be performed if you are a registered delegated administrator for AWS Config with permissions to call ListDelegatedAdministrators API.');
    }
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(input.organizationSource.RoleArn)) throw error('InvalidRoleException', `The role ARN ${input.organizationSource.RoleArn} is not valid.`);
    if (org.managementAccountId === account) org.enableServiceAccess(CONFIG_PRINCIPAL, now);
  }
  const slot = state.get(configSlot, account, region);
  const existing = slot.aggregators[input.name];
  if (!existing && Object.keys(slot.aggregators).length >= CONFIG_QUOTAS.aggregatorsPerAccount) {
    throw error('LimitExceededException', `You have reached the limit of ${CONFIG_QUOTAS.aggregatorsPerAccount} configuration aggregators.`);
  }
  const at = now.toISOString();
  const record: AggregatorRecord = {
    name: input.name, arn: existing?.arn ?? `arn:aws:config:${region}:${account}:config-aggregator/config-aggregator-${random.lowerAlnum(8)}`,
    ...(input.accountSources?.length ? { accountSources: input.accountSources } : {}),
    ...(input.organizationSource ? { organizationSource: input.organizationSource } : {}),
    createdAt: existing?.createdAt ?? at, updatedAt: at,
  };
  slot.aggregators[input.name] = record;
  return record;
}

export function requireAggregator(state: SandboxState, account: string, region: string, name: string): AggregatorRecord {
  const aggregator = state.find(configSlot, account, region)?.aggregators[name];
  if (!aggregator) throw error('NoSuchConfigurationAggregatorException', `The configuration aggregator does not exist. Check the configuration aggregator name and try again.`);
  return aggregator;
}

export interface AggregatorSource {
  account: string;
  region: string;
  type: 'ACCOUNT' | 'ORGANIZATION';
}

/** The account × Region pairs an aggregator collects from, in a stable order. */
export function aggregatorSources(state: SandboxState, owner: string, aggregator: AggregatorRecord): AggregatorSource[] {
  const out: AggregatorSource[] = [];
  const regionsOf = (source: { AllAwsRegions?: boolean; AwsRegions?: string[] }) => (source.AllAwsRegions ? AWS_REGIONS : source.AwsRegions ?? []);
  if (aggregator.organizationSource) {
    const org = state.organization;
    if (!org || !mayActForOrganization(state, owner, CONFIG_PRINCIPAL)) return [];
    for (const account of org.accounts()) for (const region of regionsOf(aggregator.organizationSource)) out.push({ account: account.id, region, type: 'ORGANIZATION' });
  }
  for (const source of aggregator.accountSources ?? []) {
    for (const account of source.AccountIds) for (const region of regionsOf(source)) out.push({ account, region, type: 'ACCOUNT' });
  }
  return out;
}

/** Whether an organization aggregator has lost its access (its owner is no longer allowed to read the organization). */
export function organizationAccessLost(state: SandboxState, owner: string, aggregator: AggregatorRecord): boolean {
  return aggregator.organizationSource !== undefined && !mayActForOrganization(state, owner, CONFIG_PRINCIPAL);
}

// ── Organization conformance packs ───────────────────────────────────────────────────────────

function templateError(message: string): AwsError {
  return error('OrganizationConformancePackTemplateValidationException', `You have specified a template that is not valid or supported: ${message}`);
}

/** The AWS Config rules a conformance pack template declares (CloudFormation JSON or YAML). */
export function parseConformancePackTemplate(body: string): PackRule[] {
  let template: unknown;
  try {
    // JSON first: it is what Rampart sends, and it parses far faster than YAML (its superset).
    template = JSON.parse(body);
  } catch {
    try {
      template = parseYaml(body, { logLevel: 'silent' });
    } catch (cause) {
      throw templateError(`the template is neither JSON nor YAML (${(cause as Error).message.split('\n')[0]})`);
    }
  }
  const resources = (template as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> } | null)?.Resources;
  if (!resources || typeof resources !== 'object') throw templateError('it has no Resources section');
  const rules: PackRule[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::Config::ConfigRule') continue;
    const properties = resource.Properties ?? {};
    const source = properties.Source as { Owner?: string; SourceIdentifier?: string } | undefined;
    if (!source?.Owner || !source.SourceIdentifier) throw templateError(`rule ${logicalId} has no Source with Owner and SourceIdentifier`);
    const name = typeof properties.ConfigRuleName === 'string' ? properties.ConfigRuleName : logicalId;
    if (name.length > 128) throw templateError(`rule name ${name} is longer than 128 characters`);
    const scope = (properties.Scope as { ComplianceResourceTypes?: string[] } | undefined)?.ComplianceResourceTypes;
    rules.push({ name, owner: source.Owner, sourceIdentifier: source.SourceIdentifier, ...(scope?.length ? { resourceTypes: scope } : {}) });
  }
  if (!rules.length) throw templateError('it declares no AWS::Config::ConfigRule resource');
  if (new Set(rules.map((r) => r.name)).size !== rules.length) throw templateError('two rules share a ConfigRuleName');
  if (rules.length > CONFIG_QUOTAS.rulesPerConformancePack) throw templateError(`it has ${rules.length} rules; a conformance pack can have at most ${CONFIG_QUOTAS.rulesPerConformancePack}`);
  return rules;
}

/** Organization conformance packs are kept with the management account, whichever administrator made them. */
function organizationPackSlot(state: SandboxState, region: string): ConfigRegionState | undefined {
  const management = state.organization?.managementAccountId;
  return management ? state.get(configSlot, management, region) : undefined;
}

export function organizationPacks(state: SandboxState, region: string): OrganizationPackRecord[] {
  const management = state.organization?.managementAccountId;
  const packs = management ? state.find(configSlot, management, region)?.organizationPacks : undefined;
  return Object.values(packs ?? {});
}

export function requireOrganizationAdmin(state: SandboxState, account: string): void {
  if (!state.organization?.account(account)) throw error('NoAvailableOrganizationException', 'Organization is not available.');
  if (!mayActForOrganization(state, account, CONFIG_MULTIACCOUNT_PRINCIPAL)) {
    throw error('OrganizationAccessDeniedException', 'This action can only be performed if you are a registered delegated administrator for AWS Config with permissions to call ListDelegatedAdministrators API.');
  }
}

export function putOrganizationPack(state: SandboxState, account: string, region: string, input: { name: string; templateBody?: string; templateS3Uri?: string; excludedAccounts?: string[]; deliveryS3Bucket?: string; deliveryS3KeyPrefix?: string; inputParameters?: { ParameterName: string; ParameterValue: string }[] }, random: SeededRandom, now: Date): OrganizationPackRecord {
  requireOrganizationAdmin(state, account);
  const org = state.organization as NonNullable<SandboxState['organization']>;
  if ((input.templateBody === undefined) === (input.templateS3Uri === undefined)) throw error('ValidationException', 'Specify exactly one of TemplateBody and TemplateS3Uri.');
  if (input.templateS3Uri !== undefined) throw templateError('FakeAws reads conformance pack templates from TemplateBody; it does not fetch TemplateS3Uri');
  const rules = parseConformancePackTemplate(input.templateBody as string);
  if (org.managementAccountId === account) org.enableServiceAccess(CONFIG_MULTIACCOUNT_PRINCIPAL, now);
  const slot = organizationPackSlot(state, region) as ConfigRegionState;
  const existing = slot.organizationPacks[input.name];
  if (!existing && Object.keys(slot.organizationPacks).length >= CONFIG_QUOTAS.organizationConformancePacks) {
    throw error('MaxNumberOfOrganizationConformancePacksExceededException', `You have reached the limit of ${CONFIG_QUOTAS.organizationConformancePacks} organization conformance packs.`);
  }
  const record: OrganizationPackRecord = {
    name: input.name,
    arn: existing?.arn ?? `arn:aws:config:${region}:${org.managementAccountId}:organization-conformance-pack/${input.name}-${random.lowerAlnum(8)}`,
    createdBy: account, rules, excludedAccounts: [...new Set(input.excludedAccounts ?? [])],
    deliveryS3Bucket: input.deliveryS3Bucket, deliveryS3KeyPrefix: input.deliveryS3KeyPrefix, inputParameters: input.inputParameters ?? [],
    updatedAt: now.toISOString(),
  };
  slot.organizationPacks[input.name] = record;
  return record;
}

export function requireOrganizationPack(state: SandboxState, region: string, name: string): OrganizationPackRecord {
  const pack = organizationPacks(state, region).find((p) => p.name === name);
  if (!pack) throw error('NoSuchOrganizationConformancePackException', `Could not find an OrganizationConformancePack for given request with resourceName ${name}`);
  return pack;
}

export function deleteOrganizationPack(state: SandboxState, account: string, region: string, name: string): void {
  requireOrganizationAdmin(state, account);
  requireOrganizationPack(state, region, name);
  delete (organizationPackSlot(state, region) as ConfigRegionState).organizationPacks[name];
}

// ── Member packs and rule compliance (derived) ───────────────────────────────────────────────

function suffix(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

/** A conformance pack as deployed in one member account from an organization conformance pack. */
export interface MemberPack {
  name: string;
  id: string;
  arn: string;
  organizationPack: OrganizationPackRecord;
  status: 'CREATE_SUCCESSFUL' | 'CREATE_FAILED';
  errorCode?: string;
  errorMessage?: string;
  /** Member rule name (`<rule>-conformance-pack-<suffix>`) → template rule. */
  rules: { name: string; rule: PackRule }[];
}

/** The conformance packs organization packs deploy to an account in a Region (every account but the excluded ones). */
export function memberPacks(state: SandboxState, account: string, region: string): MemberPack[] {
  const org = state.organization;
  if (!org?.account(account)) return [];
  const recorder = state.find(configSlot, account, region)?.recorder;
  return organizationPacks(state, region)
    .filter((pack) => !pack.excludedAccounts.includes(account))
    .map((pack) => {
      const tag = suffix(pack.arn);
      const id = `conformance-pack-${suffix(`${pack.arn}|${account}`)}`;
      const name = `OrgConformsPack-${pack.name}-${tag}`;
      return {
        name, id, arn: `arn:aws:config:${region}:${account}:conformance-pack/${name}/${id}`, organizationPack: pack,
        ...(recorder
          ? { status: 'CREATE_SUCCESSFUL' as const }
          : { status: 'CREATE_FAILED' as const, errorCode: 'NoAvailableConfigurationRecorderException', errorMessage: `AWS Config has no configuration recorder in account ${account}, ${region}.` }),
        // Member rule names carry a suffix; AWS Config caps rule names at 64 characters.
        rules: pack.rules.map((rule) => ({ name: `${rule.name.slice(0, 38)}-conformance-pack-${tag}`, rule })),
      };
    });
}

/** The conformance packs an account sees (deployed successfully). */
export function deployedPacks(state: SandboxState, account: string, region: string): MemberPack[] {
  return memberPacks(state, account, region).filter((p) => p.status === 'CREATE_SUCCESSFUL');
}

/** Evaluations of one template rule in an account: the account itself COMPLIANT once the recorder has run, plus any recorded evaluation. */
export function ruleEvaluations(state: SandboxState, account: string, region: string, ruleName: string): EvaluationRecord[] {
  const slot = state.find(configSlot, account, region);
  const recorded = slot?.evaluations[ruleName] ?? {};
  const out: EvaluationRecord[] = [];
  const started = slot?.recorderStatus?.lastStartTime;
  const accountKey = `AWS::::Account|${account}`;
  if (started && !recorded[accountKey]) out.push({ resourceType: 'AWS::::Account', resourceId: account, complianceType: 'COMPLIANT', at: started });
  out.push(...Object.values(recorded));
  return out;
}

export function ruleCompliance(evaluations: EvaluationRecord[]): { type: ComplianceType; nonCompliant: number } {
  const nonCompliant = evaluations.filter((e) => e.complianceType === 'NON_COMPLIANT').length;
  if (nonCompliant) return { type: 'NON_COMPLIANT', nonCompliant };
  if (evaluations.some((e) => e.complianceType === 'COMPLIANT')) return { type: 'COMPLIANT', nonCompliant: 0 };
  if (evaluations.some((e) => e.complianceType === 'NOT_APPLICABLE')) return { type: 'NOT_APPLICABLE', nonCompliant: 0 };
  return { type: 'INSUFFICIENT_DATA', nonCompliant: 0 };
}

export interface PackCompliance {
  type: 'COMPLIANT' | 'NON_COMPLIANT' | 'INSUFFICIENT_DATA';
  compliant: number;
  nonCompliant: number;
  total: number;
  rules: { name: string; type: ComplianceType; nonCompliant: number; rule: PackRule }[];
}

export function packCompliance(state: SandboxState, account: string, region: string, pack: MemberPack): PackCompliance {
  const rules = pack.rules.map(({ name, rule }) => ({ name, rule, ...ruleCompliance(ruleEvaluations(state, account, region, rule.name)) }));
  const compliant = rules.filter((r) => r.type === 'COMPLIANT').length;
  const nonCompliant = rules.filter((r) => r.type === 'NON_COMPLIANT').length;
  const type = nonCompliant ? 'NON_COMPLIANT' : compliant ? 'COMPLIANT' : 'INSUFFICIENT_DATA';
  return { type, compliant, nonCompliant, total: rules.length, rules };
}

/** Records how a rule evaluated a resource in an account (seeds and scenarios: AWS Config evaluates resources itself). */
export function setRuleEvaluation(state: SandboxState, account: string, region: string, ruleName: string, resource: { type: string; id: string }, complianceType: ComplianceType, now: Date): void {
  const slot = state.get(configSlot, account, region);
  (slot.evaluations[ruleName] ??= {})[`${resource.type}|${resource.id}`] = { resourceType: resource.type, resourceId: resource.id, complianceType, at: now.toISOString() };
}
