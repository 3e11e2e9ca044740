import type { RampartConfig } from '../config/model';
import type { AccountConfig } from '../config/schema/organization';

/** A problem that stops synthesis, said the way the validator says things: where, what, how to fix. */
export class SynthesisError extends Error {
  constructor(readonly problems: string[]) {
    super(`the configuration cannot be synthesized:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SynthesisError';
  }
}

/** Parses `-c accountIds=log-archive=222222222222,security-tooling=333333333333`. */
export function parseAccountIdOverrides(value: unknown): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'object') return { ...(value as Record<string, string>) };
  const out: Record<string, string> = {};
  for (const pair of String(value).split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, id] = pair.split('=').map((p) => p.trim());
    if (!name || !id) throw new SynthesisError([`context accountIds: "${pair}" is not name=id; write -c accountIds=log-archive=222222222222,security-tooling=333333333333`]);
    out[name] = id;
  }
  return out;
}

/**
 * Account ids by logical name, from organization.yaml or from `-c accountIds=...` for accounts
 * not created yet. Every missing id is collected with the reason it is needed, so synthesis
 * reports all of them at once.
 */
export class AccountDirectory {
  private readonly byName: Map<string, { account: AccountConfig; index: number }>;
  private readonly missing = new Map<string, string[]>();

  constructor(
    private readonly config: RampartConfig,
    private readonly overrides: Record<string, string> = {},
  ) {
    this.byName = new Map(config.organization.accounts.map((account, index) => [account.name, { account, index }]));
    for (const [name, id] of Object.entries(overrides)) {
      if (!this.byName.has(name)) throw new SynthesisError([`context accountIds: "${name}" is not an account in organization.yaml`]);
      if (!/^\d{12}$/.test(id)) throw new SynthesisError([`context accountIds: ${name}=${id} is not a 12-digit account id`]);
    }
  }

  /** The id of a named account; records why it is needed when it has none (returns a placeholder then). */
  idOf(name: string, neededFor: string): string {
    const id = this.tryIdOf(name);
    if (id) return id;
    const reasons = this.missing.get(name) ?? [];
    if (!reasons.includes(neededFor)) reasons.push(neededFor);
    this.missing.set(name, reasons);
    return '000000000000';
  }

  tryIdOf(name: string): string | undefined {
    return this.overrides[name] ?? this.byName.get(name)?.account.id;
  }

  /** Names of accounts without an id (not created yet, or not written down). */
  withoutIds(): string[] {
    return this.config.organization.accounts.filter((a) => !this.tryIdOf(a.name)).map((a) => a.name);
  }

  /** Throws one SynthesisError naming every account whose id was needed but missing. */
  assertComplete(): void {
    if (this.missing.size === 0) return;
    const problems = [...this.missing].map(([name, reasons]) => {
      const entry = this.byName.get(name);
      const where = entry ? this.config.locate('organization', ['accounts', entry.index]) : { file: 'organization.yaml', line: 1, col: 1 };
      return `${where.file}:${where.line}:${where.col}  accounts[${entry?.index ?? '?'}] "${name}" has no id  needed for: ${reasons.join('; ')}  ` +
        `hint: add id: "123456789012" (quoted) to the account once it exists, or pass it at synth: -c accountIds=${name}=123456789012 (cdk) or --account-ids ${name}=123456789012 (rampart)`;
    });
    throw new SynthesisError(problems);
  }
}
