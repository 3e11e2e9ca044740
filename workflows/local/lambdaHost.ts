import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A stand-in for the Lambda Node.js runtime, run as a child process by the local runner: it loads
 * a function's bundle (index.js, with settings.json beside it) and calls its handler with the
 * event, in an environment like Lambda's (the function's variables, credentials, AWS_ENDPOINT_URL;
 * the AWS SDK found on NODE_PATH, as the runtime provides it).
 */

type Handler = (event: unknown) => Promise<unknown>;

interface Invocation {
  id: number;
  codeDir: string;
  environment: Record<string, string>;
  event: unknown;
}

process.on('message', (message: Invocation) => {
  void (async () => {
    try {
      Object.assign(process.env, message.environment);
      const mod = (await import(pathToFileURL(path.join(message.codeDir, 'index.js')).href)) as { handler?: Handler; default?: { handler: Handler } };
      const handler = mod.handler ?? mod.default?.handler;
      if (!handler) throw new Error(`${message.codeDir}/index.js exports no handler`);
      const result = await handler(message.event);
      process.send?.({ id: message.id, result: result ?? null });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      process.send?.({ id: message.id, error: { name: err.name, message: err.message } });
    }
  })();
});
