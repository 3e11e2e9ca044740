import type { SeededRandom } from '../random';

/** Which calls a fault hits; an omitted field matches everything. Services are botocore names (`organizations`, `s3`, ...). */
export interface FaultScope {
  accounts?: string[];
  regions?: string[];
  services?: string[];
  operations?: string[];
}

export type FaultKind = 'accessDenied' | 'regionOutage' | 'throttling' | 'failure';

/** What a fault makes the service answer: its own AccessDenied/throttling error, or the error named here. */
export interface FaultOutcome {
  kind: FaultKind;
  error?: { code: string; status: number; message: string };
}

interface FaultRule {
  id: number;
  kind: FaultKind;
  scope: FaultScope;
  /** Probability a matching call is hit (throttling storms). */
  probability: number;
  /** Matching calls to let through before the fault starts (failure after N calls). */
  passFirst: number;
  /** Faults left to inject; Infinity for as long as the rule stands. */
  remaining: number;
  /** Epoch ms after which the rule lapses. */
  untilMs: number;
  seen: number;
  error?: { code: string; status: number; message: string };
}

export interface FaultHandle {
  readonly id: number;
  /** How many calls this fault has failed so far. */
  readonly injected: number;
  clear(): void;
}

export interface CallTarget {
  service: string;
  operation: string;
  account: string;
  region: string;
}

function matches(scope: FaultScope, call: CallTarget): boolean {
  return (!scope.accounts || scope.accounts.includes(call.account))
    && (!scope.regions || scope.regions.includes(call.region))
    && (!scope.services || scope.services.includes(call.service))
    && (!scope.operations || scope.operations.includes(call.operation));
}

/**
 * Injected faults: AccessDenied in chosen accounts, a Region outage, a throttling storm, a failure
 * after N calls. Randomness (storm probability) comes from the sandbox's seeded generator, so a run
 * with the same seed and calls fails the same calls.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private readonly injectedById = new Map<number, number>();

  constructor(private readonly nowMs: () => number) {}

  /** Every matching call is denied, as if an SCP or a missing permission blocked it. */
  accessDenied(scope: FaultScope & { times?: number }): FaultHandle {
    return this.add({ kind: 'accessDenied', scope, times: scope.times });
  }

  /** The Region answers ServiceUnavailable (HTTP 503) to every matching call. */
  regionOutage(region: string, scope: Omit<FaultScope, 'regions'> & { durationMs?: number } = {}): FaultHandle {
    return this.add({ kind: 'regionOutage', scope: { ...scope, regions: [region] }, durationMs: scope.durationMs });
  }

  /** Matching calls are throttled with the service's throttling error, with the given probability. */
  throttlingStorm(scope: FaultScope & { probability?: number; durationMs?: number; times?: number } = {}): FaultHandle {
    return this.add({ kind: 'throttling', scope, probability: scope.probability, durationMs: scope.durationMs, times: scope.times });
  }

  /** After `calls` matching calls succeed, the following ones fail (`times` of them, default all). */
  failAfter(calls: number, scope: FaultScope & { times?: number; error?: { code: string; status?: number; message?: string } } = {}): FaultHandle {
    const error = {
      code: scope.error?.code ?? 'InternalFailure',
      status: scope.error?.status ?? 500,
      message: scope.error?.message ?? 'The request processing has failed because of an unknown error, exception or failure.',
    };
    return this.add({ kind: 'failure', scope, passFirst: calls, times: scope.times, error });
  }

  clear(): void {
    this.rules = [];
  }

  get active(): number {
    return this.rules.length;
  }

  /** The fault a call runs into, if any (rules are checked in the order they were added). */
  check(call: CallTarget, random: SeededRandom): FaultOutcome | undefined {
    if (this.rules.length === 0) return undefined;
    const now = this.nowMs();
    for (const rule of this.rules) {
      if (rule.untilMs <= now || rule.remaining <= 0 || !matches(rule.scope, call)) continue;
      rule.seen += 1;
      if (rule.seen <= rule.passFirst) continue;
      if (rule.probability < 1 && random.next() >= rule.probability) continue;
      rule.remaining -= 1;
      this.injectedById.set(rule.id, (this.injectedById.get(rule.id) ?? 0) + 1);
      return { kind: rule.kind, error: rule.error };
    }
    return undefined;
  }

  private add(options: { kind: FaultKind; scope: FaultScope; probability?: number; passFirst?: number; times?: number; durationMs?: number; error?: FaultRule['error'] }): FaultHandle {
    const { times: _times, durationMs: _duration, probability: _probability, error: _error, ...scope } = options.scope as FaultScope & Record<string, unknown>;
    const rule: FaultRule = {
      id: this.nextId++,
      kind: options.kind,
      scope: scope as FaultScope,
      probability: options.probability ?? 1,
      passFirst: options.passFirst ?? 0,
      remaining: options.times ?? Infinity,
      untilMs: options.durationMs !== undefined ? this.nowMs() + options.durationMs : Infinity,
      seen: 0,
      error: options.error,
    };
    this.rules.push(rule);
    const injected = this.injectedById;
    const remove = () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
    return {
      id: rule.id,
      get injected() {
        return injected.get(rule.id) ?? 0;
      },
      clear: remove,
    };
  }
}
