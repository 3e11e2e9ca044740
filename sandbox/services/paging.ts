import type { AwsError } from '../errors';
import type { OperationModel } from '../models/serviceModel';

interface TokenBody {
  /** Operation the token belongs to. */
  op: string;
  /** Offset of the next item. */
  o: number;
  /** Key of the next item, so deletions between pages do not skip or repeat items. */
  k?: string;
}

function encode(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function decode(token: string): TokenBody | undefined {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
    return typeof body.o === 'number' && typeof body.op === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

export interface PageOptions<T> {
  operation: OperationModel;
  token?: string;
  /** The caller's MaxResults/MaxItems/Limit; the operation's page size when absent. */
  limit?: number;
  invalidToken(): AwsError;
  keyOf?(item: T): string;
}

/**
 * One page of a list, with AWS-style opaque continuation tokens. Page size is the caller's limit
 * capped at the operation's maximum, or the operation's default page size.
 */
export function paginate<T>(items: readonly T[], options: PageOptions<T>): { page: T[]; nextToken?: string } {
  const size = Math.min(options.limit ?? options.operation.pageSize?.default ?? items.length, options.operation.pageSize?.max ?? Infinity);
  let start = 0;
  if (options.token !== undefined) {
    const body = decode(options.token);
    if (!body || body.op !== options.operation.name || body.o < 0) throw options.invalidToken();
    start = body.o;
    if (body.k !== undefined && options.keyOf && (start >= items.length || options.keyOf(items[start]) !== body.k)) {
      const moved = items.findIndex((item) => options.keyOf?.(item) === body.k);
      if (moved >= 0) start = moved;
    }
  }
  const page = items.slice(start, start + Math.max(size, 1));
  const next = start + page.length;
  if (next >= items.length) return { page };
  return { page, nextToken: encode({ op: options.operation.name, o: next, k: options.keyOf?.(items[next]) }) };
}
