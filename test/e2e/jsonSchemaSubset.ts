/**
 * Checks a value against the subset of JSON Schema 2020-12 that `rampart schema` emits, so the
 * tests can prove an editor would accept the examples. Any keyword outside the subset fails loudly
 * rather than passing unchecked.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', 'description', 'default', 'format', 'title', '$defs']);

export function schemaErrors(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function check(root: Schema, schema: Schema, value: unknown, at: string, errors: string[]): void {
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const fail = (what: string) => errors.push(`${at}: ${what}`);
    switch (keyword) {
      case '$ref': {
        const name = String(arg).replace(/^#\/\$defs\//, '');
        check(root, (root.$defs as Record<string, Schema>)[name], value, at, errors);
        break;
      }
      case 'type':
        if (![arg].flat().some((type) => hasType(value, type as string))) fail(`expected ${String(arg)}, found ${JSON.stringify(value)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(value)) fail(`${JSON.stringify(value)} is not one of the allowed values`);
        break;
      case 'const':
        if (value !== arg) fail(`expected ${JSON.stringify(arg)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) fail(`${JSON.stringify(value)} does not match ${String(arg)}`);
        break;
      case 'minLength':
      case 'maxLength':
        if (typeof value === 'string' && (keyword === 'minLength' ? [...value].length < (arg as number) : [...value].length > (arg as number))) fail(`${keyword} ${String(arg)}`);
        break;
      case 'minimum':
      case 'maximum':
        if (typeof value === 'number' && (keyword === 'minimum' ? value < (arg as number) : value > (arg as number))) fail(`${keyword} ${String(arg)}`);
        break;
      case 'minItems':
      case 'maxItems':
        if (Array.isArray(value) && (keyword === 'minItems' ? value.length < (arg as number) : value.length > (arg as number))) fail(`${keyword} ${String(arg)}`);
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => check(root, arg as Schema, item, `${at}[${i}]`, errors));
        break;
      case 'required':
        if (isObject(value)) for (const key of arg as string[]) if (!(key in value)) fail(`missing required "${key}"`);
        break;
      case 'properties':
        if (isObject(value)) {
          for (const [key, sub] of Object.entries(arg as Record<string, Schema>)) if (key in value) check(root, sub, value[key], `${at}.${key}`, errors);
        }
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          const declared = Object.keys((schema.properties as Schema | undefined) ?? {});
          for (const key of Object.keys(value).filter((k) => !declared.includes(k))) {
            if (arg === false) fail(`unknown key "${key}"`);
            else check(root, arg as Schema, value[key], `${at}.${key}`, errors);
          }
        }
        break;
      case 'propertyNames':
        if (isObject(value)) for (const key of Object.keys(value)) check(root, arg as Schema, key, `${at} key "${key}"`, errors);
        break;
      case 'anyOf':
      case 'oneOf': {
        const passing = (arg as Schema[]).filter((option) => {
          const optionErrors: string[] = [];
          check(root, option, value, at, optionErrors);
          return optionErrors.length === 0;
        }).length;
        if (passing === 0 || (keyword === 'oneOf' && passing > 1)) fail(`${keyword}: ${passing} of ${(arg as Schema[]).length} options match`);
        break;
      }
      default:
        throw new Error(`JSON Schema keyword "${keyword}" at ${at} is outside the subset this check understands`);
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'integer': return Number.isInteger(value);
    case 'null': return value === null;
    default: return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
