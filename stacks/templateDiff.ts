/** A CloudFormation template, as far as the plan reads it. */
export interface CfnTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

export interface ResourceChange {
  change: 'add' | 'remove' | 'change';
  logicalId: string;
  type: string;
  /** The resource's own name where it has one (OU name, policy name, source name...). */
  label: string;
  /** For a change: one line per changed property value. */
  details: string[];
}

export interface StackPlan {
  stack: string;
  status: 'new' | 'removed' | 'changed' | 'unchanged';
  changes: ResourceChange[];
}

/** Properties that name a resource, in the order they are tried. */
const NAME_PROPERTIES = [
  'Name', 'PolicyName', 'SourceName', 'SubscriberName', 'OrganizationConformancePackName', 'ConfigurationAggregatorName',
  'AnalyzerName', 'StackSetName', 'RoleName', 'AliasName', 'ConfigRuleName',
];

/** Array items that carry one of these keys are matched by it, not by position. */
const ITEM_KEYS = ['OrganizationalUnitId', 'SourceName', 'Key', 'RuleName', 'TargetId', 'ParameterName'];

const ACCOUNT_ID_LIST = /^\d{12}(,\d{12})*$/;

/** Per stack, what a new cloud assembly adds, changes and removes compared with a previous one. */
export function planStacks(before: Record<string, CfnTemplate>, after: Record<string, CfnTemplate>): StackPlan[] {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return names.map((stack) => {
    const changes = diffTemplates(before[stack], after[stack]);
    const status = !before[stack] ? 'new' : !after[stack] ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
    return { stack, status, changes };
  });
}

export function diffTemplates(before: CfnTemplate | undefined, after: CfnTemplate | undefined): ResourceChange[] {
  const old = before?.Resources ?? {};
  const now = after?.Resources ?? {};
  const changes: ResourceChange[] = [];
  for (const [logicalId, resource] of Object.entries(now)) {
    const previous = old[logicalId];
    if (!previous || previous.Type !== resource.Type) {
      if (previous) changes.push(describe('remove', logicalId, previous));
      changes.push(describe('add', logicalId, resource));
      continue;
    }
    const details = diffValues(previous.Properties ?? {}, resource.Properties ?? {}, '');
    if (details.length > 0) changes.push({ ...describe('change', logicalId, resource), details });
  }
  for (const [logicalId, resource] of Object.entries(old)) {
    if (!now[logicalId]) changes.push(describe('remove', logicalId, resource));
  }
  return changes;
}

function describe(change: ResourceChange['change'], logicalId: string, resource: { Type: string; Properties?: Record<string, unknown> }): ResourceChange {
  const props = resource.Properties ?? {};
  const name = NAME_PROPERTIES.map((key) => props[key]).find((value) => typeof value === 'string');
  return { change, logicalId, type: resource.Type, label: typeof name === 'string' ? name : logicalId, details: [] };
}

/** One line per difference, with paths like `Placements[OuWorkloadsPci.Id].AccountIds`. */
function diffValues(before: unknown, after: unknown, path: string): string[] {
  if (isIntrinsic(before) || isIntrinsic(after) || !isObject(before) || !isObject(after)) {
    if (Array.isArray(before) && Array.isArray(after)) return diffArrays(before, after, path);
    if (typeof before === 'string' && typeof after === 'string' && ACCOUNT_ID_LIST.test(before) && ACCOUNT_ID_LIST.test(after)) {
      return setDifference(before.split(','), after.split(','), path);
    }
    return same(before, after) ? [] : [`${path || '(value)'}: ${render(before)} -> ${render(after)}`];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((key) => diffValues(before[key], after[key], path ? `${path}.${key}` : key));
}

function diffArrays(before: unknown[], after: unknown[], path: string): string[] {
  if ([...before, ...after].every((item) => !isObject(item) || isIntrinsic(item))) {
    return setDifference(before.map(render), after.map(render), path);
  }
  const keyOf = (item: unknown, index: number): string => {
    if (isObject(item) && !isIntrinsic(item)) {
      const key = ITEM_KEYS.find((k) => k in item);
      if (key) return render(item[key]);
    }
    return String(index);
  };
  const oldItems = new Map(before.map((item, i) => [keyOf(item, i), item]));
  const newItems = new Map(after.map((item, i) => [keyOf(item, i), item]));
  const lines: string[] = [];
  for (const [key, item] of newItems) {
    const itemPath = `${path}[${key}]`;
    lines.push(...(oldItems.has(key) ? diffValues(oldItems.get(key), item, itemPath) : [`${itemPath}: added`]));
  }
  for (const key of oldItems.keys()) if (!newItems.has(key)) lines.push(`${path}[${key}]: removed`);
  return lines;
}

function setDifference(before: string[], after: string[], path: string): string[] {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  if (added.length === 0 && removed.length === 0) return [];
  return [`${path}: ${[...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(' ')}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntrinsic(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 1 && (Object.keys(value)[0] === 'Ref' || Object.keys(value)[0].startsWith('Fn::'));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Short rendering: references as their target, long values cut. */
function render(value: unknown): string {
  if (value === undefined) return '(none)';
  if (isObject(value) && 'Ref' in value) return String(value.Ref);
  if (isObject(value) && Array.isArray(value['Fn::GetAtt'])) return (value['Fn::GetAtt'] as string[]).join('.');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
