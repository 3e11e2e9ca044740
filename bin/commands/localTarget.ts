import * as fs from 'node:fs';
import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { FakeAws } from '../../sandbox';

/**
 * What the drift, remediate, snapshot and approve commands share: the configuration, and the
 * sandbox they run against (a state file loaded in this process and saved back, or a served one).
 */

/** A command that cannot run: printed as one line with how to fix it, exit code 2. */
export class CannotRun extends Error {}

export interface TargetOptions {
  config: string;
  state?: string;
  endpoint?: string;
}

export function loadConfigOrStop(dir: string): RampartConfig {
  const result = loadConfig(dir);
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (!result.config || errors.length) {
    for (const issue of errors.slice(0, 20)) console.error(formatIssue(issue));
    throw new CannotRun(`${dir}: the configuration is invalid (${errors.length} error(s)); fix it first (rampart validate ${dir})`);
  }
  return result.config;
}

export function loadSandbox(file: string): FakeAws {
  if (!fs.existsSync(file)) throw new CannotRun(`${file}: no such sandbox state; create one with rampart sandbox init --config DIR --state ${file}`);
  try {
    return FakeAws.load(file);
  } catch (error) {
    throw new CannotRun(`${file}: not a sandbox state file (${(error as Error).message}); create one with rampart sandbox init`);
  }
}

export function requireTarget(options: TargetOptions, command: string): void {
  if (options.state && options.endpoint) throw new CannotRun(`${command}: give --state FILE or --endpoint URL, not both`);
  if (!options.state && !options.endpoint) {
    throw new CannotRun(`${command} runs the workflows locally against a sandbox: pass --state FILE (rampart sandbox init) or --endpoint URL (rampart sandbox serve)`);
  }
  if (options.endpoint && !/^https?:\/\/[^/]+/.test(options.endpoint)) throw new CannotRun(`--endpoint ${options.endpoint}: expected a URL such as http://127.0.0.1:4566`);
}

/** Runs a command body with the CLI's exit codes: its own (0 or 1), or 2 when it cannot run. */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    if (error instanceof CannotRun) {
      console.error(`rampart: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(`rampart: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}

export function accountIdOf(config: RampartConfig, name: string, fake?: FakeAws): string | undefined {
  const account = config.organization.accounts.find((a) => a.name === name);
  if (account?.id) return account.id;
  const live = fake?.organization?.accounts().find((a) => a.email.toLowerCase() === account?.email.toLowerCase() || a.name === name);
  return live?.id;
}
