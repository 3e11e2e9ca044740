import { detectDrift } from '../../engine/detectDrift';
import type { Inventory, InventoryRole } from '../../engine/inventory';
import { pciSegmentationReport } from '../../engine/pciSegmentation';
import { cleanInventory, IDS, ok, pciOrg } from './fixtures';

const EXTERNAL = '210987654321';

function addRole(inventory: Inventory, accountId: string, name: string, principal: Record<string, unknown> | '*', extra: Partial<InventoryRole> = {}): string {
  const arn = `arn:aws:iam::${accountId}:role${extra.path ?? '/'}${name}`;
  ok(inventory.accounts[accountId].iam).roles.push({
    arn, name, path: '/', tags: {}, ...extra,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] },
  });
  return arn;
}

function addFinding(inventory: Inventory, region: string, id: string, resource: string, principal: Record<string, string>, extra: { status?: 'ACTIVE' | 'ARCHIVED'; resourceType?: string; owner?: string } = {}): void {
  ok(inventory.accessAnalyzer.regions[region]).findings.push({
    id, analyzerArn: `arn:aws:access-analyzer:${region}:${IDS.securityTooling}:analyzer/rampart-organization`, resource,
    resourceType: extra.resourceType ?? 'AWS::IAM::Role', resourceOwnerAccount: extra.owner ?? IDS.paymentsProd, status: extra.status ?? 'ACTIVE',
    principal, actions: ['sts:AssumeRole'], condition: {}, isPublic: false,
  });
}

/** pci-org with the two scenarios of the issue: a PCI role trusted by an external account, and one trusted by a non-PCI account. */
function scenarioInventory(): { inventory: Inventory; external: string; crossOu: string } {
  const inventory = cleanInventory();
  const external = addRole(inventory, IDS.paymentsProd, 'vendor-support', { AWS: `arn:aws:iam::${EXTERNAL}:root` });
  for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) addFinding(inventory, region, `finding-${region}`, external, { AWS: `arn:aws:iam::${EXTERNAL}:root` });
  const crossOu = addRole(inventory, IDS.paymentsProd, 'shared-deploy', { AWS: `arn:aws:iam::${IDS.webProd}:root` });
  return { inventory, external, crossOu };
}

const brief = (report: ReturnType<typeof pciSegmentationReport>) => report.paths.map((p) => `${p.status} ${p.source.kind} ${p.source.principal} -> ${p.target.resource}`);

describe('pciSegmentationReport', () => {
  it('a clean organization has only Rampart\'s own paths and passes', () => {
    const report = pciSegmentationReport(pciOrg().desired, cleanInventory());
    expect(report).toMatchObject({ checkId: 'accessanalyzer.pci-segmentation', status: 'PASS', pciOuPath: 'Workloads/Pci', requirements: { framework: 'pci-dss-4.0', ids: ['1.3', '1.4', '7.2'] } });
    expect(report.pciAccounts.map((a) => a.accountName)).toEqual(['payments-prod', 'payments-staging']);
    expect(brief(report)).toEqual([
      `rampart organization arn:aws:iam::${IDS.securityTooling}:root -> arn:aws:iam::${IDS.paymentsProd}:role/RampartExecutionRole`,
      `rampart organization arn:aws:iam::${IDS.securityTooling}:root -> arn:aws:iam::${IDS.paymentsStaging}:role/RampartExecutionRole`,
    ]);
    expect(report.paths[0].source).toMatchObject({ accountName: 'security-tooling', ouPath: 'Security' });
  });

  it('names exactly the external and the non-PCI paths of the two scenarios, each linked to its drift', () => {
    const { inventory, external, crossOu } = scenarioInventory();
    const report = pciSegmentationReport(pciOrg().desired, inventory);
    expect(report.status).toBe('FAIL');
    const unlisted = report.paths.filter((p) => p.status === 'unlisted');
    expect(unlisted.map((p) => [p.source.kind, p.source.principal, p.target.resource])).toEqual([
      ['organization', `arn:aws:iam::${IDS.webProd}:root`, crossOu],
      ['external', `arn:aws:iam::${EXTERNAL}:root`, external],
    ]);
    const [org, ext] = unlisted;
    expect(ext).toMatchObject({
      via: ['trust-policy', 'access-analyzer'], findingIds: ['finding-us-east-1', 'finding-us-east-2', 'finding-us-west-2'], findingStatus: 'ACTIVE',
      target: { accountId: IDS.paymentsProd, accountName: 'payments-prod', ouPath: 'Workloads/Pci', resourceType: 'AWS::IAM::Role' }, drift: { type: 'ExternalTrustOnRole' },
    });
    expect(org).toMatchObject({ source: { accountName: 'web-prod', ouPath: 'Workloads/NonPci' }, via: ['trust-policy'], findingIds: [], drift: { type: 'PciSegmentationPath' } });
    const drifts = detectDrift(pciOrg().desired, inventory).drifts;
    expect(drifts.find((d) => d.id === ext.drift?.id)?.type).toBe('ExternalTrustOnRole');
    expect(drifts.find((d) => d.id === org.drift?.id)?.type).toBe('PciSegmentationPath');
    expect(report.counts).toEqual({ total: 4, unlisted: 2, allowlisted: 0, exempt: 0, rampart: 2 });
  });

  it('agrees with detectDrift: every PciSegmentationPath drift is one unlisted organization path', () => {
    const { inventory } = scenarioInventory();
    addRole(inventory, IDS.paymentsStaging, 'analytics-read', { AWS: [`arn:aws:iam::${IDS.analytics}:role/etl`, `arn:aws:iam::${IDS.developerSandbox}:user/dev`] });
    const drifts = detectDrift(pciOrg().desired, inventory).drifts.filter((d) => d.type === 'PciSegmentationPath');
    const paths = pciSegmentationReport(pciOrg().desired, inventory).paths.filter((p) => p.status === 'unlisted' && p.source.kind === 'organization');
    expect(paths.map((p) => p.drift?.id).sort()).toEqual(drifts.map((d) => d.id).sort());
    expect(drifts).toHaveLength(3);
  });

  it('classifies allowlisted principals and exempt roles, and leaves PCI-to-PCI and service trust out', () => {
    const inventory = cleanInventory();
    addRole(inventory, IDS.paymentsProd, 'qsa', { AWS: 'arn:aws:iam::999999999999:role/AuditorReadOnly' });
    addRole(inventory, IDS.paymentsProd, 'Admin', { AWS: `arn:aws:iam::${IDS.webProd}:root` }, { path: '/break-glass/' });
    addRole(inventory, IDS.paymentsProd, 'tagged', { AWS: `arn:aws:iam::${IDS.analytics}:root` }, { tags: { 'rampart:exempt': 'true' } });
    addRole(inventory, IDS.paymentsStaging, 'promote', { AWS: `arn:aws:iam::${IDS.paymentsProd}:root` });
    addRole(inventory, IDS.paymentsProd, 'lambda', { Service: 'lambda.amazonaws.com' });
    const report = pciSegmentationReport(pciOrg().desired, inventory);
    expect(report.status).toBe('PASS');
    const byRole = (name: string) => report.paths.find((p) => p.target.resource.endsWith(`/${name}`));
    expect(byRole('qsa')).toMatchObject({ status: 'allowlisted', source: { kind: 'external' }, allowlistedBy: { principal: 'arn:aws:iam::999999999999:role/AuditorReadOnly', declaredAt: expect.stringMatching(/security\.yaml:\d+:\d+/) } });
    expect(byRole('Admin')).toMatchObject({ status: 'exempt', statusReason: expect.stringContaining('Break-glass') });
    expect(byRole('tagged')).toMatchObject({ status: 'exempt' });
    expect(byRole('promote')).toBeUndefined();
    expect(byRole('lambda')).toBeUndefined();
  });

  it('lists reach into PCI resources from findings alone, archived ones included', () => {
    const inventory = cleanInventory();
    addFinding(inventory, 'us-east-1', 'bucket-1', 'arn:aws:s3:::cardholder-exports', { AWS: EXTERNAL }, { resourceType: 'AWS::S3::Bucket', status: 'ARCHIVED' });
    addFinding(inventory, 'us-east-1', 'web-1', `arn:aws:iam::${IDS.webProd}:role/x`, { AWS: EXTERNAL }, { owner: IDS.webProd });
    const report = pciSegmentationReport(pciOrg().desired, inventory);
    const bucket = report.paths.find((p) => p.target.resourceType === 'AWS::S3::Bucket');
    expect(bucket).toMatchObject({ status: 'unlisted', via: ['access-analyzer'], findingStatus: 'ARCHIVED', statusReason: expect.stringContaining('archived') });
    expect(bucket?.drift).toBeUndefined();
    expect(report.paths.some((p) => p.target.accountId === IDS.webProd)).toBe(false);
    expect(report.status).toBe('FAIL');
  });

  it('is UNKNOWN, not PASS, when a PCI account\'s roles could not be read', () => {
    const inventory = cleanInventory();
    inventory.accounts[IDS.paymentsStaging].iam = { status: 'unknown', error: { code: 'AccessDenied', message: 'not authorized' } };
    const report = pciSegmentationReport(pciOrg().desired, inventory);
    expect(report.status).toBe('UNKNOWN');
    expect(report.unknownScopes).toEqual([expect.objectContaining({ kind: 'iam.account', accountId: IDS.paymentsStaging, error: { code: 'AccessDenied', message: 'not authorized' } })]);
  });

  it('public trust is a path of its own kind', () => {
    const inventory = cleanInventory();
    addRole(inventory, IDS.paymentsProd, 'open', '*');
    expect(pciSegmentationReport(pciOrg().desired, inventory).paths.find((p) => p.target.resource.endsWith('/open'))).toMatchObject({ status: 'unlisted', source: { kind: 'public', principal: '*' } });
  });
});
