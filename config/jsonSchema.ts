import { z } from 'zod';
import { CONFIG_FILES } from './model';
import { replacementsSchema } from './schema/replacements';

/** JSON Schema (draft 2020-12) for each configuration file, derived from the zod schemas. */
export function configJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of Object.values(CONFIG_FILES)) {
    out[spec.file] = z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any' });
  }
  out['replacements.yaml'] = z.toJSONSchema(replacementsSchema, { io: 'input' });
  return out;
}
