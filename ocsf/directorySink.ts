import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectSink } from './lakeWriter';

/** Writes objects as files under a directory, keys as relative paths: what `rampart transform` produces. */
export class DirectorySink implements ObjectSink {
  constructor(readonly root: string) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    const file = path.resolve(this.root, ...key.split("/"));
    if (!file.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`object key ${key} escapes ${this.root}`);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(file, body);
  }
}
