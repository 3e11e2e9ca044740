import { AWS_REGIONS, isAwsRegion } from '../catalog/regions';
import * as catalog from '../catalog/securityHub';
import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import type { Organization } from './organization';
import { defineSlot, GLOBAL_REGION, type SandboxState } from './sandboxState';

export const SECURITY_HUB_PRINCIPAL = 'securityhub.amazonaws.com';
/** The policy identifier that marks a target as self-managed under central configuration. */
export const SELF_MANAGED = 'SELF_MANAGED_SECURITY_HUB';
/** Security Hub quota: configuration policies per organization. */
export const MAX_CONFIGURATION_POLICIES = 20;

export interface HubRecord {
  subscribedAt: string;
  autoEnableControls: boolean;
  controlFindingGenerator: 'SECURITY_CONTROL' | 'STANDARD_CONTROL';
}

/** A control's latest evaluation, when it is not PASSED (the default). */
export interface ControlEvaluation {
  status: 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';
  at: string;
}

/** Changes made through BatchUpdateFindings to a control finding (control findings are derived, not stored). */
export interface FindingUpdate {
  Workflow?: { Status: string };
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
  Severity?: { Label: string; Normalized: number };
  VerificationState?: string;
  Confidence?: number;
  Criticality?: number;
  Types?: string[];
  UserDefinedFields?: Record<string, string>;
  RelatedFindings?: { ProductArn: string; Id: string }[];
  UpdatedAt: string;
}

/** Security Hub in one account and Region: the account's own (self-managed) settings and its findings. */
export interface SecurityHubRegionState {
  hub?: HubRecord;
  /** Enabled standard id → ISO date (self-managed settings). */
  standards: Record<string, string>;
  /** `<standard id>|<control id>` → why and when the control was disabled in that standard (self-managed settings). */
  disabledControls: Record<string, { reason?: string; at: string }>;
  /** The administrator's local organization configuration in this Region. */
  autoEnable?: { autoEnable: boolean; autoEnableStandards: 'DEFAULT' | 'NONE' };
  /** Control id → evaluation, for controls that do not pass. */
  evaluations: Record<string, ControlEvaluation>;
  /** Findings imported with BatchImportFindings, by finding id (plain ASFF JSON). */
  imported: Record<string, Record<string, unknown>>;
  /** Control finding id → changes made with BatchUpdateFindings. */
  findingUpdates: Record<string, FindingUpdate>;
}

export interface ConfigurationPolicyRecord {
  id: string;
  arn: string;
  name: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
  serviceEnabled: boolean;
  /** Standard ids (ARNs without Region) enabled by the policy. */
  standards: string[];
  /** Controls the policy lists: either the enabled ones (everything else off) or the disabled ones. */
  controls: { mode: 'enabled' | 'disabled'; ids: string[] };
  customParameters: unknown[];
  /** The home Region the policy's standards ARNs were written in. */
  region: string;
}

export interface CentralConfigurationRecord {
  homeRegion: string;
  configurationType: 'CENTRAL' | 'LOCAL';
  policies: Record<string, ConfigurationPolicyRecord>;
  /** Target id (root, OU or account) → the policy id or SELF_MANAGED applied to it directly. */
  associations: Record<string, { policyId: string; updatedAt: string }>;
}

export interface FindingAggregatorRecord {
  arn: string;
  region: string;
  mode: 'ALL_REGIONS' | 'ALL_REGIONS_EXCEPT_SPECIFIED' | 'SPECIFIED_REGIONS' | 'NO_REGIONS';
  regions: string[];
  createdAt: string;
}

/** Security Hub settings of an account that span Regions: its finding aggregator and (for the administrator) central configuration. */
export interface SecurityHubAccountState {
  aggregator?: FindingAggregatorRecord;
  central?: CentralConfigurationRecord;
}

export const securityHubSlot = defineSlot<SecurityHubRegionState>('securityhub', () => ({
  standards: {}, disabledControls: {}, evaluations: {}, imported: {}, findingUpdates: {},
}));
export const securityHubAccountSlot = defineSlot<SecurityHubAccountState>('securityhub-account', () => ({}), { global: true });

function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInputException', message, { fields: { Code: 'InvalidInputException' } });
}

function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message, { fields: { Code: 'AccessDeniedException' } });
}

export function notSubscribed(account: string): AwsError {
  return new AwsError('InvalidAccessException', `Account ${account} is not subscribed to AWS Security Hub`, { fields: { Code: 'InvalidAccessException' } });
}

// ── Organization ─────────────────────────────────────────────────────────────────────────────

/** The Security Hub delegated administrator: the organization's delegated administrator for securityhub.amazonaws.com. */
export function securityHubAdmin(state: SandboxState): string | undefined {
  return state.organization?.delegatedAdministrators(SECURITY_HUB_PRINCIPAL)[0]?.accountId;
}

export function isOrganizationMember(state: SandboxState, account: string): boolean {
  return state.organization?.account(account) !== undefined;
}

/** The accounts whose findings the administrator sees: every other account of the organization. */
export function memberAccounts(state: SandboxState, admin: string): string[] {
  const org = state.organization;
  if (!org || securityHubAdmin(state) !== admin) return [];
  return org.accounts().filter((a) => a.id !== admin && a.state === 'ACTIVE').map((a) => a.id);
}

/** The aggregation Region and the Regions linked to it. */
export function linkedRegions(aggregator: FindingAggregatorRecord): string[] {
  const others = (() => {
    switch (aggregator.mode) {
      case 'ALL_REGIONS': return AWS_REGIONS.filter((r) => r !== aggregator.region);
      case 'ALL_REGIONS_EXCEPT_SPECIFIED': return AWS_REGIONS.filter((r) => r !== aggregator.region && !aggregator.regions.includes(r));
      case 'SPECIFIED_REGIONS': return aggregator.regions;
      case 'NO_REGIONS': return [];
    }
  })();
  return [aggregator.region, ...others];
}

export interface CentralView {
  admin: string;
  record: CentralConfigurationRecord;
  /** Home Region and linked Regions, where policies apply. */
  regions: Set<string>;
}

/** Central configuration, when the organization's administrator has turned it on. */
export function centralConfiguration(state: SandboxState): CentralView | undefined {
  const admin = securityHubAdmin(state);
  if (!admin) return undefined;
  const account = state.find(securityHubAccountSlot, admin, GLOBAL_REGION);
  const record = account?.central;
  if (!record || record.configurationType !== 'CENTRAL') return undefined;
  const regions = new Set(account.aggregator ? linkedRegions(account.aggregator) : [record.homeRegion]);
  regions.add(record.homeRegion);
  return { admin, record, regions };
}

export type TargetType = 'ACCOUNT' | 'ORGANIZATIONAL_UNIT' | 'ROOT';

export interface EffectiveAssociation {
  policyId: string;
  /** APPLIED when associated with the target itself, INHERITED from a parent. */
  associationType: 'APPLIED' | 'INHERITED';
  /** The target the association was made on. */
  from: string;
  updatedAt: string;
}

/** The association that governs a target: its own, else the nearest parent's (account → OUs → root). */
export function effectiveAssociation(org: Organization, record: CentralConfigurationRecord, targetId: string): EffectiveAssociation | undefined {
  const direct = record.associations[targetId];
  if (direct) return { policyId: direct.policyId, associationType: 'APPLIED', from: targetId, updatedAt: direct.updatedAt };
  for (const parent of org.ancestors(targetId)) {
    const inherited = record.associations[parent];
    if (inherited) return { policyId: inherited.policyId, associationType: 'INHERITED', from: parent, updatedAt: inherited.updatedAt };
  }
  return undefined;
}

// ── Effective settings ───────────────────────────────────────────────────────────────────────

/** What Security Hub is doing in one account and Region, from a configuration policy or the account's own settings. */
export interface EffectiveHub {
  enabled: boolean;
  since: string;
  /** Enabled standard id → since. */
  standards: Record<string, string>;
  /** The configuration policy that decides these settings, when the account is centrally managed. */
  policy?: ConfigurationPolicyRecord;
  association?: EffectiveAssociation;
  /** Whether a control is enabled in an enabled standard. */
  controlEnabled(standardId: string, controlId: string): boolean;
  disabledReason(standardId: string, controlId: string): string | undefined;
  controlUpdatedAt(standardId: string, controlId: string): string;
}

/** The configuration policy governing an account in a Region, if it is centrally managed there. */
export function governingPolicy(state: SandboxState, account: string, region: string, central = centralConfiguration(state)):
  { policy: ConfigurationPolicyRecord; association: EffectiveAssociation } | undefined {
  const org = state.organization;
  if (!central || !org || !central.regions.has(region) || !org.account(account)) return undefined;
  const association = effectiveAssociation(org, central.record, account);
  if (!association || association.policyId === SELF_MANAGED) return undefined;
  const policy = central.record.policies[association.policyId];
  return policy ? { policy, association } : undefined;
}

export function effectiveHub(state: SandboxState, account: string, region: string, central = centralConfiguration(state)): EffectiveHub {
  const governed = governingPolicy(state, account, region, central);
  if (governed) {
    const { policy, association } = governed;
    const since = association.updatedAt > policy.updatedAt ? association.updatedAt : policy.updatedAt;
    const listed = new Set(policy.controls.ids);
    const enabled = (controlId: string) => (policy.controls.mode === 'enabled' ? listed.has(controlId) : !listed.has(controlId));
    return {
      enabled: policy.serviceEnabled,
      since,
      standards: policy.serviceEnabled ? Object.fromEntries(policy.standards.map((s) => [s, since])) : {},
      policy,
      association,
      controlEnabled: (_standardId, controlId) => enabled(controlId),
      disabledReason: (_standardId, controlId) => (enabled(controlId) ? undefined : `Disabled by configuration policy ${policy.name}`),
      controlUpdatedAt: () => since,
    };
  }
  const local = state.find(securityHubSlot, account, region);
  const hub = local?.hub;
  return {
    enabled: hub !== undefined,
    since: hub?.subscribedAt ?? '',
    standards: hub ? { ...local?.standards } : {},
    controlEnabled: (standardId, controlId) => local?.disabledControls[`${standardId}|${controlId}`] === undefined,
    disabledReason: (standardId, controlId) => local?.disabledControls[`${standardId}|${controlId}`]?.reason,
    controlUpdatedAt: (standardId, controlId) => local?.disabledControls[`${standardId}|${controlId}`]?.at ?? local?.standards[standardId] ?? '',
  };
}

/** Refuses a change an account makes to settings a configuration policy decides. */
function requireSelfManaged(state: SandboxState, account: string, region: string): void {
  const governed = governingPolicy(state, account, region);
  if (governed) {
    throw accessDenied(`Account ${account} is managed by configuration policy ${governed.policy.id} (central configuration) in ${region}; the delegated administrator changes its settings through the policy.`);
  }
}

// ── Self-managed settings ────────────────────────────────────────────────────────────────────

export function enableSecurityHub(state: SandboxState, account: string, region: string, options: { enableDefaultStandards: boolean; controlFindingGenerator?: HubRecord['controlFindingGenerator'] }, now: Date): void {
  requireSelfManaged(state, account, region);
  const slot = state.get(securityHubSlot, account, region);
  if (slot.hub) throw new AwsError('ResourceConflictException', `Account ${account} is already subscribed to Security Hub`, { fields: { Code: 'ResourceConflictException' } });
  const at = now.toISOString();
  slot.hub = { subscribedAt: at, autoEnableControls: true, controlFindingGenerator: options.controlFindingGenerator ?? 'SECURITY_CONTROL' };
  if (options.enableDefaultStandards) for (const s of catalog.STANDARDS) if (s.enabledByDefault) slot.standards[s.id] = at;
}

export function disableSecurityHub(state: SandboxState, account: string, region: string): void {
  requireSelfManaged(state, account, region);
  if (memberAccounts(state, account).some((member) => effectiveHub(state, member, region).enabled)) {
    throw invalidInput(`Account ${account} is the Security Hub administrator with enabled member accounts; it cannot disable Security Hub.`);
  }
  const slot = state.find(securityHubSlot, account, region);
  if (!slot?.hub) throw new AwsError('ResourceNotFoundException', `Account ${account} is not subscribed to AWS Security Hub`, { fields: { Code: 'ResourceNotFoundException' } });
  delete slot.hub;
  slot.standards = {};
  slot.disabledControls = {};
}

export function enableStandards(state: SandboxState, account: string, region: string, standardIds: string[], now: Date): void {
  requireSelfManaged(state, account, region);
  const slot = state.get(securityHubSlot, account, region);
  for (const id of standardIds) slot.standards[id] ??= now.toISOString();
}

export function disableStandards(state: SandboxState, account: string, region: string, standardIds: string[]): void {
  requireSelfManaged(state, account, region);
  const slot = state.get(securityHubSlot, account, region);
  for (const id of standardIds) {
    delete slot.standards[id];
    for (const key of Object.keys(slot.disabledControls)) if (key.startsWith(`${id}|`)) delete slot.disabledControls[key];
  }
}

/** Enables or disables a control in one standard of a self-managed account (BatchUpdateStandardsControlAssociations). */
export function setControlAssociation(state: SandboxState, account: string, region: string, standardId: string, controlId: string, status: 'ENABLED' | 'DISABLED', reason: string | undefined, now: Date): void {
  requireSelfManaged(state, account, region);
  const slot = state.get(securityHubSlot, account, region);
  const key = `${standardId}|${controlId}`;
  if (status === 'DISABLED') slot.disabledControls[key] = { reason, at: now.toISOString() };
  else delete slot.disabledControls[key];
}

/** Records a control's evaluation in an account and Region: a non-PASSED status, or PASSED to clear it. */
export function setControlEvaluation(state: SandboxState, account: string, region: string, controlId: string, status: 'PASSED' | ControlEvaluation['status'], now: Date): void {
  if (!catalog.control(controlId)) throw new Error(`Security Hub has no control ${controlId}`);
  const slot = state.get(securityHubSlot, account, region);
  if (status === 'PASSED') delete slot.evaluations[controlId];
  else slot.evaluations[controlId] = { status, at: now.toISOString() };
}

/**
 * Writes a policy's settings into an account's own settings: an account that stops being governed
 * by a policy keeps the settings it had, as Security Hub leaves them.
 */
function retainSettings(state: SandboxState, account: string, region: string, policy: ConfigurationPolicyRecord, at: string): void {
  const slot = state.get(securityHubSlot, account, region);
  if (!policy.serviceEnabled) {
    delete slot.hub;
    slot.standards = {};
    slot.disabledControls = {};
    return;
  }
  slot.hub ??= { subscribedAt: at, autoEnableControls: true, controlFindingGenerator: 'SECURITY_CONTROL' };
  slot.standards = Object.fromEntries(policy.standards.map((s) => [s, at]));
  slot.disabledControls = {};
  const listed = new Set(policy.controls.ids);
  for (const standardId of policy.standards) {
    for (const controlId of catalog.standard(standardId)?.controls ?? []) {
      const enabled = policy.controls.mode === 'enabled' ? listed.has(controlId) : !listed.has(controlId);
      if (!enabled) slot.disabledControls[`${standardId}|${controlId}`] = { reason: `Disabled by configuration policy ${policy.name}`, at };
    }
  }
}

/** Runs a change to central configuration; accounts that leave a policy's governance keep its settings. */
function withRetainedSettings(state: SandboxState, change: () => void, now: Date): void {
  const org = state.organization;
  const before = centralConfiguration(state);
  const governed = new Map<string, string>();
  const snapshots = new Map<string, ConfigurationPolicyRecord>();
  if (org && before) {
    for (const account of org.accounts()) {
      const association = effectiveAssociation(org, before.record, account.id);
      const policy = association && association.policyId !== SELF_MANAGED ? before.record.policies[association.policyId] : undefined;
      if (!policy) continue;
      governed.set(account.id, policy.id);
      if (!snapshots.has(policy.id)) snapshots.set(policy.id, structuredClone(policy));
    }
  }
  change();
  if (!before) return;
  const after = centralConfiguration(state);
  const at = now.toISOString();
  for (const [account, policyId] of governed) {
    for (const region of before.regions) {
      if (!governingPolicy(state, account, region, after)) retainSettings(state, account, region, snapshots.get(policyId) as ConfigurationPolicyRecord, at);
    }
  }
}

// ── Administrator: organization configuration, aggregator, policies, associations ──────────────

export function requireAdmin(state: SandboxState, account: string, operation: string): void {
  if (securityHubAdmin(state) !== account) {
    throw accessDenied(`Account ${account} is not the Security Hub delegated administrator of its organization; only the delegated administrator can call ${operation}.`);
  }
}

/** Configuration policy operations: the administrator, in the home Region, with central configuration on. */
export function requireCentralHome(state: SandboxState, account: string, region: string, operation: string): CentralConfigurationRecord {
  requireAdmin(state, account, operation);
  const central = centralConfiguration(state);
  if (!central) throw accessDenied(`The organization does not use central configuration; turn it on with UpdateOrganizationConfiguration (ConfigurationType CENTRAL) before calling ${operation}.`);
  if (central.record.homeRegion !== region) {
    throw accessDenied(`${operation} must be called in the home Region ${central.record.homeRegion}, not ${region}.`);
  }
  return central.record;
}

export function createFindingAggregator(state: SandboxState, account: string, region: string, mode: string, regions: string[] | undefined, random: SeededRandom, now: Date): FindingAggregatorRecord {
  const modes = ['ALL_REGIONS', 'ALL_REGIONS_EXCEPT_SPECIFIED', 'SPECIFIED_REGIONS', 'NO_REGIONS'];
  if (!modes.includes(mode)) throw invalidInput(`RegionLinkingMode must be one of ${modes.join(', ')}; got ${mode}.`);
  const listed = regions ?? [];
  if ((mode === 'ALL_REGIONS' || mode === 'NO_REGIONS') && listed.length) throw invalidInput(`Regions must be empty when RegionLinkingMode is ${mode}.`);
  if ((mode === 'SPECIFIED_REGIONS' || mode === 'ALL_REGIONS_EXCEPT_SPECIFIED') && !listed.length) throw invalidInput(`Regions is required when RegionLinkingMode is ${mode}.`);
  for (const r of listed) {
    if (!isAwsRegion(r)) throw invalidInput(`${r} is not an AWS Region.`);
    if (r === region) throw invalidInput(`Regions must not include the aggregation Region ${region}.`);
  }
  const slot = state.get(securityHubAccountSlot, account, GLOBAL_REGION);
  if (slot.aggregator) throw new AwsError('LimitExceededException', `Account ${account} already has a finding aggregator (${slot.aggregator.arn}); an account can have one.`, { fields: { Code: 'LimitExceededException' } });
  slot.aggregator = {
    arn: `arn:aws:securityhub:${region}:${account}:finding-aggregator/${random.uuid()}`,
    region, mode: mode as FindingAggregatorRecord['mode'], regions: [...new Set(listed)], createdAt: now.toISOString(),
  };
  return slot.aggregator;
}

/** UpdateOrganizationConfiguration: local auto-enable settings, or switching between local and central configuration. */
export function updateOrganizationConfiguration(state: SandboxState, admin: string, region: string, input: { autoEnable: boolean; autoEnableStandards?: 'DEFAULT' | 'NONE'; configurationType?: 'CENTRAL' | 'LOCAL' }, now: Date): void {
  const account = state.get(securityHubAccountSlot, admin, GLOBAL_REGION);
  const current = account.central?.configurationType === 'CENTRAL' ? account.central : undefined;
  const type = input.configurationType ?? (current ? 'CENTRAL' : 'LOCAL');
  if (type === 'CENTRAL') {
    if (input.autoEnable || (input.autoEnableStandards ?? 'DEFAULT') !== 'NONE') {
      throw invalidInput('With central configuration, AutoEnable must be false and AutoEnableStandards NONE: configuration policies decide what new accounts get.');
    }
    if (current) {
      if (current.homeRegion !== region) throw invalidInput(`Central configuration is managed from the home Region ${current.homeRegion}.`);
      return;
    }
    if (!account.aggregator || account.aggregator.region !== region) {
      throw invalidInput(`Central configuration needs a finding aggregator in the home Region ${region}: create one with CreateFindingAggregator here first.`);
    }
    account.central = { homeRegion: region, configurationType: 'CENTRAL', policies: {}, associations: {} };
    state.get(securityHubSlot, admin, region).autoEnable = { autoEnable: false, autoEnableStandards: 'NONE' };
    return;
  }
  if (current) {
    if (current.homeRegion !== region) throw invalidInput(`Central configuration is managed from the home Region ${current.homeRegion}.`);
    // Back to local configuration: every account keeps the settings its policy gave it.
    withRetainedSettings(state, () => {
      delete account.central;
    }, now);
  }
  state.get(securityHubSlot, admin, region).autoEnable = { autoEnable: input.autoEnable, autoEnableStandards: input.autoEnableStandards ?? 'DEFAULT' };
}

export interface PolicyInput {
  ServiceEnabled?: boolean;
  EnabledStandardIdentifiers?: string[];
  SecurityControlsConfiguration?: {
    EnabledSecurityControlIdentifiers?: string[];
    DisabledSecurityControlIdentifiers?: string[];
    SecurityControlCustomParameters?: unknown[];
  };
}

function checkPolicy(input: PolicyInput | undefined, homeRegion: string): Pick<ConfigurationPolicyRecord, 'serviceEnabled' | 'standards' | 'controls' | 'customParameters'> {
  if (!input) throw invalidInput('ConfigurationPolicy must contain a SecurityHub policy.');
  if (input.ServiceEnabled === undefined) throw invalidInput('ConfigurationPolicy.SecurityHub.ServiceEnabled is required.');
  if (!input.ServiceEnabled) {
    if (input.EnabledStandardIdentifiers?.length || input.SecurityControlsConfiguration) {
      throw invalidInput('A policy that disables Security Hub (ServiceEnabled false) cannot list standards or controls.');
    }
    return { serviceEnabled: false, standards: [], controls: { mode: 'disabled', ids: [] }, customParameters: [] };
  }
  if (!input.EnabledStandardIdentifiers) throw invalidInput('EnabledStandardIdentifiers is required when ServiceEnabled is true (use an empty list for no standards).');
  if (!input.SecurityControlsConfiguration) throw invalidInput('SecurityControlsConfiguration is required when ServiceEnabled is true.');
  const standards = input.EnabledStandardIdentifiers.map((arn) => {
    const parsed = catalog.parseStandardArn(arn);
    if (!parsed) throw invalidInput(`${arn} is not a Security Hub standards ARN.`);
    if (parsed.region !== homeRegion) throw invalidInput(`${arn} names Region ${parsed.region}; policy standards use the home Region ${homeRegion}.`);
    return parsed.standardId;
  });
  const { EnabledSecurityControlIdentifiers: enabled, DisabledSecurityControlIdentifiers: disabled } = input.SecurityControlsConfiguration;
  if ((enabled === undefined) === (disabled === undefined)) {
    throw invalidInput('SecurityControlsConfiguration needs exactly one of EnabledSecurityControlIdentifiers and DisabledSecurityControlIdentifiers.');
  }
  const ids = enabled ?? disabled ?? [];
  for (const id of ids) if (!catalog.control(id)) throw invalidInput(`${id} is not a Security Hub security control id.`);
  return {
    serviceEnabled: true,
    standards: [...new Set(standards)],
    controls: { mode: enabled ? 'enabled' : 'disabled', ids: [...new Set(ids)] },
    customParameters: input.SecurityControlsConfiguration.SecurityControlCustomParameters ?? [],
  };
}

export function createConfigurationPolicy(state: SandboxState, admin: string, region: string, input: { name: string; description?: string; policy?: PolicyInput }, random: SeededRandom, now: Date): ConfigurationPolicyRecord {
  const record = requireCentralHome(state, admin, region, 'CreateConfigurationPolicy');
  if (Object.values(record.policies).some((p) => p.name === input.name)) {
    throw new AwsError('ResourceConflictException', `A configuration policy named ${input.name} already exists.`, { fields: { Code: 'ResourceConflictException' } });
  }
  if (Object.keys(record.policies).length >= MAX_CONFIGURATION_POLICIES) {
    throw new AwsError('LimitExceededException', `An organization can have at most ${MAX_CONFIGURATION_POLICIES} configuration policies.`, { fields: { Code: 'LimitExceededException' } });
  }
  const id = random.uuid();
  const at = now.toISOString();
  const policy: ConfigurationPolicyRecord = {
    id, arn: `arn:aws:securityhub:${region}:${admin}:configuration-policy/${id}`, name: input.name, description: input.description,
    createdAt: at, updatedAt: at, region, ...checkPolicy(input.policy, region),
  };
  record.policies[id] = policy;
  return policy;
}

export function findPolicy(record: CentralConfigurationRecord, identifier: string): ConfigurationPolicyRecord {
  const policy = record.policies[identifier] ?? Object.values(record.policies).find((p) => p.arn === identifier);
  if (!policy) throw new AwsError('ResourceNotFoundException', `Configuration policy ${identifier} does not exist.`, { fields: { Code: 'ResourceNotFoundException' } });
  return policy;
}

export function updateConfigurationPolicy(state: SandboxState, admin: string, region: string, identifier: string, changes: { name?: string; description?: string; policy?: PolicyInput }, now: Date): ConfigurationPolicyRecord {
  const record = requireCentralHome(state, admin, region, 'UpdateConfigurationPolicy');
  const policy = findPolicy(record, identifier);
  if (changes.name !== undefined && changes.name !== policy.name && Object.values(record.policies).some((p) => p.name === changes.name)) {
    throw new AwsError('ResourceConflictException', `A configuration policy named ${changes.name} already exists.`, { fields: { Code: 'ResourceConflictException' } });
  }
  const settings = changes.policy ? checkPolicy(changes.policy, record.homeRegion) : undefined;
  if (changes.name !== undefined) policy.name = changes.name;
  if (changes.description !== undefined) policy.description = changes.description;
  if (settings) Object.assign(policy, settings);
  policy.updatedAt = now.toISOString();
  return policy;
}

export function deleteConfigurationPolicy(state: SandboxState, admin: string, region: string, identifier: string): void {
  const record = requireCentralHome(state, admin, region, 'DeleteConfigurationPolicy');
  const policy = findPolicy(record, identifier);
  const targets = Object.entries(record.associations).filter(([, a]) => a.policyId === policy.id).map(([t]) => t);
  if (targets.length) {
    throw new AwsError('ResourceConflictException', `Configuration policy ${policy.id} is associated with ${targets.join(', ')}; disassociate it (StartConfigurationPolicyDisassociation) before deleting it.`, { fields: { Code: 'ResourceConflictException' } });
  }
  delete record.policies[policy.id];
}

/** The target of an association: exactly one of AccountId, OrganizationalUnitId, RootId, existing in the organization. */
export function resolveTarget(org: Organization, target: { AccountId?: string; OrganizationalUnitId?: string; RootId?: string } | undefined): { id: string; type: TargetType } {
  const given = Object.entries(target ?? {}).filter(([, v]) => v !== undefined);
  if (given.length !== 1) throw invalidInput('Target must name exactly one of AccountId, OrganizationalUnitId and RootId.');
  const [kind, id] = given[0] as [string, string];
  const type: TargetType = kind === 'AccountId' ? 'ACCOUNT' : kind === 'OrganizationalUnitId' ? 'ORGANIZATIONAL_UNIT' : 'ROOT';
  if (org.targetKind(id) !== type) {
    throw new AwsError('ResourceNotFoundException', `${kind} ${id} is not ${type === 'ACCOUNT' ? 'an account' : type === 'ROOT' ? 'the root' : 'an OU'} of the organization.`, { fields: { Code: 'ResourceNotFoundException' } });
  }
  return { id, type };
}

export function associatePolicy(state: SandboxState, admin: string, region: string, identifier: string, target: { id: string }, now: Date): string {
  const record = requireCentralHome(state, admin, region, 'StartConfigurationPolicyAssociation');
  const policyId = identifier === SELF_MANAGED ? SELF_MANAGED : findPolicy(record, identifier).id;
  withRetainedSettings(state, () => {
    record.associations[target.id] = { policyId, updatedAt: now.toISOString() };
  }, now);
  return policyId;
}

export function disassociatePolicy(state: SandboxState, admin: string, region: string, identifier: string, target: { id: string }, now: Date): void {
  const record = requireCentralHome(state, admin, region, 'StartConfigurationPolicyDisassociation');
  const policyId = identifier === SELF_MANAGED ? SELF_MANAGED : findPolicy(record, identifier).id;
  const current = record.associations[target.id];
  if (!current || current.policyId !== policyId) {
    throw invalidInput(`${target.id} is not associated with ${policyId === SELF_MANAGED ? 'self-managed behavior' : `configuration policy ${policyId}`}.`);
  }
  withRetainedSettings(state, () => {
    delete record.associations[target.id];
  }, now);
}
