import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch, type SandboxCore } from '../dispatch';
import type { WireRequest } from '../protocols';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A loopback address only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
}

export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:4566`, for AWS_ENDPOINT_URL or a client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of search) {
    const existing = out[k];
    if (existing === undefined) out[k] = v;
    else out[k] = Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  return out;
}

/** Serves the sandbox over HTTP on a loopback address, for AWS_ENDPOINT_URL, bundled Lambdas and the AWS CLI. */
export async function listenLoopback(core: SandboxCore, options: ListenOptions = {}): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`FakeAws listens on loopback addresses only (127.0.0.1, ::1, localhost), not ${host}`);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawUrl = req.url ?? '/';
      const queryAt = rawUrl.indexOf('?');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const wire: WireRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt),
        query: queryAt < 0 ? {} : queryOf(new URLSearchParams(rawUrl.slice(queryAt + 1))),
        headers,
        body: Buffer.concat(chunks),
        hostname: (headers.host ?? host).replace(/:\d+$/, ''),
      };
      dispatch(core, wire, 'http').then(
        (response) => {
          res.writeHead(response.status, { 'content-length': String(response.body.length), ...response.headers });
          res.end(wire.method === 'HEAD' ? undefined : response.body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`FakeAws failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
