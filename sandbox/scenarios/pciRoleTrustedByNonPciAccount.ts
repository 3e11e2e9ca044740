import { chooseAccount, landingZone } from './landingZone';
import type { Scenario } from './scenario';

export const SEGMENTATION_ROLE = 'shared-deploy';

/**
 * A role in a PCI account trusts a non-PCI account of the same organization: inside the zone of
 * trust (no Access Analyzer finding) but a path across the PCI segmentation boundary.
 */
export const pciRoleTrustedByNonPciAccount: Scenario = {
  name: 'pci-role-trusted-by-non-pci-account',
  description: `Role ${SEGMENTATION_ROLE} is created in a PCI account, trusting a non-PCI workload account of the organization (the nearest to the PCI OU)`,
  async apply(fake, options) {
    const zone = landingZone(fake);
    const account = chooseAccount(zone, options.account, zone.pciAccounts, 'PCI account');
    const trusted = zone.nonPciWorkloadAccounts[0];
    if (!trusted) throw new Error('the organization has no non-PCI workload account');
    await fake.invoke('iam', 'CreateRole', {
      RoleName: SEGMENTATION_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${trusted}:root` }, Action: 'sts:AssumeRole' }],
      }),
      Description: 'Deployments from the shared tooling account',
    }, { account });
    return { changes: [`role ${SEGMENTATION_ROLE} in PCI account ${account} trusts non-PCI account ${trusted}`] };
  },
};
