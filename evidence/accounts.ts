import type { RampartConfig } from '../config/model';
import type { AccountInfo } from './resultIndex';

export type { AccountInfo };

/**
 * The account directory evidence needs (names, OUs, PCI scope) from the configuration. Accounts
 * the configuration lists without an id get theirs from `idsByName` (e.g. from the inventory);
 * an account with neither is left out, and its results keep the names they carry.
 */
export function accountsFromConfig(config: Pick<RampartConfig, 'organization'>, idsByName: ReadonlyMap<string, string> = new Map()): AccountInfo[] {
  const out: AccountInfo[] = [];
  for (const account of config.organization.accounts) {
    const id = account.id ?? idsByName.get(account.name);
    if (id) out.push({ id, name: account.name, ou: account.ou, pci: account.pci === true });
  }
  return out;
}
