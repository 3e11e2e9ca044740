import type { NamedQueryDefinition, ParameterDefinition } from './catalog';

export type ParameterValues = Record<string, string | number>;

/** A parameter a user gave that cannot be used; the message says what was expected. */
export class QueryParameterError extends Error {}

/** Splits `name=value` arguments; the value may itself contain "=". */
export function parseParameterArguments(args: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new QueryParameterError(`parameter "${arg}": expected name=value, e.g. days=30`);
    const name = arg.slice(0, eq).trim();
    if (name in values) throw new QueryParameterError(`parameter "${name}" is given twice`);
    values[name] = arg.slice(eq + 1);
  }
  return values;
}

/**
 * Checks the given values against the query's parameters, converts them to their types and
 * fills in defaults. A look-back parameter may not reach past the views' own window: the rows
 * beyond it are not in the views, so the answer would silently be short.
 */
export function resolveParameters(
  query: NamedQueryDefinition,
  given: Readonly<Record<string, string | number | undefined>>,
  lookbackDays: number,
): ParameterValues {
  const known = new Set(query.parameters.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !known.has(name)) {
      throw new QueryParameterError(
        query.parameters.length === 0
          ? `${query.name} takes no parameters, found "${name}"`
          : `${query.name} has no parameter "${name}"; its parameters are ${query.parameters.map((p) => p.name).join(', ')}`,
      );
    }
  }
  const resolved: ParameterValues = {};
  for (const parameter of query.parameters) {
    const raw = given[parameter.name] ?? parameter.default;
    if (raw === undefined) {
      throw new QueryParameterError(`${query.name} needs parameter "${parameter.name}" (${parameter.description}), e.g. ${parameter.name}=${example(parameter)}`);
    }
    resolved[parameter.name] = convert(query, parameter, raw, lookbackDays);
  }
  return resolved;
}

function convert(query: NamedQueryDefinition, parameter: ParameterDefinition, raw: string | number, lookbackDays: number): string | number {
  const label = `${query.name} parameter ${parameter.name}=${JSON.stringify(raw)}`;
  if (parameter.type === 'string') {
    const value = String(raw);
    if (value.trim() === '') throw new QueryParameterError(`${label}: expected a non-empty value (${parameter.description})`);
    return value;
  }
  const value = typeof raw === 'number' ? raw : /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw new QueryParameterError(`${label}: expected a whole number (${parameter.description}), e.g. ${parameter.name}=${example(parameter)}`);
  if (parameter.min !== undefined && value < parameter.min) throw new QueryParameterError(`${label}: expected at least ${parameter.min}`);
  if (parameter.max !== undefined && value > parameter.max) throw new QueryParameterError(`${label}: expected at most ${parameter.max}`);
  const limit = parameter.window === 'day' ? lookbackDays : parameter.window === 'hour' ? lookbackDays * 24 : undefined;
  if (limit !== undefined && value > limit) {
    throw new QueryParameterError(
      `${label}: reaches past the views' look-back window of ${lookbackDays} days; use at most ${limit} or widen the views' window (--lookback-days, lookbackDays)`,
    );
  }
  return value;
}

function example(parameter: ParameterDefinition): string {
  return parameter.example ?? String(parameter.default ?? (parameter.type === 'integer' ? 1 : 'value'));
}
