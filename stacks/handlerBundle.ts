import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const HANDLERS_DIR = path.resolve(__dirname, '..', 'handlers');
const bundles = new Map<string, string>();
let bundleRoot: string | undefined;

/** Scratch space for this process's bundles; CDK copies each into the cloud assembly, so it goes at exit. */
export function scratchDir(): string {
  if (!bundleRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-handlers-'));
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    bundleRoot = root;
  }
  return bundleRoot;
}

/**
 * Bundles a Lambda handler (a file under handlers/, without extension) with esbuild's
 * in-process API and returns the directory holding index.js. Offline and Docker-free by
 * construction; each handler is bundled once per process. The AWS SDK v3 stays external: the
 * Lambda Node.js runtime provides it; `external` names further packages a layer provides, and
 * `alongside` bundles further entry points (name → path from the project root) into the same directory.
 */
export function bundleHandler(handler: string, options: { external?: string[]; alongside?: Record<string, string> } = {}): string {
  const external = ['@aws-sdk/*', ...(options.external ?? [])];
  const alongside = Object.entries(options.alongside ?? {});
  const cacheKey = `${handler}|${external.join(',')}|${alongside.flat().join(',')}`;
  const cached = bundles.get(cacheKey);
  if (cached) return cached;
  const entry = path.join(HANDLERS_DIR, `${handler}.ts`);
  if (!fs.existsSync(entry)) throw new Error(`no Lambda handler at ${entry}`);
  const outdir = path.join(scratchDir(), handler.replace(/[\\/]/g, '-'));
  buildSync({
    // Further entry points (worker scripts) become <name>.js beside index.js.
    entryPoints: { index: entry, ...Object.fromEntries(alongside.map(([name, file]) => [name, path.resolve(HANDLERS_DIR, '..', file)])) },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    external,
    logLevel: 'silent',
  });
  bundles.set(cacheKey, outdir);
  return outdir;
}
