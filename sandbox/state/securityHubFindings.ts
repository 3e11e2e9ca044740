import { createHash } from 'node:crypto';
import * as catalog from '../catalog/securityHub';
import { AwsError } from '../errors';
import type { SandboxState } from './sandboxState';
import { centralConfiguration, effectiveHub, securityHubSlot, type CentralView, type FindingUpdate } from './securityHub';

/** An ASFF finding as plain JSON (timestamps are ISO 8601 strings, as Security Hub returns them). */
export type Finding = Record<string, unknown> & { Id: string; ProductArn: string; AwsAccountId: string };

const SECURITY_HUB_PRODUCT = (region: string) => `arn:aws:securityhub:${region}::product/aws/securityhub`;
const CONTROL_FINDING_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards';
const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
/** Security Hub refuses findings larger than 240 KB. */
const MAX_FINDING_BYTES = 240 * 1024;

function stableUuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id of the consolidated control finding for a control in an account and Region (stable across calls). */
export function controlFindingId(region: string, account: string, controlId: string): string {
  return `arn:aws:securityhub:${region}:${account}:security-control/${controlId}/finding/${stableUuid(`${account}|${region}|${controlId}`)}`;
}

function parseControlFindingId(id: string): { region: string; account: string; controlId: string } | undefined {
  const match = /^arn:aws:securityhub:([a-z0-9-]+):(\d{12}):security-control\/([^/]+)\/finding\/[0-9a-f-]+$/.exec(id);
  return match && match[0] === controlFindingId(match[1], match[2], match[3]) ? { region: match[1], account: match[2], controlId: match[3] } : undefined;
}

function applyUpdate(finding: Finding, update: FindingUpdate | undefined): Finding {
  if (!update) return finding;
  const { UpdatedAt, ...changes } = update;
  const out: Finding = { ...finding, ...changes, UpdatedAt: UpdatedAt > (finding.UpdatedAt as string) ? UpdatedAt : finding.UpdatedAt };
  if (changes.Workflow) out.WorkflowState = changes.Workflow.Status === 'NEW' ? 'NEW' : changes.Workflow.Status === 'RESOLVED' ? 'RESOLVED' : 'ASSIGNED';
  if (changes.Severity) out.Severity = { ...(finding.Severity as object), ...changes.Severity };
  return out;
}

/** The consolidated control finding Security Hub keeps for one control in an account and Region. */
function controlFinding(state: SandboxState, account: string, region: string, controlId: string, standards: string[], hub: ReturnType<typeof effectiveHub>): Finding {
  const definition = catalog.control(controlId) as catalog.ControlDefinition;
  const slot = state.find(securityHubSlot, account, region);
  const evaluation = slot?.evaluations[controlId];
  const status = evaluation?.status ?? 'PASSED';
  const enabledIn = standards.filter((s) => hub.controlEnabled(s, controlId));
  const created = hub.since;
  const updatedCandidates = [created, evaluation?.at ?? '', ...standards.map((s) => hub.controlUpdatedAt(s, controlId))];
  const updated = updatedCandidates.reduce((a, b) => (b > a ? b : a));
  const label = status === 'PASSED' ? 'INFORMATIONAL' : definition.severity;
  const id = controlFindingId(region, account, controlId);
  const productArn = SECURITY_HUB_PRODUCT(region);
  const finding: Finding = {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: productArn,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Region: region,
    GeneratorId: `security-control/${controlId}`,
    AwsAccountId: account,
    Types: [CONTROL_FINDING_TYPE],
    FirstObservedAt: created,
    LastObservedAt: updated,
    CreatedAt: created,
    UpdatedAt: updated,
    Severity: { Label: label, Normalized: catalog.SEVERITY_NORMALIZED[label], Original: definition.severity },
    Title: definition.title,
    Description: definition.title,
    Remediation: { Recommendation: { Text: `See the Security Hub documentation for control ${controlId}.`, Url: `https://docs.aws.amazon.com/console/securityhub/${controlId}/remediation` } },
    ProductFields: {
      'aws/securityhub/ProductName': 'Security Hub', 'aws/securityhub/CompanyName': 'AWS', 'aws/securityhub/FindingId': `${productArn}/${id}`,
      ...(definition.configRule ? { RelatedAWSResources: `${definition.configRule}` } : {}),
    },
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${account}`, Partition: 'aws', Region: region }],
    Compliance: {
      Status: status,
      SecurityControlId: controlId,
      AssociatedStandards: standards.map((StandardsId) => ({ StandardsId })),
      RelatedRequirements: standards.flatMap((s) => catalog.relatedRequirements(s, controlId)),
    },
    WorkflowState: status === 'PASSED' ? 'RESOLVED' : 'NEW',
    Workflow: { Status: status === 'PASSED' ? 'RESOLVED' : 'NEW' },
    // A control disabled in every enabled standard it belongs to has its finding archived.
    RecordState: enabledIn.length ? 'ACTIVE' : 'ARCHIVED',
    FindingProviderFields: { Severity: { Label: label, Original: definition.severity }, Types: [CONTROL_FINDING_TYPE] },
    ProcessedAt: updated,
  };
  return applyUpdate(finding, slot?.findingUpdates[id]);
}

// ── Filters ──────────────────────────────────────────────────────────────────────────────────

type StringFilter = { Value?: string; Comparison?: string };
type DateFilter = { Start?: string; End?: string; DateRange?: { Value?: number; Unit?: string } };
type NumberFilter = { Gte?: number; Lte?: number; Eq?: number; Gt?: number; Lt?: number };
type MapFilter = { Key?: string; Value?: string; Comparison?: string };
export type FindingFilters = Record<string, (StringFilter | DateFilter | NumberFilter | MapFilter)[] | undefined>;

const get = (path: string) => (f: Finding): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), f);
const each = (list: string, path: string) => (f: Finding): unknown[] => ((f[list] as Record<string, unknown>[] | undefined) ?? []).map((item) => get(path)(item as Finding));

const STRING_FIELDS: Record<string, (f: Finding) => unknown> = {
  ProductArn: get('ProductArn'), AwsAccountId: get('AwsAccountId'), Id: get('Id'), GeneratorId: get('GeneratorId'), Region: get('Region'),
  Type: get('Types'), Title: get('Title'), Description: get('Description'), ProductName: get('ProductName'), CompanyName: get('CompanyName'),
  SeverityLabel: get('Severity.Label'), ComplianceStatus: get('Compliance.Status'), ComplianceSecurityControlId: get('Compliance.SecurityControlId'),
  ComplianceAssociatedStandardsId: (f) => each('AssociatedStandards', 'StandardsId')((f.Compliance ?? {}) as Finding),
  RecordState: get('RecordState'), WorkflowStatus: get('Workflow.Status'), WorkflowState: get('WorkflowState'), VerificationState: get('VerificationState'),
  ResourceType: each('Resources', 'Type'), ResourceId: each('Resources', 'Id'), ResourceRegion: each('Resources', 'Region'),
  ResourcePartition: each('Resources', 'Partition'), NoteText: get('Note.Text'), NoteUpdatedBy: get('Note.UpdatedBy'), AwsAccountName: get('AwsAccountName'),
};
const DATE_FIELDS: Record<string, (f: Finding) => unknown> = {
  CreatedAt: get('CreatedAt'), UpdatedAt: get('UpdatedAt'), FirstObservedAt: get('FirstObservedAt'), LastObservedAt: get('LastObservedAt'),
  NoteUpdatedAt: get('Note.UpdatedAt'),
};
const NUMBER_FIELDS: Record<string, (f: Finding) => unknown> = {
  SeverityNormalized: get('Severity.Normalized'), Confidence: get('Confidence'), Criticality: get('Criticality'),
};
const MAP_FIELDS: Record<string, (f: Finding) => unknown> = { ProductFields: get('ProductFields'), UserDefinedFields: get('UserDefinedFields') };

function values(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined && v !== null).map(String);
}

function stringMatches(comparison: string, actual: string, expected: string): boolean {
  switch (comparison) {
    case 'EQUALS': case 'NOT_EQUALS': return actual === expected;
    case 'PREFIX': case 'PREFIX_NOT_EQUALS': return actual.startsWith(expected);
    case 'CONTAINS': case 'NOT_CONTAINS': return actual.includes(expected);
    case 'CONTAINS_WORD': return actual.split(/\W+/).includes(expected);
    default: return false;
  }
}

const NEGATIVE = new Set(['NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'NOT_CONTAINS']);

/** String filters on one field: the positive ones are OR-ed, the negative ones AND-ed (Security Hub's rule). */
function stringPredicate(filters: StringFilter[], accessor: (f: Finding) => unknown): (f: Finding) => boolean {
  const positive = filters.filter((x) => !NEGATIVE.has(x.Comparison ?? ''));
  const negative = filters.filter((x) => NEGATIVE.has(x.Comparison ?? ''));
  return (f) => {
    const actual = values(accessor(f));
    if (positive.length && !positive.some((x) => actual.some((v) => stringMatches(x.Comparison ?? 'EQUALS', v, x.Value ?? '')))) return false;
    return negative.every((x) => !actual.some((v) => stringMatches(x.Comparison as string, v, x.Value ?? '')));
  };
}

function datePredicate(filters: DateFilter[], accessor: (f: Finding) => unknown, nowMs: number): (f: Finding) => boolean {
  return (f) => {
    const raw = accessor(f);
    if (typeof raw !== 'string') return false;
    const t = Date.parse(raw);
    return filters.some((x) => {
      if (x.DateRange) return t >= nowMs - (x.DateRange.Value ?? 0) * 86_400_000;
      return (x.Start === undefined || t >= Date.parse(x.Start)) && (x.End === undefined || t <= Date.parse(x.End));
    });
  };
}

function numberPredicate(filters: NumberFilter[], accessor: (f: Finding) => unknown): (f: Finding) => boolean {
  return (f) => {
    const n = accessor(f);
    if (typeof n !== 'number') return false;
    return filters.some((x) => (x.Eq === undefined || n === x.Eq) && (x.Gte === undefined || n >= x.Gte) && (x.Lte === undefined || n <= x.Lte)
      && (x.Gt === undefined || n > x.Gt) && (x.Lt === undefined || n < x.Lt));
  };
}

function mapPredicate(filters: MapFilter[], accessor: (f: Finding) => unknown): (f: Finding) => boolean {
  return (f) => {
    const map = (accessor(f) ?? {}) as Record<string, string>;
    return filters.every((x) => {
      const value = map[x.Key ?? ''];
      const matches = value !== undefined && stringMatches(x.Comparison === 'NOT_EQUALS' ? 'EQUALS' : x.Comparison === 'NOT_CONTAINS' ? 'CONTAINS' : x.Comparison ?? 'EQUALS', value, x.Value ?? '');
      return NEGATIVE.has(x.Comparison ?? '') ? !matches : matches;
    });
  };
}

export interface CompiledQuery {
  matches(f: Finding): boolean;
  /** Only these accounts / Regions / controls can match (from EQUALS filters), when set. */
  accounts?: Set<string>;
  regions?: Set<string>;
  controls?: Set<string>;
  /** Only findings that do not pass can match. */
  nonPassingOnly: boolean;
  /** Security Hub's own control findings cannot match (a product filter excludes them). */
  excludesControls: boolean;
}

function equalsValues(filters: FindingFilters, field: string): string[] | undefined {
  const list = filters[field] as StringFilter[] | undefined;
  if (!list?.length || list.some((x) => (x.Comparison ?? 'EQUALS') !== 'EQUALS')) return undefined;
  return list.map((x) => x.Value ?? '');
}

/** Compiles GetFindings filters; names a filter FakeAws does not evaluate rather than ignoring it. */
export function compileFilters(filters: FindingFilters, nowMs: number): CompiledQuery {
  const predicates: ((f: Finding) => boolean)[] = [];
  for (const [field, list] of Object.entries(filters)) {
    if (!list?.length) continue;
    if (STRING_FIELDS[field]) predicates.push(stringPredicate(list as StringFilter[], STRING_FIELDS[field]));
    else if (DATE_FIELDS[field]) predicates.push(datePredicate(list as DateFilter[], DATE_FIELDS[field], nowMs));
    else if (NUMBER_FIELDS[field]) predicates.push(numberPredicate(list as NumberFilter[], NUMBER_FIELDS[field]));
    else if (MAP_FIELDS[field]) predicates.push(mapPredicate(list as MapFilter[], MAP_FIELDS[field]));
    else {
      const supported = [...Object.keys(STRING_FIELDS), ...Object.keys(DATE_FIELDS), ...Object.keys(NUMBER_FIELDS), ...Object.keys(MAP_FIELDS)];
      throw new AwsError('InvalidInputException', `FakeAws does not evaluate the ${field} filter; it evaluates ${supported.join(', ')}.`, { fields: { Code: 'InvalidInputException' } });
    }
  }
  const statuses = equalsValues(filters, 'ComplianceStatus');
  const controlIds = equalsValues(filters, 'ComplianceSecurityControlId')
    ?? equalsValues(filters, 'GeneratorId')?.map((g) => g.replace(/^security-control\//, ''));
  const products = equalsValues(filters, 'ProductName');
  const productArns = equalsValues(filters, 'ProductArn');
  const accounts = equalsValues(filters, 'AwsAccountId');
  const regions = equalsValues(filters, 'Region');
  return {
    matches: (f) => predicates.every((p) => p(f)),
    accounts: accounts && new Set(accounts),
    regions: regions && new Set(regions),
    controls: controlIds && new Set(controlIds),
    nonPassingOnly: statuses !== undefined && !statuses.includes('PASSED'),
    excludesControls: (products !== undefined && !products.includes('Security Hub'))
      || (productArns !== undefined && !productArns.some((arn) => /^arn:aws:securityhub:[a-z0-9-]+::product\/aws\/securityhub$/.test(arn))),
  };
}

const SORT_FIELDS = { ...STRING_FIELDS, ...DATE_FIELDS, ...NUMBER_FIELDS };

export function sortFindings(findings: Finding[], criteria: { Field?: string; SortOrder?: string }[]): Finding[] {
  const keys = criteria.map((c) => {
    const accessor = SORT_FIELDS[c.Field ?? ''];
    if (!accessor) throw new AwsError('InvalidInputException', `FakeAws cannot sort findings by ${c.Field}.`, { fields: { Code: 'InvalidInputException' } });
    return { accessor, direction: c.SortOrder === 'desc' ? -1 : 1 };
  });
  return [...findings].sort((a, b) => {
    for (const { accessor, direction } of keys) {
      const x = values(accessor(a))[0] ?? '';
      const y = values(accessor(b))[0] ?? '';
      const nx = Number(accessor(a));
      const ny = Number(accessor(b));
      const cmp = typeof accessor(a) === 'number' ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
      if (cmp) return cmp * direction;
    }
    return 0;
  });
}

// ── Enumeration ──────────────────────────────────────────────────────────────────────────────

/** Where a GetFindings caller may look: accounts (itself, plus members for the administrator) × Regions. */
export interface FindingScope {
  accounts: string[];
  regions: string[];
}

/** Findings of one account and Region that may match the query: control findings, then imported ones. */
export function findingsIn(state: SandboxState, account: string, region: string, query: CompiledQuery, central: CentralView | undefined = centralConfiguration(state)): Finding[] {
  const hub = effectiveHub(state, account, region, central);
  if (!hub.enabled) return [];
  const out: Finding[] = [];
  const enabled = Object.keys(hub.standards);
  if (!query.excludesControls && enabled.length) {
    const slot = state.find(securityHubSlot, account, region);
    const candidates = query.controls ? [...query.controls]
      : query.nonPassingOnly ? Object.keys(slot?.evaluations ?? {}).sort()
        : catalog.CONTROL_IDS;
    for (const controlId of candidates) {
      if (!catalog.control(controlId)) continue;
      const standards = catalog.standardsOf(controlId).filter((s) => hub.standards[s] !== undefined);
      if (!standards.length) continue;
      const finding = controlFinding(state, account, region, controlId, standards, hub);
      if (query.matches(finding)) out.push(finding);
    }
  }
  const imported = state.find(securityHubSlot, account, region)?.imported;
  if (imported) {
    for (const id of Object.keys(imported).sort()) {
      const finding = imported[id] as Finding;
      if (query.matches(finding)) out.push(finding);
    }
  }
  return out;
}

/** Looks up one finding a caller may see by its identifier (for BatchUpdateFindings). */
export function locateFinding(state: SandboxState, scope: FindingScope, id: string, productArn: string):
  { account: string; region: string; kind: 'control' | 'imported'; finding: Finding } | undefined {
  const control = parseControlFindingId(id);
  if (control) {
    if (!scope.accounts.includes(control.account) || !scope.regions.includes(control.region) || productArn !== SECURITY_HUB_PRODUCT(control.region)) return undefined;
    const hub = effectiveHub(state, control.account, control.region);
    const standards = catalog.standardsOf(control.controlId).filter((s) => hub.standards[s] !== undefined);
    if (!hub.enabled || !standards.length || !catalog.control(control.controlId)) return undefined;
    return { account: control.account, region: control.region, kind: 'control', finding: controlFinding(state, control.account, control.region, control.controlId, standards, hub) };
  }
  const region = /^arn:aws:securityhub:([a-z0-9-]+):/.exec(productArn)?.[1];
  if (!region || !scope.regions.includes(region)) return undefined;
  for (const account of scope.accounts) {
    const finding = state.find(securityHubSlot, account, region)?.imported[id] as Finding | undefined;
    if (finding && finding.ProductArn === productArn) return { account, region, kind: 'imported', finding };
  }
  return undefined;
}

// ── Import and update ────────────────────────────────────────────────────────────────────────

/** Why Security Hub refuses to import a finding, or undefined when it accepts it. */
export function importProblem(finding: Record<string, unknown>, caller: string, region: string): string | undefined {
  const expectedProduct = `arn:aws:securityhub:${region}:${caller}:product/${caller}/default`;
  if (finding.ProductArn !== expectedProduct) return `ProductArn must be ${expectedProduct} (the account's default product in ${region}); got ${String(finding.ProductArn)}`;
  if (finding.AwsAccountId !== caller) return `AwsAccountId must be the importing account ${caller} for the default product; got ${String(finding.AwsAccountId)}`;
  if (finding.SchemaVersion !== '2018-10-08') return `SchemaVersion must be 2018-10-08; got ${String(finding.SchemaVersion)}`;
  for (const field of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt']) {
    const value = finding[field];
    if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) return `${field} must be an ISO 8601 timestamp; got ${String(value)}`;
  }
  const severity = finding.Severity as { Label?: string; Normalized?: number } | undefined;
  if (!severity || (severity.Label === undefined && severity.Normalized === undefined)) return 'Severity.Label (or Severity.Normalized) is required';
  const types = finding.Types as string[] | undefined;
  if (!types?.length) return 'Types is required: at least one namespace/category/classifier type';
  for (const type of types) {
    if (!TYPE_NAMESPACES.includes(type.split('/')[0])) return `Type ${type} must start with one of the namespaces ${TYPE_NAMESPACES.join(', ')}`;
  }
  if (String(finding.Title).length > 256) return 'Title must be at most 256 characters';
  if (String(finding.Description).length > 1024) return 'Description must be at most 1024 characters';
  const resources = finding.Resources as unknown[];
  if (!Array.isArray(resources) || resources.length < 1 || resources.length > 32) return 'Resources must list 1 to 32 resources';
  if (Buffer.byteLength(JSON.stringify(finding)) > MAX_FINDING_BYTES) return 'The finding is larger than 240 KB';
  const workflow = (finding.Workflow as { Status?: string } | undefined)?.Status;
  if (workflow !== undefined && !WORKFLOW_STATUSES.includes(workflow)) return `Workflow.Status must be one of ${WORKFLOW_STATUSES.join(', ')}`;
  return undefined;
}

/** Fields only BatchUpdateFindings may change once a finding exists: a re-import keeps them. */
const CUSTOMER_FIELDS = ['Note', 'UserDefinedFields', 'VerificationState', 'Workflow', 'WorkflowState'];

export function importFinding(state: SandboxState, account: string, region: string, input: Record<string, unknown>, now: Date): void {
  const slot = state.get(securityHubSlot, account, region);
  const finding = JSON.parse(JSON.stringify(input)) as Finding;
  const existing = slot.imported[finding.Id];
  const severity = finding.Severity as { Label?: string; Normalized?: number };
  const label = severity.Label ?? catalog.severityLabel(severity.Normalized ?? 0);
  const stored: Finding = {
    ...finding,
    Region: region,
    ProductName: 'Default',
    CompanyName: 'Personal',
    Severity: { ...severity, Label: label, Normalized: severity.Normalized ?? catalog.SEVERITY_NORMALIZED[label] },
    RecordState: finding.RecordState ?? 'ACTIVE',
    Workflow: finding.Workflow ?? { Status: 'NEW' },
    WorkflowState: 'NEW',
    ProcessedAt: now.toISOString(),
    ProductFields: {
      ...(finding.ProductFields as Record<string, string> | undefined),
      'aws/securityhub/ProductName': 'Default', 'aws/securityhub/CompanyName': 'Personal',
      'aws/securityhub/FindingId': `${finding.ProductArn}/${finding.Id}`,
    },
  };
  if (existing) for (const field of CUSTOMER_FIELDS) if (existing[field] !== undefined) stored[field] = existing[field];
  slot.imported[finding.Id] = stored;
}

export interface UpdateInput {
  Note?: { Text?: string; UpdatedBy?: string };
  Severity?: { Label?: string; Normalized?: number; Product?: number };
  VerificationState?: string;
  Confidence?: number;
  Criticality?: number;
  Types?: string[];
  UserDefinedFields?: Record<string, string>;
  Workflow?: { Status?: string };
  RelatedFindings?: { ProductArn: string; Id: string }[];
}

/** BatchUpdateFindings on one located finding: imported findings change in place, control findings get an overlay. */
export function updateFinding(state: SandboxState, located: { account: string; region: string; kind: 'control' | 'imported'; finding: Finding }, input: UpdateInput, now: Date): void {
  const at = now.toISOString();
  const update: FindingUpdate = { UpdatedAt: at };
  if (input.Note) update.Note = { Text: input.Note.Text ?? '', UpdatedBy: input.Note.UpdatedBy ?? '', UpdatedAt: at };
  if (input.Severity) {
    const label = input.Severity.Label ?? catalog.severityLabel(input.Severity.Normalized ?? 0);
    update.Severity = { Label: label, Normalized: input.Severity.Normalized ?? catalog.SEVERITY_NORMALIZED[label] };
  }
  if (input.VerificationState) update.VerificationState = input.VerificationState;
  if (input.Confidence !== undefined) update.Confidence = input.Confidence;
  if (input.Criticality !== undefined) update.Criticality = input.Criticality;
  if (input.Types) update.Types = input.Types;
  if (input.UserDefinedFields) update.UserDefinedFields = input.UserDefinedFields;
  if (input.Workflow?.Status) update.Workflow = { Status: input.Workflow.Status };
  if (input.RelatedFindings) update.RelatedFindings = input.RelatedFindings;
  const slot = state.get(securityHubSlot, located.account, located.region);
  if (located.kind === 'imported') {
    slot.imported[located.finding.Id] = applyUpdate(slot.imported[located.finding.Id] as Finding, update);
  } else {
    const previous = slot.findingUpdates[located.finding.Id];
    slot.findingUpdates[located.finding.Id] = { ...previous, ...update };
  }
}
