import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts moto's server (the machines' Python) on a free loopback port. Returns a skip reason
 * where moto is not installed, unless RAMPART_REQUIRE_MOTO=1 (as in .ci/run) makes that a failure.
 */
export async function startMoto(): Promise<Moto | { skipped: string }> {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = 'Python moto is not installed (pip install "moto[server]")';
    if (process.env.RAMPART_REQUIRE_MOTO === '1') throw new Error(`${reason}; RAMPART_REQUIRE_MOTO=1 requires it`);
    return { skipped: reason };
  }
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await answers(endpoint))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`moto server did not start on ${endpoint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    }),
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/`);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
