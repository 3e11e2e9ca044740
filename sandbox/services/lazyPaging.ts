import { createHash } from 'node:crypto';
import type { AwsError } from '../errors';
import type { OperationModel } from '../models/serviceModel';

interface CursorBody {
  op: string;
  /** Digest of the query, so a token is only valid for the query that produced it. */
  q: string;
  /** Source index and item index within it of the next item. */
  s: number;
  i: number;
}

export interface LazyPageOptions {
  operation: OperationModel;
  token?: string;
  limit?: number;
  invalidToken(): AwsError;
  /** Whatever besides the token decides the result (filters, scope); a token from another query is refused. */
  query?: unknown;
}

function digest(query: unknown): string {
  return createHash('sha1').update(JSON.stringify(query ?? null)).digest('base64url').slice(0, 12);
}

/**
 * One page over a list too large to build: `sources` (accounts × Regions, say) are expanded one at
 * a time by `itemsAt`, so a page costs what it scans, not what the whole organization holds. The
 * token records where the next item is.
 */
export function pageLazily<T>(sourceCount: number, itemsAt: (source: number) => readonly T[], options: LazyPageOptions): { page: T[]; nextToken?: string } {
  const size = Math.max(1, Math.min(options.limit ?? options.operation.pageSize?.default ?? Number.MAX_SAFE_INTEGER, options.operation.pageSize?.max ?? Infinity));
  const q = digest(options.query);
  let source = 0;
  let item = 0;
  if (options.token !== undefined) {
    let body: CursorBody | undefined;
    try {
      body = JSON.parse(Buffer.from(options.token, 'base64url').toString('utf8')) as CursorBody;
    } catch {
      body = undefined;
    }
    if (!body || body.op !== options.operation.name || body.q !== q || !Number.isInteger(body.s) || !Number.isInteger(body.i) || body.s < 0 || body.i < 0) {
      throw options.invalidToken();
    }
    source = body.s;
    item = body.i;
  }
  const page: T[] = [];
  for (; source < sourceCount; source++, item = 0) {
    const items = itemsAt(source);
    for (; item < items.length; item++) {
      if (page.length === size) {
        return { page, nextToken: Buffer.from(JSON.stringify({ op: options.operation.name, q, s: source, i: item } satisfies CursorBody)).toString('base64url') };
      }
      page.push(items[item]);
    }
  }
  return { page };
}
