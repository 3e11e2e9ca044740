/**
 * The rules every Rampart state machine keeps: JSONPath only (no JSONata, no variables), every Map
 * bounded, every Task retrying throttling with jitter and catching its failure.
 */
type State = Record<string, unknown>;
interface Definition {
  States: Record<string, State>;
  QueryLanguage?: string;
}

const JSONATA_FIELDS = ['Assign', 'Arguments', 'Output', 'Items'];

export function aslViolations(definition: Definition, where = 'definition'): string[] {
  const out: string[] = [];
  if (definition.QueryLanguage && definition.QueryLanguage !== 'JSONPath') out.push(`${where}: QueryLanguage ${definition.QueryLanguage}`);
  for (const [name, state] of Object.entries(definition.States)) {
    const at = `${where}.${name}`;
    if (state.QueryLanguage && state.QueryLanguage !== 'JSONPath') out.push(`${at}: QueryLanguage ${String(state.QueryLanguage)}`);
    for (const field of JSONATA_FIELDS) if (field in state) out.push(`${at}: ${field} (JSONata or variables)`);
    if (JSON.stringify(state).includes('{%')) out.push(`${at}: a JSONata expression`);
    if (state.Type === 'Map') {
      const max = state.MaxConcurrency;
      if (typeof max !== 'number' || max < 1) out.push(`${at}: unbounded Map (MaxConcurrency ${String(max)})`);
    }
    if (state.Type === 'Task') {
      const retries = (state.Retry as { ErrorEquals: string[]; JitterStrategy?: string }[] | undefined) ?? [];
      if (!retries.some((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException') && r.JitterStrategy === 'FULL')) out.push(`${at}: no throttling retry with full jitter`);
      if (!((state.Catch as unknown[] | undefined) ?? []).length) out.push(`${at}: no Catch`);
    }
    const nested = [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[] | undefined) ?? [])] as (Definition | undefined)[];
    nested.forEach((inner, i) => {
      if (inner) out.push(...aslViolations(inner, `${at}${state.Branches ? `.branch${i}` : ''}`));
    });
  }
  return out;
}

/** Every state of a definition, nested ones included. */
export function allStates(definition: Definition): [string, State][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, State][] => [
    [name, state],
    ...([state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[] | undefined) ?? [])] as (Definition | undefined)[]).flatMap((inner) => (inner ? allStates(inner) : [])),
  ]);
}
