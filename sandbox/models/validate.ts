import { shapeOf, type ServiceModel, type Shape } from './serviceModel';

export type ConstraintKind = 'required' | 'enum' | 'minLength' | 'maxLength' | 'minValue' | 'maxValue' | 'pattern';

/** One broken constraint of the service model, worded as AWS services word it. */
export interface Violation {
  /** Member path in the service's own style, e.g. `roleName` or `tags.1.member.key`. */
  path: string;
  kind: ConstraintKind;
  /** `Member must not be null`, `Member must have length less than or equal to 64`, ... */
  constraint: string;
  value: unknown;
}

/** AWS reports at most this many violations in one message. */
const MAX_REPORTED = 10;

const patternCache = new Map<string, RegExp | null>();

/** Botocore patterns are Java regular expressions matched against the whole value. */
function compiledPattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = null;
    for (const flags of ['u', '']) {
      try {
        compiled = new RegExp(`^(?:${pattern})$`, flags);
        break;
      } catch {
        // Not valid as a JavaScript pattern with these flags; try the next, else skip the check.
      }
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function sizeOf(value: unknown, shape: Shape): number | undefined {
  if (shape.type === 'string') return typeof value === 'string' ? value.length : undefined;
  if (shape.type === 'blob') return value instanceof Uint8Array ? value.length : undefined;
  if (shape.type === 'list') return Array.isArray(value) ? value.length : undefined;
  if (shape.type === 'map') return value && typeof value === 'object' ? Object.keys(value).length : undefined;
  return undefined;
}

/** Checks a handler input against its shape's required members, enums, lengths, ranges and patterns. */
export function validateInput(input: Record<string, unknown>, shapeName: string, model: ServiceModel): Violation[] {
  const violations: Violation[] = [];
  const visit = (value: unknown, shape: Shape, path: string) => {
    if (violations.length >= MAX_REPORTED) return;
    const size = sizeOf(value, shape);
    if (size !== undefined) {
      if (shape.min !== undefined && size < shape.min) {
        violations.push({ path, kind: 'minLength', constraint: `Member must have length greater than or equal to ${shape.min}`, value });
      } else if (shape.max !== undefined && size > shape.max) {
        violations.push({ path, kind: 'maxLength', constraint: `Member must have length less than or equal to ${shape.max}`, value });
      }
    }
    if ((shape.type === 'integer' || shape.type === 'long' || shape.type === 'double' || shape.type === 'float') && typeof value === 'number') {
      if (shape.min !== undefined && value < shape.min) {
        violations.push({ path, kind: 'minValue', constraint: `Member must have value greater than or equal to ${shape.min}`, value });
      } else if (shape.max !== undefined && value > shape.max) {
        violations.push({ path, kind: 'maxValue', constraint: `Member must have value less than or equal to ${shape.max}`, value });
      }
    }
    if (shape.type === 'string' && typeof value === 'string') {
      if (shape.enum && !shape.enum.includes(value)) {
        violations.push({ path, kind: 'enum', constraint: `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, value });
      } else if (shape.pattern) {
        const regex = compiledPattern(shape.pattern);
        if (regex && !regex.test(value)) {
          violations.push({ path, kind: 'pattern', constraint: `Member must satisfy regular expression pattern: ${shape.pattern}`, value });
        }
      }
    }
    if (shape.type === 'structure' && value && typeof value === 'object' && !shape.document) {
      const record = value as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (record[required] === undefined || record[required] === null) {
          violations.push({ path: path ? `${path}.${lowerFirst(required)}` : lowerFirst(required), kind: 'required', constraint: 'Member must not be null', value: null });
        }
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = record[name];
        if (member !== undefined && member !== null) visit(member, shapeOf(model, ref.shape), path ? `${path}.${lowerFirst(name)}` : lowerFirst(name));
      }
    } else if (shape.type === 'list' && Array.isArray(value) && shape.member) {
      const memberShape = shapeOf(model, shape.member.shape);
      value.forEach((item, i) => visit(item, memberShape, `${path}.${i + 1}.member`));
    } else if (shape.type === 'map' && value && typeof value === 'object' && shape.key && shape.value) {
      const keyShape = shapeOf(model, shape.key.shape);
      const valueShape = shapeOf(model, shape.value.shape);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        visit(k, keyShape, `${path}.${k}.key`);
        visit(v, valueShape, `${path}.${k}.value`);
      }
    }
  };
  visit(input, shapeOf(model, shapeName), '');
  return violations;
}

/** `1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: ...` */
export function violationMessage(violations: Violation[], hideValues = false): string {
  const parts = violations.map((v) => {
    const shown = v.value === null ? 'null' : hideValues ? '' : `'${typeof v.value === 'string' ? v.value : JSON.stringify(v.value)}' `;
    return `Value ${shown}${v.value === null ? ' ' : ''}at '${v.path}' failed to satisfy constraint: ${v.constraint}`.replace('  ', ' ');
  });
  return `${violations.length} validation error${violations.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}
