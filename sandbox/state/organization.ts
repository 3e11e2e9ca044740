import { AwsError } from '../errors';
import type { SeededRandom } from '../random';

export type AccountState = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  state: AccountState;
  joinedMethod: 'INVITED' | 'CREATED';
  /** ISO 8601. */
  joinedAt: string;
  parentId: string;
}

export interface OuRecord {
  id: string;
  name: string;
  parentId: string;
}

export interface PolicyRecord {
  id: string;
  name: string;
  description: string;
  type: string;
  awsManaged: boolean;
  content: string;
}

export interface CreateAccountStatusRecord {
  id: string;
  accountName: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  requestedAt: string;
  completedAt?: string;
  accountId?: string;
  failureReason?: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** The organization as saved: plain JSON. */
export interface OrganizationData {
  id: string;
  managementAccountId: string;
  managementEmail: string;
  root: { id: string; name: string; enabledPolicyTypes: string[] };
  ous: Record<string, OuRecord>;
  accounts: Record<string, AccountRecord>;
  policies: Record<string, PolicyRecord>;
  /** Target id (root, OU or account) → attached policy ids, in attachment order. */
  attachments: Record<string, string[]>;
  /** Service principal → ISO date trusted access was enabled. */
  trustedAccess: Record<string, string>;
  /** Service principal → account id → ISO date it became delegated administrator. */
  delegatedAdmins: Record<string, Record<string, string>>;
  createAccountStatuses: Record<string, CreateAccountStatusRecord>;
  tags: Record<string, Tag[]>;
}

export type TargetKind = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

/** Lookups derived from the data, rebuilt after a structural change (enumerating 5,000 records per call is slow). */
interface OrganizationIndex {
  accounts: AccountRecord[];
  ous: Map<string, string[]>;
  accountsByParent: Map<string, string[]>;
  targets: Map<string, string[]>;
}

/** Organizations quotas from the AWS Organizations User Guide ("Quotas for AWS Organizations"). */
export const ORGANIZATIONS_QUOTAS = {
  /** Default accounts per organization (adjustable through Service Quotas). */
  accounts: 10,
  ous: 1000,
  /** OU nesting under a root. */
  ouDepth: 5,
  policiesPerType: 1000,
  tagsPerResource: 50,
} as const;

/** Per policy type: largest document and most policies of that type on one target. */
export const POLICY_TYPE_LIMITS: Record<string, { maxSize: number; maxPerTarget: number; managedPolicy?: string }> = {
  SERVICE_CONTROL_POLICY: { maxSize: 5120, maxPerTarget: 5, managedPolicy: 'p-FullAWSAccess' },
  RESOURCE_CONTROL_POLICY: { maxSize: 5120, maxPerTarget: 5, managedPolicy: 'p-RCPFullAWSAccess' },
  TAG_POLICY: { maxSize: 10000, maxPerTarget: 10 },
  BACKUP_POLICY: { maxSize: 10000, maxPerTarget: 10 },
  AISERVICES_OPT_OUT_POLICY: { maxSize: 2500, maxPerTarget: 5 },
  CHATBOT_POLICY: { maxSize: 10000, maxPerTarget: 5 },
  DECLARATIVE_POLICY_EC2: { maxSize: 10000, maxPerTarget: 10 },
  SECURITYHUB_POLICY: { maxSize: 10000, maxPerTarget: 10 },
};
const DEFAULT_POLICY_LIMITS = { maxSize: 10000, maxPerTarget: 10 };

export function policyTypeLimits(type: string): { maxSize: number; maxPerTarget: number; managedPolicy?: string } {
  return POLICY_TYPE_LIMITS[type] ?? DEFAULT_POLICY_LIMITS;
}

/** AWS-managed policies every organization has. */
const MANAGED_POLICIES: PolicyRecord[] = [
  {
    id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', awsManaged: true,
    description: 'Allows access to every operation',
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  },
  {
    id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', awsManaged: true,
    description: 'Allows access to every operation',
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
  },
];

/**
 * Service principals that integrate with Organizations (trusted access and, where the service
 * supports it, delegated administrators), with the number of delegated administrators each allows.
 * From "AWS services that you can use with AWS Organizations".
 */
export const SERVICE_PRINCIPALS: Record<string, { delegatedAdmins: number }> = {
  'access-analyzer.amazonaws.com': { delegatedAdmins: 1 },
  'account.amazonaws.com': { delegatedAdmins: 1 },
  'auditmanager.amazonaws.com': { delegatedAdmins: 1 },
  'backup.amazonaws.com': { delegatedAdmins: 1 },
  'cloudtrail.amazonaws.com': { delegatedAdmins: 3 },
  'compute-optimizer.amazonaws.com': { delegatedAdmins: 1 },
  'config.amazonaws.com': { delegatedAdmins: 3 },
  'config-multiaccountsetup.amazonaws.com': { delegatedAdmins: 3 },
  'detective.amazonaws.com': { delegatedAdmins: 1 },
  'fms.amazonaws.com': { delegatedAdmins: 1 },
  'guardduty.amazonaws.com': { delegatedAdmins: 1 },
  'health.amazonaws.com': { delegatedAdmins: 1 },
  'inspector2.amazonaws.com': { delegatedAdmins: 1 },
  'ipam.amazonaws.com': { delegatedAdmins: 1 },
  'macie.amazonaws.com': { delegatedAdmins: 1 },
  'member.org.stacksets.cloudformation.amazonaws.com': { delegatedAdmins: 5 },
  'ram.amazonaws.com': { delegatedAdmins: 0 },
  'securityhub.amazonaws.com': { delegatedAdmins: 1 },
  'securitylake.amazonaws.com': { delegatedAdmins: 1 },
  'servicecatalog.amazonaws.com': { delegatedAdmins: 1 },
  'ssm.amazonaws.com': { delegatedAdmins: 1 },
  'sso.amazonaws.com': { delegatedAdmins: 1 },
  'tagpolicies.tag.amazonaws.com': { delegatedAdmins: 0 },
};

function constraint(reason: string, message: string): AwsError {
  return new AwsError('ConstraintViolationException', message, { fields: { Reason: reason } });
}

function invalidInput(reason: string, message: string): AwsError {
  return new AwsError('InvalidInputException', message, { fields: { Reason: reason } });
}

/**
 * An AWS organization with the semantics of the AWS Organizations API reference: every rule that
 * decides whether a change is allowed lives here, so the API handlers and the seeding code obey
 * the same rules. Errors carry the Organizations exception names.
 */
export class Organization {
  readonly data: OrganizationData;
  private index: OrganizationIndex | undefined;

  constructor(data: OrganizationData) {
    this.data = data;
  }

  static create(options: { managementAccountId: string; managementEmail: string; managementName?: string; random: SeededRandom; now: Date }): Organization {
    const rootSuffix = options.random.lowerAlnum(4);
    const data: OrganizationData = {
      id: `o-${options.random.lowerAlnum(10)}`,
      managementAccountId: options.managementAccountId,
      managementEmail: options.managementEmail,
      root: { id: `r-${rootSuffix}`, name: 'Root', enabledPolicyTypes: [] },
      ous: {},
      accounts: {},
      policies: Object.fromEntries(MANAGED_POLICIES.map((p) => [p.id, { ...p }])),
      attachments: {},
      trustedAccess: {},
      delegatedAdmins: {},
      createAccountStatuses: {},
      tags: {},
    };
    data.accounts[options.managementAccountId] = {
      id: options.managementAccountId, name: options.managementName ?? 'management', email: options.managementEmail,
      state: 'ACTIVE', joinedMethod: 'CREATED', joinedAt: options.now.toISOString(), parentId: data.root.id,
    };
    return new Organization(data);
  }

  get id(): string {
    return this.data.id;
  }

  get rootId(): string {
    return this.data.root.id;
  }

  get managementAccountId(): string {
    return this.data.managementAccountId;
  }

  // ── ARNs ────────────────────────────────────────────────────────────────────────────────────
  get arn(): string {
    return `arn:aws:organizations::${this.managementAccountId}:organization/${this.id}`;
  }

  rootArn(): string {
    return `arn:aws:organizations::${this.managementAccountId}:root/${this.id}/${this.rootId}`;
  }

  ouArn(ouId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:ou/${this.id}/${ouId}`;
  }

  accountArn(accountId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:account/${this.id}/${accountId}`;
  }

  policyArn(policy: PolicyRecord): string {
    const type = policy.type.toLowerCase();
    return policy.awsManaged
      ? `arn:aws:organizations::aws:policy/${type}/${policy.id}`
      : `arn:aws:organizations::${this.managementAccountId}:policy/${this.id}/${type}/${policy.id}`;
  }

  targetArn(targetId: string): string {
    const kind = this.targetKind(targetId);
    return kind === 'ROOT' ? this.rootArn() : kind === 'ORGANIZATIONAL_UNIT' ? this.ouArn(targetId) : this.accountArn(targetId);
  }

  // ── Lookups ────────────────────────────────────────────────────────────────────────────────
  isParent(id: string): boolean {
    return id === this.rootId || this.data.ous[id] !== undefined;
  }

  /** The kind of an existing root, OU or account, else undefined. */
  targetKind(id: string): TargetKind | undefined {
    if (id === this.rootId) return 'ROOT';
    if (this.data.ous[id]) return 'ORGANIZATIONAL_UNIT';
    if (this.data.accounts[id]) return 'ACCOUNT';
    return undefined;
  }

  targetName(id: string): string {
    if (id === this.rootId) return this.data.root.name;
    return this.data.ous[id]?.name ?? this.data.accounts[id]?.name ?? id;
  }

  account(accountId: string): AccountRecord | undefined {
    return this.data.accounts[accountId];
  }

  ou(ouId: string): OuRecord | undefined {
    return this.data.ous[ouId];
  }

  policy(policyId: string): PolicyRecord | undefined {
    return this.data.policies[policyId];
  }

  /** Accounts in the order they joined. */
  accounts(): readonly AccountRecord[] {
    return this.indexes().accounts;
  }

  childOus(parentId: string): string[] {
    return this.indexes().ous.get(parentId) ?? [];
  }

  childAccounts(parentId: string): string[] {
    return this.indexes().accountsByParent.get(parentId) ?? [];
  }

  parentOf(childId: string): string | undefined {
    return this.data.ous[childId]?.parentId ?? this.data.accounts[childId]?.parentId;
  }

  /** Parents from the immediate one up to the root. */
  ancestors(childId: string): string[] {
    const out: string[] = [];
    for (let parent = this.parentOf(childId); parent; parent = this.parentOf(parent)) out.push(parent);
    return out;
  }

  /** `o-…/r-…/ou-…/` for an OU, `o-…/r-…/ou-…/111111111111/` for an account. */
  path(id: string): string {
    return `${[this.id, ...this.ancestors(id).reverse(), id].join('/')}/`;
  }

  /** Depth of an OU under the root: a top-level OU is 1. */
  ouDepth(ouId: string): number {
    return this.ancestors(ouId).length;
  }

  attachedPolicies(targetId: string, type?: string): PolicyRecord[] {
    const ids = this.data.attachments[targetId] ?? [];
    const out: PolicyRecord[] = [];
    for (const id of ids) {
      const policy = this.data.policies[id];
      if (policy && (!type || policy.type === type)) out.push(policy);
    }
    return out;
  }

  targetsForPolicy(policyId: string): string[] {
    return this.indexes().targets.get(policyId) ?? [];
  }

  isPolicyTypeEnabled(type: string): boolean {
    return this.data.root.enabledPolicyTypes.includes(type);
  }

  isDelegatedAdministrator(accountId: string, servicePrincipal?: string): boolean {
    if (servicePrincipal) return this.data.delegatedAdmins[servicePrincipal]?.[accountId] !== undefined;
    return Object.values(this.data.delegatedAdmins).some((admins) => admins[accountId] !== undefined);
  }

  delegatedAdministrators(servicePrincipal?: string): { accountId: string; servicePrincipal: string; since: string }[] {
    const out: { accountId: string; servicePrincipal: string; since: string }[] = [];
    for (const [principal, admins] of Object.entries(this.data.delegatedAdmins)) {
      if (servicePrincipal && principal !== servicePrincipal) continue;
      for (const [accountId, since] of Object.entries(admins)) out.push({ accountId, servicePrincipal: principal, since });
    }
    return out;
  }

  // ── Changes ────────────────────────────────────────────────────────────────────────────────
  createOu(parentId: string, name: string, random: SeededRandom): OuRecord {
    this.requireParent(parentId, 'ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
    if (this.childOus(parentId).some((id) => this.data.ous[id].name === name)) {
      throw new AwsError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
    }
    if (Object.keys(this.data.ous).length >= ORGANIZATIONS_QUOTAS.ous) {
      throw constraint('OU_NUMBER_LIMIT_EXCEEDED', 'You have reached the maximum number of OUs in the organization.');
    }
    const depth = parentId === this.rootId ? 1 : this.ouDepth(parentId) + 1;
    if (depth > ORGANIZATIONS_QUOTAS.ouDepth) {
      throw constraint('OU_DEPTH_LIMIT_EXCEEDED', `You can't nest OUs more than ${ORGANIZATIONS_QUOTAS.ouDepth} levels deep.`);
    }
    const ou: OuRecord = { id: `ou-${this.rootId.slice(2)}-${random.lowerAlnum(8)}`, name, parentId };
    this.data.ous[ou.id] = ou;
    this.attachManagedDefaults(ou.id);
    this.changed();
    return ou;
  }

  renameOu(ouId: string, name: string): OuRecord {
    const ou = this.requireOu(ouId);
    if (ou.name !== name && this.childOus(ou.parentId).some((id) => this.data.ous[id].name === name)) {
      throw new AwsError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
    }
    ou.name = name;
    return ou;
  }

  deleteOu(ouId: string): void {
    this.requireOu(ouId);
    if (this.childOus(ouId).length > 0 || this.childAccounts(ouId).length > 0) {
      throw new AwsError('OrganizationalUnitNotEmptyException', 'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.');
    }
    delete this.data.ous[ouId];
    delete this.data.attachments[ouId];
    delete this.data.tags[ouId];
    this.changed();
  }

  /** Adds an account that already exists in AWS (seeding, invitations) under a parent. */
  addAccount(account: Omit<AccountRecord, 'state' | 'joinedAt' | 'joinedMethod'> & Partial<AccountRecord>, now: Date): AccountRecord {
    this.requireParent(account.parentId, 'ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
    if (this.data.accounts[account.id]) throw new AwsError('DuplicateAccountException', `The account ${account.id} is already in the organization.`);
    const record: AccountRecord = { state: 'ACTIVE', joinedMethod: 'INVITED', joinedAt: now.toISOString(), ...account };
    this.data.accounts[record.id] = record;
    this.attachManagedDefaults(record.id);
    this.changed();
    return record;
  }

  moveAccount(accountId: string, sourceParentId: string, destinationParentId: string): void {
    const account = this.data.accounts[accountId];
    if (!account) throw new AwsError('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
    this.requireParent(sourceParentId, 'SourceParentNotFoundException', 'We can\'t find a source root or OU with the ParentId that you specified.');
    this.requireParent(destinationParentId, 'DestinationParentNotFoundException', 'We can\'t find a destination root or OU with the ParentId that you specified.');
    if (account.parentId !== sourceParentId) {
      throw new AwsError('SourceParentNotFoundException', `The account ${accountId} is not in the source parent ${sourceParentId}.`);
    }
    if (sourceParentId === destinationParentId) {
      throw new AwsError('DuplicateAccountException', 'That account is already present in the specified destination.');
    }
    account.parentId = destinationParentId;
    this.changed();
  }

  removeAccount(accountId: string): void {
    const account = this.data.accounts[accountId];
    if (!account) throw new AwsError('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
    if (accountId === this.managementAccountId) {
      throw new AwsError('MasterCannotLeaveOrganizationException', 'You can\'t remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.');
    }
    if (this.isDelegatedAdministrator(accountId)) {
      throw constraint('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG', 'You can\'t remove an account that is a delegated administrator. Deregister it first.');
    }
    delete this.data.accounts[accountId];
    delete this.data.attachments[accountId];
    delete this.data.tags[accountId];
    this.changed();
  }

  createPolicy(input: { name: string; description: string; type: string; content: string }, random: SeededRandom): PolicyRecord {
    const existing = Object.values(this.data.policies).filter((p) => p.type === input.type);
    if (existing.some((p) => p.name === input.name)) throw new AwsError('DuplicatePolicyException', 'A policy with the same name already exists.');
    if (existing.filter((p) => !p.awsManaged).length >= ORGANIZATIONS_QUOTAS.policiesPerType) {
      throw constraint('POLICY_NUMBER_LIMIT_EXCEEDED', 'You have reached the maximum number of policies of this type in the organization.');
    }
    this.checkPolicyContent(input.type, input.content);
    const policy: PolicyRecord = { id: `p-${random.lowerAlnum(8)}`, ...input, awsManaged: false };
    this.data.policies[policy.id] = policy;
    return policy;
  }

  updatePolicy(policyId: string, changes: { name?: string; description?: string; content?: string }): PolicyRecord {
    const policy = this.requirePolicy(policyId);
    if (policy.awsManaged) throw invalidInput('IMMUTABLE_POLICY', 'You specified a policy that is managed by AWS and can\'t be modified.');
    if (changes.name !== undefined && changes.name !== policy.name
      && Object.values(this.data.policies).some((p) => p.type === policy.type && p.name === changes.name)) {
      throw new AwsError('DuplicatePolicyException', 'A policy with the same name already exists.');
    }
    if (changes.content !== undefined) this.checkPolicyContent(policy.type, changes.content);
    if (changes.name !== undefined) policy.name = changes.name;
    if (changes.description !== undefined) policy.description = changes.description;
    if (changes.content !== undefined) policy.content = changes.content;
    return policy;
  }

  deletePolicy(policyId: string): void {
    const policy = this.requirePolicy(policyId);
    if (policy.awsManaged) throw invalidInput('IMMUTABLE_POLICY', 'You specified a policy that is managed by AWS and can\'t be modified.');
    if (this.targetsForPolicy(policyId).length > 0) {
      throw new AwsError('PolicyInUseException', 'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.');
    }
    delete this.data.policies[policyId];
    delete this.data.tags[policyId];
  }

  attachPolicy(policyId: string, targetId: string): void {
    const policy = this.requirePolicy(policyId);
    this.requireTarget(targetId);
    if (!this.isPolicyTypeEnabled(policy.type)) {
      throw new AwsError('PolicyTypeNotEnabledException', 'The specified policy type isn\'t currently enabled in this root. You can\'t attach policies of the specified type to entities in a root until you enable that type in the root.');
    }
    const attached = (this.data.attachments[targetId] ??= []);
    if (attached.includes(policyId)) throw new AwsError('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.');
    const limit = policyTypeLimits(policy.type).maxPerTarget;
    if (this.attachedPolicies(targetId, policy.type).length >= limit) {
      throw constraint('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', `You attempted to exceed the number of policies of type ${policy.type} (${limit}) that can be attached to an entity at one time.`);
    }
    attached.push(policyId);
    this.changed();
  }

  detachPolicy(policyId: string, targetId: string): void {
    const policy = this.requirePolicy(policyId);
    this.requireTarget(targetId);
    const attached = this.data.attachments[targetId] ?? [];
    const at = attached.indexOf(policyId);
    if (at < 0) throw new AwsError('PolicyNotAttachedException', 'The policy isn\'t attached to the specified target in the specified root.');
    if (policy.type === 'SERVICE_CONTROL_POLICY' && this.attachedPolicies(targetId, policy.type).length <= 1) {
      throw constraint('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', 'Every root, OU, and account must have at least one SCP attached. Attach another SCP before detaching this one.');
    }
    attached.splice(at, 1);
    this.changed();
  }

  /** Enables a policy type in the root; the AWS-managed policy of that type goes onto every target. */
  enablePolicyType(rootId: string, type: string): void {
    if (rootId !== this.rootId) throw new AwsError('RootNotFoundException', 'We can\'t find a root with the RootId that you specified.');
    if (this.isPolicyTypeEnabled(type)) throw new AwsError('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.');
    this.data.root.enabledPolicyTypes.push(type);
    const managed = policyTypeLimits(type).managedPolicy;
    if (managed) for (const target of this.allTargets()) this.attachIfMissing(managed, target);
    this.changed();
  }

  /** Disables a policy type: every policy of that type is detached from every target. */
  disablePolicyType(rootId: string, type: string): void {
    if (rootId !== this.rootId) throw new AwsError('RootNotFoundException', 'We can\'t find a root with the RootId that you specified.');
    if (!this.isPolicyTypeEnabled(type)) throw new AwsError('PolicyTypeNotEnabledException', 'This policy type isn\'t currently enabled in this root.');
    this.data.root.enabledPolicyTypes = this.data.root.enabledPolicyTypes.filter((t) => t !== type);
    for (const [target, ids] of Object.entries(this.data.attachments)) {
      this.data.attachments[target] = ids.filter((id) => this.data.policies[id]?.type !== type);
    }
    this.changed();
  }

  enableServiceAccess(servicePrincipal: string, now: Date): void {
    this.requireKnownPrincipal(servicePrincipal);
    this.data.trustedAccess[servicePrincipal] ??= now.toISOString();
  }

  disableServiceAccess(servicePrincipal: string): void {
    this.requireKnownPrincipal(servicePrincipal);
    delete this.data.trustedAccess[servicePrincipal];
  }

  registerDelegatedAdministrator(accountId: string, servicePrincipal: string, now: Date): void {
    const account = this.data.accounts[accountId];
    if (!account) throw new AwsError('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
    const principal = this.requireKnownPrincipal(servicePrincipal);
    if (accountId === this.managementAccountId) {
      throw constraint('CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR', 'You can designate only a member account as a delegated administrator.');
    }
    if (account.state === 'SUSPENDED') {
      throw constraint('CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR', 'You cannot register a suspended account as a delegated administrator.');
    }
    if (this.data.trustedAccess[servicePrincipal] === undefined) {
      throw constraint('SERVICE_ACCESS_NOT_ENABLED', `You must enable trusted access for ${servicePrincipal} before you register a delegated administrator for it.`);
    }
    const admins = (this.data.delegatedAdmins[servicePrincipal] ??= {});
    if (admins[accountId]) throw new AwsError('AccountAlreadyRegisteredException', 'The provided account is already a delegated administrator for your organization.');
    if (Object.keys(admins).length >= principal.delegatedAdmins) {
      throw constraint('MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED', `${servicePrincipal} allows ${principal.delegatedAdmins} delegated administrator(s).`);
    }
    admins[accountId] = now.toISOString();
  }

  deregisterDelegatedAdministrator(accountId: string, servicePrincipal: string): void {
    if (!this.data.accounts[accountId]) throw new AwsError('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
    this.requireKnownPrincipal(servicePrincipal);
    const admins = this.data.delegatedAdmins[servicePrincipal];
    if (!admins?.[accountId]) throw new AwsError('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.');
    delete admins[accountId];
    if (Object.keys(admins).length === 0) delete this.data.delegatedAdmins[servicePrincipal];
  }

  tags(resourceId: string): Tag[] {
    this.requireTaggable(resourceId);
    return this.data.tags[resourceId] ?? [];
  }

  tagResource(resourceId: string, tags: Tag[]): void {
    this.requireTaggable(resourceId);
    const keys = new Set<string>();
    for (const tag of tags) {
      if (keys.has(tag.Key)) throw invalidInput('DUPLICATE_TAG_KEY', 'Tag keys must be unique among the tags attached to the same entity.');
      if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidInput('INVALID_SYSTEM_TAGS_PARAMETER', 'You specified a tag key that is a system tag.');
      keys.add(tag.Key);
    }
    const merged = (this.data.tags[resourceId] ?? []).filter((t) => !keys.has(t.Key)).concat(tags.map((t) => ({ Key: t.Key, Value: t.Value })));
    if (merged.length > ORGANIZATIONS_QUOTAS.tagsPerResource) {
      throw constraint('MAX_TAG_LIMIT_EXCEEDED', `A resource can have at most ${ORGANIZATIONS_QUOTAS.tagsPerResource} tags.`);
    }
    this.data.tags[resourceId] = merged;
  }

  untagResource(resourceId: string, keys: string[]): void {
    this.requireTaggable(resourceId);
    const remaining = (this.data.tags[resourceId] ?? []).filter((t) => !keys.includes(t.Key));
    if (remaining.length) this.data.tags[resourceId] = remaining;
    else delete this.data.tags[resourceId];
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────
  requireOu(ouId: string): OuRecord {
    const ou = this.data.ous[ouId];
    if (!ou) throw new AwsError('OrganizationalUnitNotFoundException', 'We can\'t find an OU with the OrganizationalUnitId that you specified.');
    return ou;
  }

  requirePolicy(policyId: string): PolicyRecord {
    const policy = this.data.policies[policyId];
    if (!policy) throw new AwsError('PolicyNotFoundException', 'We can\'t find a policy with the PolicyId that you specified.');
    return policy;
  }

  requireTarget(targetId: string): TargetKind {
    const kind = this.targetKind(targetId);
    if (!kind) throw new AwsError('TargetNotFoundException', 'We can\'t find a root, OU, account, or policy with the TargetId that you specified.');
    return kind;
  }

  private requireParent(parentId: string, errorCode: string, message: string): void {
    if (!this.isParent(parentId)) throw new AwsError(errorCode, message);
  }

  private requireTaggable(resourceId: string): void {
    if (!this.targetKind(resourceId) && !this.data.policies[resourceId]) {
      throw new AwsError('TargetNotFoundException', 'We can\'t find a root, OU, account, or policy with the TargetId that you specified.');
    }
  }

  private requireKnownPrincipal(servicePrincipal: string): { delegatedAdmins: number } {
    const principal = SERVICE_PRINCIPALS[servicePrincipal];
    if (!principal) throw invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL', `You specified a service principal that isn't recognized: ${servicePrincipal}.`);
    return principal;
  }

  private checkPolicyContent(type: string, content: string): void {
    const { maxSize } = policyTypeLimits(type);
    if (content.length > maxSize) {
      throw constraint('POLICY_CONTENT_LIMIT_EXCEEDED', `The policy is ${content.length} characters; a ${type} can have at most ${maxSize}.`);
    }
    let document: unknown;
    try {
      document = JSON.parse(content);
    } catch {
      throw new AwsError('MalformedPolicyDocumentException', 'The provided policy document doesn\'t meet the requirements of the specified policy type: it is not valid JSON.');
    }
    if (type === 'SERVICE_CONTROL_POLICY' || type === 'RESOURCE_CONTROL_POLICY') {
      const statements = (document as { Statement?: unknown }).Statement;
      const list = Array.isArray(statements) ? statements : statements && typeof statements === 'object' ? [statements] : [];
      if (list.length === 0 || list.some((s) => !s || typeof s !== 'object' || !['Allow', 'Deny'].includes((s as { Effect?: string }).Effect ?? ''))) {
        throw new AwsError('MalformedPolicyDocumentException', 'The provided policy document doesn\'t meet the requirements of the specified policy type: every Statement needs an Effect of Allow or Deny.');
      }
    }
  }

  private allTargets(): string[] {
    return [this.rootId, ...Object.keys(this.data.ous), ...Object.keys(this.data.accounts)];
  }

  /** New OUs and accounts get the AWS-managed policy of every enabled type, as in AWS. */
  private attachManagedDefaults(targetId: string): void {
    for (const type of this.data.root.enabledPolicyTypes) {
      const managed = policyTypeLimits(type).managedPolicy;
      if (managed) this.attachIfMissing(managed, targetId);
    }
  }

  private attachIfMissing(policyId: string, targetId: string): void {
    const attached = (this.data.attachments[targetId] ??= []);
    if (!attached.includes(policyId)) attached.push(policyId);
  }

  private changed(): void {
    this.index = undefined;
  }

  private indexes(): OrganizationIndex {
    if (this.index) return this.index;
    const ous = new Map<string, string[]>();
    const accountsByParent = new Map<string, string[]>();
    const targets = new Map<string, string[]>();
    for (const ou of Object.values(this.data.ous)) {
      const list = ous.get(ou.parentId);
      if (list) list.push(ou.id);
      else ous.set(ou.parentId, [ou.id]);
    }
    const accounts = Object.values(this.data.accounts);
    for (const account of accounts) {
      const list = accountsByParent.get(account.parentId);
      if (list) list.push(account.id);
      else accountsByParent.set(account.parentId, [account.id]);
    }
    for (const target of this.allTargets()) {
      for (const policyId of this.data.attachments[target] ?? []) {
        const list = targets.get(policyId);
        if (list) list.push(target);
        else targets.set(policyId, [target]);
      }
    }
    this.index = { accounts, ous, accountsByParent, targets };
    return this.index;
  }
}
