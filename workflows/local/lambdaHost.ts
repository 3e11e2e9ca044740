import * as path from 'node:path';

/**
 * A stand-in for the Lambda Node.js runtime, run as a child process by the local runner: it loads
 * a function's bundle (index.js, with settings.json beside it) and calls its handler with the
 * event, in an environment like Lambda's (the function's variables, credentials, AWS_ENDPOINT_URL;
 * the AWS SDK found on NODE_PATH, as the runtime provides it).
 */

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
      const mod = require(path.join(message.codeDir, 'index.js')) as { handler: (event: unknown) => Promise<unknown> };
      const result = await mod.handler(message.event);
      process.send?.({ id: message.id, result: result ?? null });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      process.send?.({ id: message.id, error: { name: err.name, message: err.message } });
    }
  })();
});
