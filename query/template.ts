import { tokenize, untokenize, where } from './sqlTokens';

/**
 * Deployment-time values put into a query file's `${name}` slots: database and table names
 * (identifiers) and whole numbers such as the look-back window. They become SQL text, so they
 * are checked strictly rather than quoted.
 */
export type TemplateValues = Readonly<Record<string, string | number>>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class TemplateError extends Error {}

export function renderTemplate(sql: string, values: TemplateValues, source: string): string {
  const tokens = tokenize(sql);
  const missing = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'template') continue;
    const name = token.name as string;
    const value = values[name];
    if (value === undefined) {
      missing.add(`\${${name}} (${where(sql, token.at)})`);
      continue;
    }
    token.text = templateText(name, value, source);
  }
  if (missing.size > 0) {
    throw new TemplateError(`${source}: no value for ${[...missing].join(', ')}; pass it in the template values`);
  }
  return untokenize(tokens);
}

function templateText(name: string, value: string | number, source: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TemplateError(`${source}: \${${name}} must be a whole number of 0 or more, found ${value}`);
    }
    return String(value);
  }
  if (!IDENTIFIER.test(value)) {
    throw new TemplateError(
      `${source}: \${${name}} must be a database or table name (letters, digits and "_", not starting with a digit), found ${JSON.stringify(value)}`,
    );
  }
  return value;
}
