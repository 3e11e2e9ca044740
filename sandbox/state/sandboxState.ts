import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeededRandom } from '../random';
import { Organization, type OrganizationData } from './organization';

/**
 * A named piece of per-account × Region service state, created on first use. Values must be plain
 * JSON data (objects, arrays, strings, numbers, booleans): the whole sandbox is saved with
 * JSON.stringify. `global` slots (IAM, Organizations-style services) live under the pseudo-Region
 * `global`.
 */
export interface StateSlot<T> {
  readonly name: string;
  readonly global: boolean;
  create(): T;
}

export function defineSlot<T>(name: string, create: () => T, options: { global?: boolean } = {}): StateSlot<T> {
  return { name, create, global: options.global ?? false };
}

export const GLOBAL_REGION = 'global';

/** Temporary credentials handed out by AssumeRole. */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: string;
  roleName: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SandboxStateFile {
  format: 'rampart-fakeaws-state';
  version: 1;
  seed: number;
  randomPosition: number;
  organization: OrganizationData | null;
  services: Record<string, Record<string, Record<string, unknown>>>;
  sessions: Record<string, SessionRecord>;
  quotas: Record<string, Record<string, number>>;
}

const FORMAT = 'rampart-fakeaws-state';

/**
 * Everything the sandbox knows: the organization, per account × Region service state (sparse:
 * an account or Region appears only once something is stored for it), live sessions and quota
 * overrides. Aggregate views are computed from this same state, never kept beside it.
 */
export class SandboxState {
  organization: Organization | undefined;
  readonly random: SeededRandom;
  readonly seed: number;
  /** account → Region → slot name → value */
  private readonly services: Record<string, Record<string, Record<string, unknown>>>;
  readonly sessions: Map<string, SessionRecord>;
  private readonly quotas: Record<string, Record<string, number>>;

  constructor(seed = 1, file?: SandboxStateFile) {
    this.seed = file?.seed ?? seed;
    this.random = new SeededRandom(this.seed);
    if (file) this.random.position = file.randomPosition;
    this.organization = file?.organization ? new Organization(file.organization) : undefined;
    this.services = file?.services ?? {};
    this.sessions = new Map(Object.entries(file?.sessions ?? {}));
    this.quotas = file?.quotas ?? {};
  }

  /** The slot's value for an account and Region, created on first use. */
  get<T>(slot: StateSlot<T>, account: string, region: string): T {
    const regions = (this.services[account] ??= {});
    const slots = (regions[slot.global ? GLOBAL_REGION : region] ??= {});
    let value = slots[slot.name] as T | undefined;
    if (value === undefined) {
      value = slot.create();
      slots[slot.name] = value;
    }
    return value;
  }

  /** The slot's value if anything was ever stored for it. */
  find<T>(slot: StateSlot<T>, account: string, region: string): T | undefined {
    return this.services[account]?.[slot.global ? GLOBAL_REGION : region]?.[slot.name] as T | undefined;
  }

  /** Every stored value of a slot, for aggregate views. */
  *entries<T>(slot: StateSlot<T>): Generator<{ account: string; region: string; value: T }> {
    for (const [account, regions] of Object.entries(this.services)) {
      for (const [region, slots] of Object.entries(regions)) {
        const value = slots[slot.name];
        if (value !== undefined) yield { account, region, value: value as T };
      }
    }
  }

  /** Accounts that hold any service state. */
  accountsWithState(): string[] {
    return Object.keys(this.services);
  }

  /** A per-account quota (Service Quotas style): the override if one was set, else the default. */
  quota(account: string, code: string, defaultValue: number): number {
    return this.quotas[account]?.[code] ?? defaultValue;
  }

  setQuota(account: string, code: string, value: number): void {
    (this.quotas[account] ??= {})[code] = value;
  }

  /** Drops expired sessions (AssumeRole calls this now and then so long runs stay small). */
  pruneSessions(nowMs: number): void {
    for (const [key, session] of this.sessions) if (session.expiresAt <= nowMs) this.sessions.delete(key);
  }

  toJSON(): SandboxStateFile {
    return {
      format: FORMAT,
      version: 1,
      seed: this.seed,
      randomPosition: this.random.position,
      organization: this.organization?.data ?? null,
      services: this.services,
      sessions: Object.fromEntries(this.sessions),
      quotas: this.quotas,
    };
  }

  save(file: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this));
    fs.renameSync(temporary, file);
  }

  static fromJSON(json: unknown, where = 'state'): SandboxState {
    const file = json as Partial<SandboxStateFile> | null;
    if (!file || typeof file !== 'object' || file.format !== FORMAT) {
      throw new Error(`${where}: not a FakeAws state file (expected "format": "${FORMAT}"); create one with rampart sandbox init`);
    }
    if (file.version !== 1) throw new Error(`${where}: state format version ${String(file.version)} is not supported (expected 1)`);
    return new SandboxState(file.seed, file as SandboxStateFile);
  }

  static load(file: string): SandboxState {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${file}: cannot read the sandbox state (${(error as NodeJS.ErrnoException).code ?? String(error)}); create it with rampart sandbox init`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file}: the sandbox state is not valid JSON (${(error as Error).message})`, { cause: error });
    }
    return SandboxState.fromJSON(json, file);
  }
}
