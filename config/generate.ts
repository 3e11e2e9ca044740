import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, stringify } from 'yaml';

export interface ScaleOptions {
  /** Extra workload accounts to add. */
  accounts: number;
  /** Extra OUs to spread them over (half under the PCI OU's parent as PCI, half non-PCI). */
  ous?: number;
}

/**
 * Writes a copy of a configuration directory grown to a given scale: extra OUs under `Workloads`
 * and extra accounts spread across them, every tenth one PCI. Used for scale tests, `--accounts N`
 * and benchmarks; the result validates whenever the base does.
 */
export function writeScaledConfig(baseDir: string, outDir: string, options: ScaleOptions): string {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.cpSync(baseDir, outDir, { recursive: true });
  const orgFile = path.join(outDir, 'organization.yaml');
  const doc = parseDocument(fs.readFileSync(orgFile, 'utf8'));
  const org = doc.toJS() as {
    organizationalUnits: { name: string; pci?: boolean; children?: { name: string; pci?: boolean; children?: unknown[] }[] }[];
    accounts: { name: string; email: string; ou: string; id?: string; pci?: boolean }[];
  };
  const workloads = org.organizationalUnits.find((ou) => ou.name === 'Workloads');
  const pci = workloads?.children?.find((ou) => ou.pci);
  if (!workloads || !pci) throw new Error(`${baseDir} has no Workloads OU with a PCI child; scaled configs build on it`);

  const ouCount = Math.max(2, options.ous ?? Math.ceil(options.accounts / 20));
  const pciOus: string[] = [];
  const nonPciOus: string[] = [];
  pci.children ??= [];
  workloads.children ??= [];
  for (let i = 0; i < ouCount; i++) {
    const name = `Team${String(i + 1).padStart(3, '0')}`;
    if (i % 10 === 0) {
      pci.children.push({ name });
      pciOus.push(`Workloads/${pci.name}/${name}`);
    } else {
      workloads.children.push({ name });
      nonPciOus.push(`Workloads/${name}`);
    }
  }
  const domain = org.accounts[0].email.split('@')[1];
  for (let i = 0; i < options.accounts; i++) {
    const isPci = i % 10 === 0;
    const pool = isPci ? pciOus : nonPciOus;
    const name = `workload-${String(i + 1).padStart(5, '0')}`;
    org.accounts.push({
      name,
      email: `aws-${name}@${domain}`,
      ou: pool[i % pool.length],
      id: String(600000000000 + i),
      ...(isPci ? { pci: true } : {}),
    });
  }
  fs.writeFileSync(orgFile, stringify(org, { lineWidth: 0 }));
  return outDir;
}
