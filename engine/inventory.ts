import { z } from 'zod';

/**
 * The Inventory: one versioned JSON document of the observed state of an organization.
 *
 * Collectors (aws/) write it, detectDrift reads it, evidence embeds the parts it used, and the
 * sandbox can be seeded from it. Every part that a collector reads in one go is a *scope* with a
 * collection status: `{ status: 'ok', ...data }` or `{ status: 'unknown', error }`. An unknown
 * scope carries no data, so nothing can mistake it for a clean one; a scope that is absent was
 * not collected and is treated as unknown too.
 *
 * Bump INVENTORY_SCHEMA_VERSION on any change that an older reader would misread.
 */
export const INVENTORY_SCHEMA_VERSION = 1;

const accountIdPattern = /^\d{12}$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export const accountIdSchema = z.string().regex(accountIdPattern, 'a 12-digit account id such as "123456789012"');
export const regionSchema = z.string().regex(regionPattern, 'a Region code such as us-east-1');
const isoTimestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 timestamp such as 2026-12-04T10:00:00Z' });

/** Why a scope could not be read: the AWS error code (e.g. AccessDeniedException) and its message. */
export const collectionErrorSchema = z.strictObject({
  code: z.string().min(1),
  message: z.string(),
});
export type CollectionError = z.infer<typeof collectionErrorSchema>;

export const unknownScopeStateSchema = z.strictObject({
  status: z.literal('unknown'),
  error: collectionErrorSchema,
});
export type UnknownScopeState = z.infer<typeof unknownScopeStateSchema>;

/** A scope read successfully (`ok` with its data) or not at all (`unknown` with the error). */
function scoped<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.discriminatedUnion('status', [z.strictObject({ status: z.literal('ok'), ...shape }), unknownScopeStateSchema]);
}
export type Scoped<T> = ({ status: 'ok' } & T) | UnknownScopeState;
export type KnownScope<S> = Extract<S, { status: 'ok' }>;

/** An IAM-style policy document (SCPs, trust policies) as parsed JSON. */
export const policyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
});
export type InventoryPolicyDocument = z.infer<typeof policyDocumentSchema>;

// ---------------------------------------------------------------------------------------------
// AWS Organizations (read in the management account)

export const organizationalUnitSchema = z.strictObject({
  id: z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'an OU id such as ou-ab12-cd34ef56'),
  name: z.string().min(1),
  /** The root id or the parent OU id. */
  parentId: z.string().min(1),
  /** Names from the root joined by "/", e.g. `Workloads/Pci` (the form the configuration uses). */
  path: z.string().min(1),
});
export type InventoryOu = z.infer<typeof organizationalUnitSchema>;

export const ACCOUNT_STATUSES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'PENDING_ACTIVATION', 'CLOSED'] as const;

export const organizationAccountSchema = z.strictObject({
  id: accountIdSchema,
  name: z.string(),
  email: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  /** The root id or the OU id the account sits in. */
  parentId: z.string().min(1),
});
export type InventoryAccount = z.infer<typeof organizationAccountSchema>;

export const organizationStructureSchema = scoped({
  rootId: z.string().regex(/^r-[0-9a-z]{4,32}$/, 'a root id such as r-ab12'),
  managementAccountId: accountIdSchema,
  organizationalUnits: z.array(organizationalUnitSchema),
  accounts: z.array(organizationAccountSchema),
});
export type OrganizationStructure = z.infer<typeof organizationStructureSchema>;

export const policyTargetSchema = z.strictObject({
  targetId: z.string().min(1),
  type: z.enum(['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT']),
});

export const serviceControlPolicySchema = z.strictObject({
  id: z.string().regex(/^p-[0-9a-zA-Z_]{8,128}$/, 'a policy id such as p-ab12cd34'),
  name: z.string().min(1),
  description: z.string(),
  awsManaged: z.boolean(),
  document: policyDocumentSchema,
  targets: z.array(policyTargetSchema),
});
export type InventoryScp = z.infer<typeof serviceControlPolicySchema>;

export const organizationPoliciesSchema = scoped({ serviceControlPolicies: z.array(serviceControlPolicySchema) });
export const trustedAccessSchema = scoped({
  /** Service principals with trusted access enabled (ListAWSServiceAccessForOrganization). */
  servicePrincipals: z.array(z.string().min(1)),
});
export const delegatedAdministratorsSchema = scoped({
  /** Registered delegated administrator account ids per service principal. */
  byServicePrincipal: z.record(z.string().min(1), z.array(accountIdSchema)),
});

export const organizationSchema = z.strictObject({
  structure: organizationStructureSchema,
  policies: organizationPoliciesSchema,
  trustedAccess: trustedAccessSchema,
  delegatedAdministrators: delegatedAdministratorsSchema,
});

// ---------------------------------------------------------------------------------------------
// AWS Security Hub

export const SECURITY_HUB_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

export const configurationPolicySchema = z.strictObject({
  id: z.string().min(1),
  arn: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  serviceEnabled: z.boolean(),
  /** Standards ARNs as the policy names them (Region of the home Region). */
  enabledStandardArns: z.array(z.string()),
  /** Controls the policy disables (Rampart writes policies as a disabled list). */
  disabledControlIds: z.array(z.string()),
});
export type InventoryConfigurationPolicy = z.infer<typeof configurationPolicySchema>;

export const configurationPolicyAssociationSchema = z.strictObject({
  targetId: z.string().min(1),
  targetType: z.enum(['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT']),
  /** A policy id, or SELF_MANAGED_SECURITY_HUB. */
  configurationPolicyId: z.string().min(1),
  associationType: z.enum(['APPLIED', 'INHERITED']),
  status: z.enum(['PENDING', 'SUCCESS', 'FAILED']),
  statusMessage: z.string().optional(),
});
export type InventoryPolicyAssociation = z.infer<typeof configurationPolicyAssociationSchema>;

/** Central configuration, read from the delegated administrator in the home Region. */
export const securityHubOrganizationSchema = scoped({
  adminAccountId: accountIdSchema,
  homeRegion: regionSchema,
  configurationPolicies: z.array(configurationPolicySchema),
  associations: z.array(configurationPolicyAssociationSchema),
});

export const enabledStandardSchema = z.strictObject({
  standardArn: z.string().min(1),
  subscriptionArn: z.string().optional(),
  status: z.enum(['PENDING', 'READY', 'FAILED', 'DELETING', 'INCOMPLETE']),
});

export const securityHubAccountSchema = scoped({
  enabled: z.boolean(),
  hubArn: z.string().optional(),
  /** The policy in effect for this account (GetConfigurationPolicyAssociation), when read. */
  configurationPolicyId: z.string().optional(),
  standards: z.array(enabledStandardSchema),
  /** Security controls whose status is DISABLED; every control not listed is ENABLED. */
  disabledControls: z.array(z.strictObject({ controlId: z.string().min(1), reason: z.string().optional() })),
  /** Active findings, when collected: failed control ids and counts by severity. */
  findings: z
    .strictObject({
      failedControlIds: z.array(z.string()),
      activeBySeverity: z.record(z.enum(SECURITY_HUB_SEVERITIES), z.number().int().min(0)),
    })
    .optional(),
});
export type SecurityHubAccountState = z.infer<typeof securityHubAccountSchema>;

// ---------------------------------------------------------------------------------------------
// Amazon Security Lake (read from the delegated administrator, per Region)

export const dataLakeSchema = z.strictObject({
  arn: z.string().min(1),
  /** A KMS key id, ARN or alias, or S3_MANAGED_KEY. */
  encryption: z.strictObject({ kmsKeyId: z.string().min(1), kmsKeyAlias: z.string().optional() }),
  lifecycle: z.strictObject({
    expirationDays: z.number().int().positive().optional(),
    transitions: z.array(z.strictObject({ days: z.number().int().positive(), storageClass: z.string().min(1) })),
  }),
  /** Regions this data lake replicates to; null when it does not replicate. */
  replication: z.strictObject({ regions: z.array(regionSchema), roleArn: z.string().optional() }).nullable(),
  status: z.enum(['INITIALIZED', 'PENDING', 'COMPLETED', 'FAILED']),
});
export type InventoryDataLake = z.infer<typeof dataLakeSchema>;

export const SOURCE_COLLECTION_STATUSES = ['COLLECTING', 'MISCONFIGURED', 'NOT_COLLECTING'] as const;

export const awsLogSourceStateSchema = z.strictObject({
  sourceName: z.string().min(1),
  sourceVersion: z.string().min(1),
  status: z.enum(SOURCE_COLLECTION_STATUSES),
});
export type AwsLogSourceState = z.infer<typeof awsLogSourceStateSchema>;

export const customLogSourceStateSchema = z.strictObject({
  sourceName: z.string().min(1),
  sourceVersion: z.string().min(1),
  /** OCSF event class names as Security Lake reports them, e.g. NETWORK_ACTIVITY. */
  eventClasses: z.array(z.string().min(1)),
  providerAccountId: accountIdSchema.optional(),
  providerRoleArn: z.string().optional(),
  location: z.string().optional(),
});
export type CustomLogSourceState = z.infer<typeof customLogSourceStateSchema>;

export const subscriberStateSchema = z.strictObject({
  name: z.string().min(1),
  principal: z.string().min(1),
  externalId: z.string().optional(),
  accessTypes: z.array(z.string()),
  sources: z.array(z.string()),
  status: z.string().optional(),
});

export const securityLakeRegionSchema = scoped({
  adminAccountId: accountIdSchema,
  /** The data lake of this Region; null when there is none. */
  dataLake: dataLakeSchema.nullable(),
  /** AWS log sources per account id (ListLogSources and GetDataLakeSources merged). */
  awsSources: z.record(accountIdSchema, z.array(awsLogSourceStateSchema)),
  customSources: z.array(customLogSourceStateSchema),
  /** Sources enabled automatically for accounts that join (the organization configuration). */
  autoEnableNewAccounts: z.array(z.strictObject({ sourceName: z.string().min(1), sourceVersion: z.string().min(1) })),
  subscribers: z.array(subscriberStateSchema),
});
export type SecurityLakeRegionState = z.infer<typeof securityLakeRegionSchema>;

// ---------------------------------------------------------------------------------------------
// AWS Config

export const configRecorderSchema = scoped({
  /** The customer-managed recorder of this account and Region; null when there is none. */
  recorder: z
    .strictObject({
      /** Absent when read from the aggregator, which tells whether the account records but not its recorder's name. */
      name: z.string().min(1).optional(),
      recording: z.boolean(),
      lastStatus: z.enum(['Pending', 'Success', 'Failure', 'NotApplicable']).optional(),
      allSupported: z.boolean().optional(),
      includeGlobalResourceTypes: z.boolean().optional(),
    })
    .nullable(),
});
export type ConfigRecorderState = z.infer<typeof configRecorderSchema>;

export const configAggregatorSchema = z.strictObject({
  name: z.string().min(1),
  accountId: accountIdSchema,
  region: regionSchema,
  organizationWide: z.boolean(),
  allRegions: z.boolean(),
  regions: z.array(regionSchema),
  sources: z.array(
    z.strictObject({
      sourceId: z.string().min(1),
      sourceType: z.enum(['ACCOUNT', 'ORGANIZATION']),
      region: regionSchema,
      lastUpdateStatus: z.enum(['SUCCEEDED', 'FAILED', 'OUTDATED']),
      lastErrorCode: z.string().optional(),
    }),
  ),
});

/** Aggregators of the Config administrator account in the home Region. */
export const configAggregatorsSchema = scoped({ aggregators: z.array(configAggregatorSchema) });

export const ORGANIZATION_RESOURCE_STATUSES = [
  'CREATE_SUCCESSFUL', 'CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_SUCCESSFUL', 'DELETE_FAILED', 'DELETE_IN_PROGRESS',
  'UPDATE_SUCCESSFUL', 'UPDATE_IN_PROGRESS', 'UPDATE_FAILED',
] as const;

export const conformancePackSchema = z.strictObject({
  name: z.string().min(1),
  status: z.enum(ORGANIZATION_RESOURCE_STATUSES),
  errorCode: z.string().optional(),
  excludedAccountIds: z.array(accountIdSchema),
  /** Accounts where the pack is NON_COMPLIANT (the aggregator's view), when read. */
  nonCompliantAccountIds: z.array(accountIdSchema).optional(),
  /** Deployment status per member account, when read. */
  memberStatus: z.record(accountIdSchema, z.enum(ORGANIZATION_RESOURCE_STATUSES)).optional(),
  /** Compliance per rule across the organization. */
  rules: z.array(
    z.strictObject({
      ruleName: z.string().min(1),
      compliance: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']),
      nonCompliantAccountIds: z.array(accountIdSchema),
      /** Accounts where AWS Config has not evaluated the rule (INSUFFICIENT_DATA), when read per account. */
      insufficientDataAccountIds: z.array(accountIdSchema).optional(),
    }),
  ),
});
export type InventoryConformancePack = z.infer<typeof conformancePackSchema>;

/** Organization conformance packs of one Region (read from the Config administrator). */
export const conformancePacksSchema = scoped({ packs: z.array(conformancePackSchema) });

// ---------------------------------------------------------------------------------------------
// IAM Access Analyzer (read from the delegated administrator, per Region)

export const analyzerSchema = z.strictObject({
  arn: z.string().min(1),
  name: z.string().min(1),
  accountId: accountIdSchema,
  type: z.enum(['ACCOUNT', 'ORGANIZATION', 'ACCOUNT_UNUSED_ACCESS', 'ORGANIZATION_UNUSED_ACCESS', 'ACCOUNT_INTERNAL_ACCESS', 'ORGANIZATION_INTERNAL_ACCESS']),
  status: z.enum(['ACTIVE', 'CREATING', 'DISABLED', 'FAILED']),
});

export const accessFindingSchema = z.strictObject({
  id: z.string().min(1),
  analyzerArn: z.string().min(1),
  /** ARN of the resource, e.g. the role. */
  resource: z.string().min(1),
  resourceType: z.string().min(1),
  resourceOwnerAccount: accountIdSchema,
  status: z.enum(['ACTIVE', 'ARCHIVED', 'RESOLVED']),
  /** Principal type to value, as Access Analyzer reports it, e.g. { AWS: "999999999999" }. */
  principal: z.record(z.string(), z.string()),
  actions: z.array(z.string()),
  condition: z.record(z.string(), z.string()),
  isPublic: z.boolean(),
  createdAt: isoTimestamp.optional(),
  updatedAt: isoTimestamp.optional(),
});
export type AccessFinding = z.infer<typeof accessFindingSchema>;

export const accessAnalyzerRegionSchema = scoped({
  analyzers: z.array(analyzerSchema),
  /** External-access findings of the organization analyzer (all statuses the collector read). */
  findings: z.array(accessFindingSchema),
});
export type AccessAnalyzerRegionState = z.infer<typeof accessAnalyzerRegionSchema>;

// ---------------------------------------------------------------------------------------------
// IAM roles of one account (global), with their trust policies

export const iamRoleSchema = z.strictObject({
  arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN'),
  name: z.string().min(1),
  /** IAM path, e.g. `/` or `/break-glass/`. */
  path: z.string().startsWith('/'),
  tags: z.record(z.string(), z.string()),
  trustPolicy: policyDocumentSchema,
});
export type InventoryRole = z.infer<typeof iamRoleSchema>;

/** Every role of the account (service-linked roles may be left out). */
export const iamAccountSchema = scoped({ roles: z.array(iamRoleSchema) });

// ---------------------------------------------------------------------------------------------
// The document

export const regionalAccountStateSchema = z.strictObject({
  securityHub: securityHubAccountSchema.optional(),
  config: configRecorderSchema.optional(),
});

export const accountStateSchema = z.strictObject({
  regions: z.record(regionSchema, regionalAccountStateSchema),
  iam: iamAccountSchema.optional(),
});
export type AccountState = z.infer<typeof accountStateSchema>;

/** Every kind of scope, i.e. every unit a collector reads and marks ok or unknown. */
export const SCOPE_KINDS = [
  'organizations.structure',
  'organizations.policies',
  'organizations.trustedAccess',
  'organizations.delegatedAdministrators',
  'securityhub.organization',
  'securityhub.account',
  'securitylake.region',
  'config.recorder',
  'config.aggregators',
  'config.conformancePacks',
  'accessanalyzer.region',
  'iam.account',
] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const metadataSchema = z.strictObject({
  /** What produced the document, e.g. `rampart 0.1.0 (aws)` or `fixture`. */
  collector: z.string().min(1),
  /** The Regions the collection covered. */
  regions: z.array(regionSchema),
  /** How each kind of scope was read: from an aggregate view or per account/Region, and how many scopes. */
  sources: z.array(
    z.strictObject({
      scope: z.enum(SCOPE_KINDS),
      via: z.enum(['aggregate', 'per-account']),
      /** The API operations used, e.g. `securitylake:GetDataLakeSources`. */
      operations: z.array(z.string()),
      scopes: z.number().int().min(0),
    }),
  ),
  /** API calls made, per `service:Operation`, retries included. */
  callCounts: z.record(z.string(), z.number().int().min(0)),
  durationMs: z.number().min(0).optional(),
});
export type InventoryMetadata = z.infer<typeof metadataSchema>;

export const inventorySchema = z.strictObject({
  schemaVersion: z.literal(INVENTORY_SCHEMA_VERSION),
  /** When the state was read (passed in by the caller; the engine never reads the clock). */
  collectedAt: isoTimestamp,
  metadata: metadataSchema,
  organization: organizationSchema,
  securityHub: z.strictObject({ organization: securityHubOrganizationSchema.optional() }),
  securityLake: z.strictObject({ regions: z.record(regionSchema, securityLakeRegionSchema) }),
  config: z.strictObject({
    aggregators: configAggregatorsSchema.optional(),
    conformancePacks: z.record(regionSchema, conformancePacksSchema),
  }),
  accessAnalyzer: z.strictObject({ regions: z.record(regionSchema, accessAnalyzerRegionSchema) }),
  /** Per account id: per-Region service state and IAM. */
  accounts: z.record(accountIdSchema, accountStateSchema),
});
export type Inventory = z.infer<typeof inventorySchema>;

// ---------------------------------------------------------------------------------------------
// JSON round trip

export interface InventoryIssue {
  /** Where in the document, e.g. `accounts["444444444444"].regions["us-east-1"].securityHub.status`. */
  path: string;
  message: string;
}

export type ParseInventoryResult = { inventory: Inventory; issues: [] } | { inventory?: undefined; issues: InventoryIssue[] };

/** Serializes an inventory as JSON (indented when asked, for files people read). */
export function serializeInventory(inventory: Inventory, options: { indent?: number } = {}): string {
  return JSON.stringify(inventory, null, options.indent);
}

/**
 * Reads an inventory from JSON text or an already parsed value, checking its shape and its
 * internal references. Every problem is returned at once, each with its path.
 */
export function parseInventory(input: string | unknown): ParseInventoryResult {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      return { issues: [{ path: '(document)', message: `not valid JSON: ${(error as Error).message}` }] };
    }
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { issues: [{ path: '(document)', message: 'expected an inventory object (the output of `rampart snapshot`)' }] };
  }
  if (version !== INVENTORY_SCHEMA_VERSION) {
    return {
      issues: [{
        path: 'schemaVersion',
        message: version === undefined
          ? `missing; expected ${INVENTORY_SCHEMA_VERSION}. This does not look like a Rampart inventory (take one with \`rampart snapshot\`)`
          : `found ${JSON.stringify(version)}; this Rampart reads version ${INVENTORY_SCHEMA_VERSION}. Take a new snapshot with this version of \`rampart snapshot\``,
      }],
    };
  }
  const result = inventorySchema.safeParse(value);
  if (!result.success) {
    return { issues: result.error.issues.slice(0, 50).map((issue) => ({ path: formatPath(issue.path), message: describeZodIssue(issue) })) };
  }
  const issues = referenceIssues(result.data);
  return issues.length ? { issues } : { inventory: result.data, issues: [] };
}

export function formatInventoryIssue(issue: InventoryIssue): string {
  return `${issue.path}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(document)';
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'status') {
    return 'expected status "ok" (with the scope\'s data) or "unknown" (with error: { code, message })';
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; remove or correct them`;
  return issue.message;
}

/** Ids that must point at something within the document. */
function referenceIssues(inventory: Inventory): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  const structure = inventory.organization.structure;
  if (structure.status === 'ok') {
    const parents = new Set([structure.rootId, ...structure.organizationalUnits.map((ou) => ou.id)]);
    const ouById = new Map(structure.organizationalUnits.map((ou) => [ou.id, ou]));
    // Paths as the names of the tree make them, so one wrong path is reported once, not again in each child.
    const treePath = new Map<string, string | undefined>();
    const pathOf = (id: string, seen: Set<string>): string | undefined => {
      if (id === structure.rootId) return '';
      if (treePath.has(id)) return treePath.get(id);
      const ou = ouById.get(id);
      if (!ou || seen.has(id)) return undefined;
      seen.add(id);
      const parent = pathOf(ou.parentId, seen);
      const path = parent === undefined ? undefined : parent ? `${parent}/${ou.name}` : ou.name;
      treePath.set(id, path);
      return path;
    };
    structure.organizationalUnits.forEach((ou, index) => {
      const at = `organization.structure.organizationalUnits[${index}]`;
      if (!parents.has(ou.parentId)) issues.push({ path: `${at}.parentId`, message: `"${ou.parentId}" is neither the root nor a listed OU` });
      const expectedPath = pathOf(ou.id, new Set());
      if (expectedPath !== undefined && ou.path !== expectedPath) {
        issues.push({ path: `${at}.path`, message: `"${ou.path}" does not match the names of its parents; expected "${expectedPath}"` });
      }
    });
    structure.accounts.forEach((account, index) => {
      if (!parents.has(account.parentId)) {
        issues.push({ path: `organization.structure.accounts[${index}].parentId`, message: `"${account.parentId}" is neither the root nor a listed OU` });
      }
    });
    if (!structure.accounts.some((a) => a.id === structure.managementAccountId)) {
      issues.push({ path: 'organization.structure.managementAccountId', message: `${structure.managementAccountId} is not among the listed accounts` });
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Scope references: what a collector re-reads before and after a remediation

export type ScopeRef =
  | { kind: 'organizations.structure' | 'organizations.policies' | 'organizations.trustedAccess' | 'organizations.delegatedAdministrators' }
  | { kind: 'securityhub.organization' }
  | { kind: 'config.aggregators' }
  | { kind: 'securityhub.account' | 'config.recorder'; accountId: string; region: string }
  | { kind: 'securitylake.region' | 'config.conformancePacks' | 'accessanalyzer.region'; region: string }
  | { kind: 'iam.account'; accountId: string };

/** The state of a scope as JSON: `{ status: 'ok', ... }`, `{ status: 'unknown', error }`, or undefined when not collected. */
export type ScopeState = Scoped<Record<string, unknown>> | undefined;

export function scopeRefKey(ref: ScopeRef): string {
  return [ref.kind, 'accountId' in ref ? ref.accountId : '', 'region' in ref ? ref.region : ''].join('|');
}

/** Reads one scope out of an inventory. */
export function readScope(inventory: Inventory, ref: ScopeRef): ScopeState {
  switch (ref.kind) {
    case 'organizations.structure': return inventory.organization.structure;
    case 'organizations.policies': return inventory.organization.policies;
    case 'organizations.trustedAccess': return inventory.organization.trustedAccess;
    case 'organizations.delegatedAdministrators': return inventory.organization.delegatedAdministrators;
    case 'securityhub.organization': return inventory.securityHub.organization;
    case 'config.aggregators': return inventory.config.aggregators;
    case 'securityhub.account': return inventory.accounts[ref.accountId]?.regions[ref.region]?.securityHub;
    case 'config.recorder': return inventory.accounts[ref.accountId]?.regions[ref.region]?.config;
    case 'securitylake.region': return inventory.securityLake.regions[ref.region];
    case 'config.conformancePacks': return inventory.config.conformancePacks[ref.region];
    case 'accessanalyzer.region': return inventory.accessAnalyzer.regions[ref.region];
    case 'iam.account': return inventory.accounts[ref.accountId]?.iam;
  }
}

/** A re-read scope, as the aws/ layer returns it and as evidence records it (before/after). */
export interface ScopeSnapshot {
  ref: ScopeRef;
  state: ScopeState;
}

/**
 * A copy of `inventory` with the given scopes replaced by freshly read ones (the rest shared,
 * not copied). Used to re-check drift after re-reading only what an action touches.
 */
export function withScopes(inventory: Inventory, snapshots: readonly ScopeSnapshot[]): Inventory {
  const out: Inventory = {
    ...inventory,
    organization: { ...inventory.organization },
    securityHub: { ...inventory.securityHub },
    securityLake: { regions: { ...inventory.securityLake.regions } },
    config: { ...inventory.config, conformancePacks: { ...inventory.config.conformancePacks } },
    accessAnalyzer: { regions: { ...inventory.accessAnalyzer.regions } },
    accounts: { ...inventory.accounts },
  };
  const unknownScope: UnknownScopeState = { status: 'unknown', error: { code: 'NotCollected', message: 'the scope was not re-read' } };
  for (const { ref, state } of snapshots) {
    const value = (state ?? unknownScope) as never;
    const account = (id: string) => {
      const current = out.accounts[id] ?? { regions: {} };
      const copy = { ...current, regions: { ...current.regions } };
      out.accounts[id] = copy;
      return copy;
    };
    switch (ref.kind) {
      case 'organizations.structure': out.organization.structure = value; break;
      case 'organizations.policies': out.organization.policies = value; break;
      case 'organizations.trustedAccess': out.organization.trustedAccess = value; break;
      case 'organizations.delegatedAdministrators': out.organization.delegatedAdministrators = value; break;
      case 'securityhub.organization': out.securityHub.organization = value; break;
      case 'config.aggregators': out.config.aggregators = value; break;
      case 'securitylake.region': out.securityLake.regions[ref.region] = value; break;
      case 'config.conformancePacks': out.config.conformancePacks[ref.region] = value; break;
      case 'accessanalyzer.region': out.accessAnalyzer.regions[ref.region] = value; break;
      case 'iam.account': account(ref.accountId).iam = value; break;
      case 'securityhub.account':
      case 'config.recorder': {
        const acct = account(ref.accountId);
        const regional = { ...(acct.regions[ref.region] ?? {}) };
        if (ref.kind === 'securityhub.account') regional.securityHub = value;
        else regional.config = value;
        acct.regions[ref.region] = regional;
        break;
      }
    }
  }
  return out;
}
