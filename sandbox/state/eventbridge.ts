import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { defineSlot, type SandboxState } from './sandboxState';
import { findTopic, publishToTopic } from './sns';

export interface RuleRecord {
  name: string;
  arn: string;
  bus: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  description?: string;
  roleArn?: string;
  tags: { Key: string; Value: string }[];
  /** Targets as the caller gave them (plain JSON), in the order added. */
  targets: ({ Id: string; Arn: string } & Record<string, unknown>)[];
}

export interface EventRecord {
  id: string;
  bus: string;
  /** The event as EventBridge hands it to targets. */
  event: {
    version: '0'; id: string; 'detail-type': string; source: string; account: string; time: string; region: string;
    resources: string[]; detail: unknown;
  };
  /** Rules that matched and the targets the event went to. */
  matched: { rule: string; targets: string[] }[];
}

export interface EventBridgeRegionState {
  /** Bus name → rule name → rule. The default bus always exists. */
  rules: Record<string, Record<string, RuleRecord>>;
  /** Every event put on a bus, oldest first. */
  events: EventRecord[];
}

export const eventBridgeSlot = defineSlot<EventBridgeRegionState>('events', () => ({ rules: {}, events: [] }));

/** EventBridge quotas: rules per event bus (adjustable) and targets per rule. */
export const EVENTBRIDGE_QUOTAS = { rulesPerBus: 300, targetsPerRule: 5 } as const;

/** Resolves `EventBusName` (a name or an ARN) to a bus of the caller's account and Region. */
export function busName(nameOrArn: string | undefined, account: string, region: string): string {
  const value = nameOrArn ?? 'default';
  const arn = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/.exec(value);
  const name = arn ? arn[3] : value;
  if ((arn && (arn[1] !== region || arn[2] !== account)) || name !== 'default') {
    throw new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
  }
  return name;
}

export function ruleArn(account: string, region: string, bus: string, name: string): string {
  return `arn:aws:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

// ── Event patterns ──────────────────────────────────────────────────────────────────────────
type Matcher = (value: unknown, present: boolean) => boolean;

function invalidPattern(reason: string): AwsError {
  return new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
}

function leafMatcher(spec: unknown): Matcher {
  if (spec === null || typeof spec === 'string' || typeof spec === 'number' || typeof spec === 'boolean') {
    return (value) => value === spec || (Array.isArray(value) && value.includes(spec));
  }
  if (typeof spec !== 'object' || Array.isArray(spec)) throw invalidPattern('Match value must be String, number, true, false, or null');
  const [[operator, operand], ...rest] = Object.entries(spec as Record<string, unknown>);
  if (rest.length) throw invalidPattern('Only one key allowed in match expression');
  const values = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  switch (operator) {
    case 'prefix':
      if (typeof operand !== 'string') throw invalidPattern('prefix match pattern must be a string');
      return (value) => values(value).some((v) => typeof v === 'string' && v.startsWith(operand));
    case 'suffix':
      if (typeof operand !== 'string') throw invalidPattern('suffix match pattern must be a string');
      return (value) => values(value).some((v) => typeof v === 'string' && v.endsWith(operand));
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw invalidPattern('equals-ignore-case match pattern must be a string');
      return (value) => values(value).some((v) => typeof v === 'string' && v.toLowerCase() === operand.toLowerCase());
    case 'exists':
      if (typeof operand !== 'boolean') throw invalidPattern('exists match pattern must be either true or false.');
      return (_value, present) => present === operand;
    case 'anything-but': {
      const inner = operand && typeof operand === 'object' && !Array.isArray(operand) ? leafMatcher(operand) : undefined;
      const excluded = inner ? [] : Array.isArray(operand) ? operand : [operand];
      return (value, present) => present && values(value).every((v) => (inner ? !inner(v, true) : !excluded.includes(v)));
    }
    case 'numeric': {
      if (!Array.isArray(operand) || operand.length % 2 !== 0) throw invalidPattern('Value of numeric must be an array.');
      const checks: [string, number][] = [];
      for (let i = 0; i < operand.length; i += 2) {
        if (!['=', '<', '<=', '>', '>='].includes(operand[i] as string) || typeof operand[i + 1] !== 'number') throw invalidPattern('Unrecognized numeric range operator');
        checks.push([operand[i] as string, operand[i + 1] as number]);
      }
      return (value) => values(value).some((v) => typeof v === 'number' && checks.every(([op, n]) => (
        op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : v >= n)));
    }
    default:
      throw invalidPattern(`Unrecognized match type ${operator}`);
  }
}

/** Compiles an event pattern; throws InvalidEventPatternException for a pattern EventBridge would refuse. */
export function compilePattern(text: string): (event: Record<string, unknown>) => boolean {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    throw invalidPattern('Filter is not an object');
  }
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) throw invalidPattern('Filter is not an object');
  const compileObject = (node: Record<string, unknown>): ((value: unknown) => boolean) => {
    const fields = Object.entries(node).map(([key, spec]) => {
      if (Array.isArray(spec)) {
        if (spec.length === 0) throw invalidPattern(`Empty arrays are not allowed`);
        const matchers = spec.map(leafMatcher);
        return (obj: Record<string, unknown>) => matchers.some((m) => m(obj[key], key in obj));
      }
      if (spec && typeof spec === 'object') {
        const inner = compileObject(spec as Record<string, unknown>);
        return (obj: Record<string, unknown>) => inner(obj[key]);
      }
      throw invalidPattern(`"${key}" must be an object or an array`);
    });
    return (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && fields.every((f) => f(value as Record<string, unknown>));
  };
  return compileObject(pattern as Record<string, unknown>);
}

const patternCache = new Map<string, (event: Record<string, unknown>) => boolean>();

function matches(rule: RuleRecord, event: EventRecord['event']): boolean {
  if (!rule.eventPattern || rule.state === 'DISABLED') return false;
  let matcher = patternCache.get(rule.eventPattern);
  if (!matcher) {
    matcher = compilePattern(rule.eventPattern);
    patternCache.set(rule.eventPattern, matcher);
  }
  return matcher(event as unknown as Record<string, unknown>);
}

/**
 * Puts an event on a bus: it is logged, matched against the bus's enabled rules, and delivered to
 * their targets. SNS topics in the sandbox receive it in their delivery log; other targets are
 * recorded as reached.
 */
export function putEvent(
  state: SandboxState, account: string, region: string, bus: string,
  entry: { source: string; detailType: string; detail: unknown; resources: string[]; time: Date },
  random: SeededRandom,
): EventRecord {
  const id = random.uuid();
  const event: EventRecord['event'] = {
    version: '0', id, 'detail-type': entry.detailType, source: entry.source, account, time: entry.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region, resources: entry.resources, detail: entry.detail,
  };
  const regionState = state.get(eventBridgeSlot, account, region);
  const record: EventRecord = { id, bus, event, matched: [] };
  for (const rule of Object.values(regionState.rules[bus] ?? {})) {
    if (!matches(rule, event)) continue;
    for (const target of rule.targets) {
      const topic = target.Arn.startsWith('arn:aws:sns:') ? findTopic(state, target.Arn) : undefined;
      if (topic) {
        const message = typeof target.Input === 'string' ? target.Input : JSON.stringify(event);
        publishToTopic(topic, { at: entry.time.toISOString(), message, attributes: {} }, random);
      }
    }
    record.matched.push({ rule: rule.name, targets: rule.targets.map((t) => t.Arn) });
  }
  regionState.events.push(record);
  return record;
}

/** Events put on a bus of an account and Region, for tests and the demo. */
export function busEvents(state: SandboxState, account: string, region: string, bus = 'default'): EventRecord[] {
  return (state.find(eventBridgeSlot, account, region)?.events ?? []).filter((e) => e.bus === bus);
}
