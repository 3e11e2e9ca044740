import { formatIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import { pciOuPath, resolveCustomSources } from '../../config/model';
import { ExampleCopy } from './exampleCopy';

const today = new Date('2026-12-04T00:00:00Z');

describe('shipped example configurations', () => {
  it.each(['config/examples/pci-org', 'config/examples/cccs-medium'])('%s validates with no errors or warnings', (dir) => {
    const result = loadConfig(dir, { now: today });
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.skippedChecks).toEqual([]);
    expect(result.config?.organization.accounts.length).toBeGreaterThan(0);
  });

  it('pci-org puts its PCI accounts under the PCI OU with PCI DSS', () => {
    const config = loadConfig('config/examples/pci-org', { now: today }).config!;
    expect(pciOuPath(config)).toBe('Workloads/Pci');
    expect(config.organization.accounts.filter((a) => a.pci).map((a) => a.ou)).toEqual(['Workloads/Pci', 'Workloads/Pci']);
    expect(config.security.securityHub.configurationPolicies.find((p) => p.targets.includes('Workloads/Pci'))?.standards).toContain('pci-dss-v4.0.1');
    expect(resolveCustomSources(config).map((s) => s.sourceName)).toEqual(['windows-sysmon-proc', 'windows-sysmon-net', 'windows-sysmon-file', 'windows-sysmon-dns', 'network-firewall']);
  });

  it('cccs-medium is a Canadian landing zone out of PCI scope, assessed against NIST 800-53 r5 and CCCS Medium', () => {
    const config = loadConfig('config/examples/cccs-medium', { now: today }).config!;
    expect(config.global.enabledRegions).toEqual(['ca-central-1', 'ca-west-1']);
    expect(config.securityLake.rollupRegions).toEqual([{ region: 'ca-central-1', contributingRegions: ['ca-west-1'] }]);
    expect(pciOuPath(config)).toBeUndefined();
    expect(config.organization.pciGuardrails).toBeUndefined();
    expect(config.organization.accounts.some((a) => a.pci)).toBe(false);
    const standards = config.security.securityHub.configurationPolicies.flatMap((p) => p.standards);
    expect(standards).toEqual(expect.arrayContaining(['nist-800-53-v5.0.0', 'aws-foundational-security-best-practices-v1.0.0']));
    expect(standards).not.toContain('pci-dss-v4.0.1');
    expect(config.security.config.conformancePacks.map((p) => p.template)).toEqual(['cccs-medium']);
    expect(config.governance.evidence.frameworks).toEqual(['cccs-medium-pbhva', 'nist-800-53-r5']);
    const mandatory = Object.values(config.organization.mandatoryAccounts);
    expect(mandatory).toEqual(['management', 'log-archive', 'security-tooling']);
    expect(config.organization.accounts.filter((a) => a.tags['data-classification'] === 'protected-b').map((a) => a.ou)).toEqual(
      expect.arrayContaining(['Workloads/ProtectedB', 'Infrastructure']),
    );
    expect(Object.keys(config.scpDocuments)).toEqual(['DenyRegionsOutsideCanada', 'DenyRootUser', 'ProtectSecurityServices']);
  });

  it('cccs-medium stays out of PCI scope until an account is marked pci, and then demands a PCI OU', () => {
    const copy = new ExampleCopy('cccs-medium');
    try {
      copy.replace('organization.yaml', '    id: "210000000010"\n', '    id: "210000000010"\n    pci: true\n');
      const result = loadConfig(copy.dir, { now: today });
      expect(result.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.rule} ${i.field}`)).toEqual(['organization.yaml:41:10 pci.no-ou accounts[5].pci']);
    } finally {
      copy.dispose();
    }
  });
});
