import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleHandler, scratchDir } from '../handlerBundle';

/**
 * DuckDB (the Parquet writer of the custom-source handlers) is a native module: it cannot be
 * bundled, so it ships as a Lambda layer with its Linux x64 binding, for x86_64 functions.
 */
const DUCKDB_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64', 'detect-libc'];
const NODE_MODULES = path.resolve(__dirname, '..', '..', 'node_modules');
const BUILTIN_PREFIX = 'builtin:';

let layerDir: string | undefined;
const codeDirs = new Map<string, CustomSourceCode>();

/** The layer directory: Lambda's Node.js runtime resolves modules from /opt/nodejs/node_modules. */
export function duckDbLayerDir(): string {
  if (layerDir) return layerDir;
  const dir = path.join(scratchDir(), 'duckdb-layer');
  for (const name of DUCKDB_PACKAGES) {
    const source = path.join(NODE_MODULES, name);
    if (!fs.existsSync(source)) throw new Error(`${name} is not installed (npm install); the custom-source Lambdas need it for Linux x64`);
    fs.cpSync(source, path.join(dir, 'nodejs', 'node_modules', name), { recursive: true, dereference: true });
  }
  layerDir = dir;
  return dir;
}

export interface CustomSourceCode {
  /** Code directory: the bundled handler and the one mapping file the source uses. */
  dir: string;
  /** The `mapping` setting that finds the file in the deployed code (Lambda runs in its code directory). */
  mappingSetting: string;
}

/**
 * The code of one custom source's function. A shipped mapping keeps its `builtin:<name>` under
 * mappings/ (where the bundled loader looks); a mapping from the configuration directory is copied
 * to source-mapping/ and named by that relative path.
 */
export function customSourceCode(handler: 'customSourceKinesis' | 'customSourceS3', configuredMapping: string, mappingPath: string): CustomSourceCode {
  const key = `${handler}|${configuredMapping}|${mappingPath}`;
  const cached = codeDirs.get(key);
  if (cached) return cached;
  // The S3 function maps log objects on mapping workers too: their script goes beside the handler.
  const workerScript = handler === 'customSourceS3' ? { mappingWorker: 'ocsf/mappingWorker.ts' } : undefined;
  const bundle = bundleHandler(handler, { external: ['@duckdb/*'], alongside: workerScript });
  const dir = path.join(scratchDir(), `${handler}-code-${codeDirs.size}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['index', ...Object.keys(workerScript ?? {})]) fs.copyFileSync(path.join(bundle, `${file}.js`), path.join(dir, `${file}.js`));
  const builtin = configuredMapping.startsWith(BUILTIN_PREFIX);
  const mappingSetting = builtin ? configuredMapping : `source-mapping/${path.basename(mappingPath)}`;
  const target = builtin ? path.join(dir, 'mappings', path.basename(mappingPath)) : path.join(dir, mappingSetting);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(mappingPath, target);
  const code = { dir, mappingSetting };
  codeDirs.set(key, code);
  return code;
}
