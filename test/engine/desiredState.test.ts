import { governingPolicy, SERVICE_PRINCIPALS, standardResource } from '../../engine/desiredState';
import { pciOrg } from './fixtures';

const { desired, config } = pciOrg();

describe('desired state of the pci-org example', () => {
  it('keeps the OU tree with paths and the PCI OU', () => {
    expect(desired.organization.organizationalUnits.map((ou) => [ou.path, ou.parentPath, ou.pci])).toEqual([
      ['Security', 'Root', false], ['Workloads', 'Root', false], ['Workloads/Pci', 'Workloads', true], ['Workloads/NonPci', 'Workloads', false], ['Sandbox', 'Root', false],
    ]);
    expect(desired.organization.pciOuPath).toBe('Workloads/Pci');
  });

  it('gives each account its OU, PCI scope and the configuration policy that governs it through OU inheritance', () => {
    expect(desired.organization.accounts.map((a) => [a.name, a.ouPath, a.pci, a.management, a.securityHubPolicy ?? null])).toEqual([
      ['management', 'Root', false, true, null],
      ['log-archive', 'Security', false, false, 'baseline'],
      ['security-tooling', 'Security', false, false, 'baseline'],
      ['payments-prod', 'Workloads/Pci', true, false, 'pci'],
      ['payments-staging', 'Workloads/Pci', true, false, 'pci'],
      ['web-prod', 'Workloads/NonPci', false, false, 'baseline'],
      ['analytics', 'Workloads/NonPci', false, false, 'baseline'],
      ['developer-sandbox', 'Sandbox', false, false, 'baseline'],
    ]);
  });

  it('the nearest targeted ancestor governs; Root reaches everything', () => {
    const policies = [{ name: 'root', targets: [{ ouPath: 'Root' }] }, { name: 'work', targets: [{ ouPath: 'Workloads' }] }, { name: 'pci', targets: [{ ouPath: 'Workloads/Pci' }] }];
    expect(governingPolicy('Workloads/Pci/Team1', policies)).toEqual({ policy: 'pci', via: 'Workloads/Pci' });
    expect(governingPolicy('Workloads/PciLike', policies)).toEqual({ policy: 'work', via: 'Workloads' });
    expect(governingPolicy('Root', policies)).toEqual({ policy: 'root', via: 'Root' });
    expect(governingPolicy('Sandbox', policies.slice(1))).toBeUndefined();
  });

  it('includes the configured SCPs with their documents and the generated PCI guardrails on the PCI OU', () => {
    expect(desired.organization.serviceControlPolicies.map((s) => [s.name, s.generated, s.targets.map((t) => (t.kind === 'ou' ? t.path : t.name))])).toEqual([
      ['DenyRootUser', false, ['Security', 'Workloads', 'Sandbox']],
      ['DenyPublicS3', false, ['Workloads']],
      ['RampartPciGuardrails', true, ['Workloads/Pci']],
      ['RampartPciRegionRestriction', true, ['Workloads/Pci']],
    ]);
    expect(desired.organization.serviceControlPolicies[0].document).toEqual(config.scpDocuments.DenyRootUser);
  });

  it('requires trusted access and delegated administrators for every governed service', () => {
    expect(desired.organization.trustedAccess.map((t) => t.servicePrincipal).sort()).toEqual(Object.values(SERVICE_PRINCIPALS).sort());
    expect(Object.fromEntries(desired.organization.delegatedAdministrators.map((d) => [d.servicePrincipal, d.account]))).toEqual({
      'securityhub.amazonaws.com': 'security-tooling',
      'securitylake.amazonaws.com': 'log-archive',
      'config.amazonaws.com': 'security-tooling',
      'config-multiaccountsetup.amazonaws.com': 'security-tooling',
      'access-analyzer.amazonaws.com': 'security-tooling',
    });
    // StackSets run from the management account (OrganizationStack): trusted access, no delegated administrator.
    expect(desired.organization.delegatedAdministrators.map((d) => d.servicePrincipal)).not.toContain(SERVICE_PRINCIPALS.stackSets);
  });

  it('replicates contributing Regions to their rollup and nothing from the rollup', () => {
    expect(desired.securityLake.regions.map((r) => [r.region, r.replicateTo])).toEqual([['us-east-1', null], ['us-east-2', 'us-east-1'], ['us-west-2', 'us-east-1']]);
  });

  it('resolves custom sources one per OCSF class, registered in the home Region', () => {
    expect(desired.securityLake.customSourceRegion).toBe('us-east-1');
    expect(desired.securityLake.customSources.map((s) => [s.sourceName, s.eventClass])).toEqual([
      ['windows-sysmon-proc', 'PROCESS_ACTIVITY'], ['windows-sysmon-net', 'NETWORK_ACTIVITY'], ['windows-sysmon-file', 'FILE_ACTIVITY'],
      ['windows-sysmon-dns', 'DNS_ACTIVITY'], ['network-firewall', 'NETWORK_ACTIVITY'],
    ]);
  });

  it('auto-enables for new accounts the AWS sources scoped to all accounts only', () => {
    expect(desired.securityLake.autoEnable).toMatchObject({
      enabled: true,
      sources: [{ sourceName: 'CLOUD_TRAIL_MGMT', sourceVersion: '2.0' }, { sourceName: 'VPC_FLOW', sourceVersion: '2.0' }, { sourceName: 'SH_FINDINGS', sourceVersion: '2.0' }],
    });
  });

  it('expects Config and the analyzer in every enabled Region, with the aggregator in the home Region', () => {
    expect(desired.config.regions).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    expect(desired.config.aggregator).toMatchObject({ name: 'rampart-organization', account: 'security-tooling', region: 'us-east-1' });
    expect(desired.config.conformancePacks.map((p) => p.templateName)).toEqual([
      'Operational-Best-Practices-for-PCI-DSS-v4.0-including-global-resourcetypes', 'Operational-Best-Practices-for-NIST-800-53-rev-5',
    ]);
    expect(desired.accessAnalyzer).toMatchObject({ adminAccount: 'security-tooling', analyzerName: 'rampart-organization', regions: ['us-east-1', 'us-east-2', 'us-west-2'] });
    expect(desired.accessAnalyzer.exemptRoles.map((e) => e.match)).toEqual(['pathPrefix', 'tag']);
  });

  it('points every expectation at the line that declares it', () => {
    const payments = desired.organization.accounts.find((a) => a.name === 'payments-prod');
    expect(payments?.declaredAt).toEqual({ file: 'organization.yaml', line: 24, col: 5 });
    expect(payments?.ouDeclaredAt).toEqual({ file: 'organization.yaml', line: 26, col: 9 });
    const pci = desired.securityHub.configurationPolicies[0];
    expect(pci.standards[0].declaredAt).toEqual({ file: 'security.yaml', line: 10, col: 11 });
    expect(pci.disabledControls[0].declaredAt.line).toBe(13);
    expect(desired.securityLake.awsSources[3].declaredAt).toEqual({ file: 'securitylake.yaml', line: 23, col: 5 });
    expect(desired.securityLake.customSources[4].declaredAt.line).toBe(32);
    expect(desired.config.conformancePacks[1].declaredAt).toMatchObject({ file: 'security.yaml', line: 31 });
  });

  it('is plain data: a JSON round trip keeps it whole', () => {
    expect(JSON.parse(JSON.stringify(desired))).toEqual(desired);
  });

  it('compares standards across Regions by their resource part', () => {
    expect(standardResource('arn:aws:securityhub:eu-west-1::standards/pci-dss/v/4.0.1')).toBe('standards/pci-dss/v/4.0.1');
  });
});
