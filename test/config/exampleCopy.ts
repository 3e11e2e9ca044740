import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A throw-away copy of a shipped example configuration, edited in small steps by a test. */
export class ExampleCopy {
  readonly dir: string;

  constructor(example = 'pci-org') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-config-'));
    fs.cpSync(path.join('config/examples', example), this.dir, { recursive: true });
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), 'utf8');
  }

  write(file: string, text: string): this {
    const target = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    return this;
  }

  remove(file: string): this {
    fs.rmSync(path.join(this.dir, file));
    return this;
  }

  /** Replaces text that must occur exactly once, so a change to the example breaks the test loudly. */
  replace(file: string, from: string, to: string): this {
    const text = this.read(file);
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`expected exactly one ${JSON.stringify(from)} in ${file}, found ${count}`);
    return this.write(file, text.replace(from, () => to));
  }

  append(file: string, text: string): this {
    return this.write(file, this.read(file) + text);
  }

  /** 1-based line and column where `text` first occurs in the file as it is now. */
  positionOf(file: string, text: string): { line: number; col: number } {
    const content = this.read(file);
    const offset = content.indexOf(text);
    if (offset < 0) throw new Error(`${JSON.stringify(text)} does not occur in ${file}`);
    const before = content.slice(0, offset).split('\n');
    return { line: before.length, col: before[before.length - 1].length + 1 };
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
