import type { CollectionError, InventoryMetadata, ScopeRef, ScopeSnapshot, ScopeState } from '../../engine/inventory';
import type { FindingSummary } from '../securityHub';
import { toCollectionError } from '../clients';

/**
 * What one collection unit read: scopes (each ok or unknown with its error), how it read them,
 * the API calls it made, and, from Security Hub's view, failed-control findings per account and
 * Region. Parts are written as JSON (to S3 between workflow steps) and assembled into one inventory.
 */
export interface InventoryPart {
  unit: string;
  scopes: ScopeSnapshot[];
  sources: InventoryMetadata['sources'];
  calls: Record<string, number>;
  /** `<account>|<region>` → failed control findings, merged into the Security Hub scopes at assembly. */
  findings?: Record<string, FindingSummary>;
}

export function okScope(ref: ScopeRef, data: object): ScopeSnapshot {
  return { ref, state: { status: 'ok', ...data } as ScopeState };
}

export function unknownScope(ref: ScopeRef, error: CollectionError): ScopeSnapshot {
  return { ref, state: { status: 'unknown', error } };
}

/** Reads one scope: ok with the data, or unknown with the error; never a partly read scope. */
export async function readScopeSafely(ref: ScopeRef, read: () => Promise<object>): Promise<ScopeSnapshot> {
  try {
    return okScope(ref, await read());
  } catch (error) {
    return unknownScope(ref, toCollectionError(error));
  }
}

/** One metadata.sources entry: how many scopes of a kind were read, from an aggregate or per account. */
export function sourceOf(scope: ScopeRef['kind'], via: 'aggregate' | 'per-account', operations: string[], scopes: number): InventoryMetadata['sources'][number] {
  return { scope, via, operations, scopes };
}
