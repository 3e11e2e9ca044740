import {
  INVENTORY_SCHEMA_VERSION, scopeRefKey, withScopes, type CollectionError, type Inventory, type InventoryMetadata, type ScopeRef, type ScopeSnapshot,
} from '../../engine/inventory';
import type { FindingSummary } from '../securityHub';
import { unknownScope, type InventoryPart } from './part';

/** A unit whose reader failed as a whole (e.g. its Lambda timed out): the scopes it owned are unknown with that error. */
export interface UnitFailure {
  unit: string;
  scopes: ScopeRef[];
  error: CollectionError;
}

export interface AssembleOptions {
  collectedAt: string;
  /** The Regions the collection covered. */
  regions: string[];
  parts: readonly InventoryPart[];
  failures?: readonly UnitFailure[];
  collector: string;
  durationMs?: number;
}

const NOT_COLLECTED: CollectionError = { code: 'NotCollected', message: 'no collector read this scope' };

/** The document before anything is read: every organization-level scope unknown, nothing else. */
export function emptyInventory(collectedAt: string, regions: string[], collector: string): Inventory {
  const unread = { status: 'unknown' as const, error: NOT_COLLECTED };
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    collectedAt,
    metadata: { collector, regions: [...regions], sources: [], callCounts: {} },
    organization: { structure: unread, policies: unread, trustedAccess: unread, delegatedAdministrators: unread },
    securityHub: {},
    securityLake: { regions: {} },
    config: { conformancePacks: {} },
    accessAnalyzer: { regions: {} },
    accounts: {},
  };
}

/**
 * One inventory from the parts the units wrote. A scope read ok by any part wins over the same
 * scope left unknown by another; failed units' scopes are unknown with their error; Security
 * Hub's failed-control findings go into the accounts' Security Hub scopes.
 */
export function assembleInventory(options: AssembleOptions): Inventory {
  const chosen = new Map<string, ScopeSnapshot>();
  const put = (snapshot: ScopeSnapshot) => {
    const key = scopeRefKey(snapshot.ref);
    const existing = chosen.get(key);
    if (existing?.state?.status === 'ok' && snapshot.state?.status !== 'ok') return;
    chosen.set(key, snapshot);
  };
  for (const failure of options.failures ?? []) for (const ref of failure.scopes) put(unknownScope(ref, failure.error));
  for (const part of options.parts) for (const snapshot of part.scopes) put(snapshot);

  const findingParts = options.parts.filter((p) => p.findings);
  if (findingParts.length) {
    const findings = new Map<string, FindingSummary>(findingParts.flatMap((p) => Object.entries(p.findings ?? {})));
    for (const [key, snapshot] of chosen) {
      const state = snapshot.state;
      if (snapshot.ref.kind !== 'securityhub.account' || state?.status !== 'ok' || !state.enabled) continue;
      const found = findings.get(`${snapshot.ref.accountId}|${snapshot.ref.region}`);
      chosen.set(key, { ref: snapshot.ref, state: { ...state, findings: found ?? { failedControlIds: [], activeBySeverity: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 } } } });
    }
  }

  const inventory = withScopes(emptyInventory(options.collectedAt, options.regions, options.collector), [...chosen.values()]);
  inventory.metadata = {
    collector: options.collector,
    regions: [...options.regions],
    sources: mergeSources(options.parts.flatMap((p) => p.sources)),
    callCounts: sumCalls(options.parts.map((p) => p.calls)),
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
  };
  return inventory;
}

function mergeSources(sources: InventoryMetadata['sources']): InventoryMetadata['sources'] {
  const merged = new Map<string, InventoryMetadata['sources'][number]>();
  for (const source of sources) {
    const key = `${source.scope}|${source.via}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...source, operations: [...source.operations] });
    else {
      existing.scopes += source.scopes;
      for (const op of source.operations) if (!existing.operations.includes(op)) existing.operations.push(op);
    }
  }
  return [...merged.values()].filter((s) => s.scopes > 0).sort((a, b) => a.scope.localeCompare(b.scope) || a.via.localeCompare(b.via));
}

export function sumCalls(counts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const count of counts) for (const [key, n] of Object.entries(count)) out[key] = (out[key] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
