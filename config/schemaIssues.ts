import type { z } from 'zod';
import { describeValue, type ConfigIssue } from './errors';
import { formatFieldPath, type FieldPath, type SourceMap } from './source';
import { closest } from './suggest';

/** Turns zod issues into located, readable configuration issues. */
export function schemaIssues(schema: z.ZodType, data: unknown, error: z.ZodError, sourceMap: SourceMap): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  // Required fields whose misspelling is already reported as an unknown key with "did you mean".
  const misspelled = new Set<string>();
  for (const issue of error.issues) {
    const fieldPath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const found = valueAt(data, fieldPath);
    if (issue.code === 'unrecognized_keys') {
      const known = objectKeysAt(schema, fieldPath);
      for (const key of issue.keys) {
        const keyPath = [...fieldPath, key];
        const suggestion = closest(key, known);
        if (suggestion) misspelled.add(formatFieldPath([...fieldPath, suggestion]));
        out.push({
          ...sourceMap.locate(keyPath, true),
          field: formatFieldPath(keyPath),
          rule: 'schema.unknown-key',
          severity: 'error',
          found: `unknown key "${key}"`,
          expected: known.length ? `one of: ${known.join(', ')}` : 'no further keys here',
          hint: suggestion ? `did you mean "${suggestion}"?` : `remove "${key}"; unknown keys are rejected so typos never pass silently`,
        });
      }
      continue;
    }
    const base = { ...sourceMap.locate(fieldPath), field: formatFieldPath(fieldPath), severity: 'error' as const };
    if (found === undefined && fieldPath.length > 0) {
      const expected = issue.code === 'invalid_value' ? oneOf(issue.values.map(String)) : issue.code === 'invalid_type' ? `a ${issue.expected}` : issue.message;
      out.push({ ...base, rule: 'schema.missing', found: 'nothing', expected, hint: `add the required field "${String(fieldPath.at(-1))}"` });
      continue;
    }
    switch (issue.code) {
      case 'invalid_type': {
        const quoteHint = issue.expected === 'string' && (typeof found === 'number' || typeof found === 'boolean');
        out.push({
          ...base, rule: 'schema.type', found: describeValue(found), expected: `a ${issue.expected}`,
          hint: quoteHint ? `put the value in quotes, e.g. "${String(found)}" (YAML read it as a ${typeof found})` : `write a ${issue.expected} here`,
        });
        break;
      }
      case 'invalid_value': {
        const allowed = issue.values.map((v) => String(v));
        const suggestion = typeof found === 'string' ? closest(found, allowed) : undefined;
        out.push({
          ...base, rule: 'schema.enum', found: describeValue(found), expected: oneOf(allowed),
          hint: suggestion ? `did you mean "${suggestion}"?` : 'use one of the listed values',
        });
        break;
      }
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
        const what = issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : '';
        out.push({
          ...base, rule: 'schema.range', found: describeValue(found),
          expected: issue.message && !issue.message.startsWith('Too ') ? issue.message : `${bound} ${what}`.trim(),
          hint: issue.origin === 'array' ? 'add or remove entries' : 'change the value to fit the range',
        });
        break;
      }
      case 'invalid_format':
        out.push({ ...base, rule: 'schema.format', found: describeValue(found), expected: issue.message.startsWith('Invalid') ? `a valid ${issue.format}` : issue.message, hint: 'correct the value to the expected form' });
        break;
      default:
        out.push({ ...base, rule: `schema.${issue.code}`, found: describeValue(found), expected: issue.message, hint: 'correct the value to the expected form' });
    }
  }
  return out.filter((issue) => !(issue.rule === 'schema.missing' && misspelled.has(issue.field)));
}

/** The allowed values, shortened when there are too many to read in one line. */
function oneOf(values: readonly string[]): string {
  const shown = 12;
  if (values.length <= shown) return `one of: ${values.join(', ')}`;
  return `one of ${values.length} values: ${values.slice(0, shown).join(', ')}, ... (rampart schema lists them all)`;
}

function valueAt(data: unknown, fieldPath: FieldPath): unknown {
  let current: unknown = data;
  for (const part of fieldPath) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Unwraps optional/default/lazy/pipe layers to reach the schema that shapes the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
  return current;
}

function objectKeysAt(schema: z.ZodType, fieldPath: FieldPath): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const part of fieldPath) {
    if (!current) return [];
    const def = defOf(current);
    if (def.type === 'object' && typeof part === 'string') current = def.shape?.[part];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'union') current = def.options?.find((o) => defOf(unwrap(o)).type === 'array' || defOf(unwrap(o)).type === 'object');
    else return [];
    current = current ? unwrap(current) : undefined;
  }
  const def = current ? defOf(current) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
