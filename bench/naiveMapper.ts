/**
 * The baseline: a mapper that works the way the transformation library describes its own — for every
 * event, walk the mapping tree, split each `$.a.b` path and walk the event along it, resolve enums by
 * looking the evaluated value up as a string, and keep every value as a string.
 */
type Node = string | number | boolean | null | Node[] | { [key: string]: Node };

function resolvePath(event: unknown, path: string): unknown {
  let current: unknown = event;
  for (const part of path.slice(2).split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function mapNode(node: Node, event: unknown): unknown {
  if (typeof node === 'string') {
    if (!node.startsWith('$.')) return node;
    const value = resolvePath(event, node);
    return value === undefined || value === null ? undefined : String(value);
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  if ('enum' in node) {
    const spec = node.enum as { evaluate: string; values: Record<string, Node>; other?: Node };
    const key = String(resolvePath(event, spec.evaluate));
    const value = key in spec.values ? spec.values[key] : spec.other;
    return value === undefined ? undefined : String(value);
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    const value = mapNode(child, event);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function naiveMapper(mappingDocument: unknown): (event: unknown) => unknown {
  const events = (mappingDocument as { custom_source_events: { matched_field: string; ocsf_mapping: Record<string, { schema_mapping: Node }> } }).custom_source_events;
  return (event) => {
    const matched = String(resolvePath(event, events.matched_field));
    const entry = events.ocsf_mapping[matched];
    if (!entry) throw new Error(`no mapping for ${matched}`);
    return mapNode(entry.schema_mapping, event);
  };
}
