import { z } from 'zod';
import { CONFIG_FILES } from './model';
import { replacementsSchema } from './schema/replacements';

/** What a `{{ name }}` replacement looks like before the loader substitutes it. */
const REPLACEMENT = { type: 'string', pattern: '\\{\\{\\s*[A-Za-z_][\\w.-]*\\s*\\}\\}', description: 'A {{ name }} defined in replacements.yaml' };

/**
 * JSON Schema (draft 2020-12) for each configuration file, derived from the zod schemas. The
 * schemas describe files as written, so any constrained scalar may also be a `{{ name }}`.
 */
export function configJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of Object.values(CONFIG_FILES)) {
    out[spec.file] = z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any', override: ({ jsonSchema }) => allowReplacement(jsonSchema) });
  }
  out['replacements.yaml'] = z.toJSONSchema(replacementsSchema, { io: 'input' });
  return out;
}

function allowReplacement(schema: Record<string, unknown>): void {
  const constrained = schema.enum !== undefined || schema.pattern !== undefined || schema.format !== undefined || ['number', 'integer', 'boolean'].includes(schema.type as string);
  if (!constrained || schema.anyOf !== undefined) return;
  const { description, default: defaultValue, ...value } = schema;
  for (const key of Object.keys(schema)) delete schema[key];
  Object.assign(schema, { ...(description !== undefined ? { description } : {}), ...(defaultValue !== undefined ? { default: defaultValue } : {}), anyOf: [value, REPLACEMENT] });
}
