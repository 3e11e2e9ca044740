import { Readable } from 'node:stream';
import { dispatch, type SandboxCore } from '../dispatch';
import type { WireRequest } from '../protocols';

/** The parts of the SDK's HttpRequest FakeAws reads. */
export interface SdkHttpRequest {
  method: string;
  hostname: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An SDK v3 request handler (`requestHandler` client option) served by FakeAws in this process. */
export interface FakeRequestHandler {
  metadata: { handlerProtocol: string };
  handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }>;
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<unknown>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  }
  if (typeof (body as Blob).arrayBuffer === 'function') return Buffer.from(await (body as Blob).arrayBuffer());
  throw new Error(`FakeAws cannot read a request body of type ${Object.prototype.toString.call(body)}`);
}

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function queryOf(query: SdkHttpRequest['query']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query ?? {})) out[k] = v ?? '';
  return out;
}

export function inProcessHandler(core: SandboxCore): FakeRequestHandler {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request) {
      const wire: WireRequest = {
        method: request.method.toUpperCase(),
        path: request.path || '/',
        query: queryOf(request.query),
        headers: lowerCaseHeaders(request.headers),
        body: await readBody(request.body),
        hostname: request.hostname,
      };
      const response = await dispatch(core, wire, 'in-process');
      return {
        response: {
          statusCode: response.status,
          headers: { 'content-length': String(response.body.length), ...response.headers },
          body: response.streaming ? Readable.from([response.body]) : response.body,
        },
      };
    },
  };
}
