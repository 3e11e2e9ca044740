import { PCI_DSS_STANDARD, subscriptionArn } from '../catalog/securityHub';
import { SELF_MANAGED } from '../state/securityHub';
import { chooseAccount, landingZone, securityHubHome } from './landingZone';
import type { Scenario } from './scenario';

/**
 * PCI DSS is switched off for one account: someone with the Security Hub administrator's access
 * takes the account out of central configuration (self-managed, keeping its settings) and the
 * account then disables the PCI DSS standard in the home Region.
 */
export const pciStandardDisabled: Scenario = {
  name: 'pci-standard-disabled',
  description: 'A PCI account is made self-managed in Security Hub and disables the PCI DSS v4.0.1 standard in the home Region',
  async apply(fake, options) {
    const zone = landingZone(fake);
    const account = chooseAccount(zone, options.account, zone.pciAccounts, 'PCI account');
    const home = securityHubHome(fake);
    await fake.invoke('securityhub', 'StartConfigurationPolicyAssociation', { ConfigurationPolicyIdentifier: SELF_MANAGED, Target: { AccountId: account } }, { account: home.admin, region: home.region });
    await fake.invoke('securityhub', 'BatchDisableStandards', { StandardsSubscriptionArns: [subscriptionArn(home.region, account, PCI_DSS_STANDARD)] }, { account, region: home.region });
    return { changes: [`account ${account} set to self-managed in Security Hub central configuration`, `PCI DSS v4.0.1 disabled in account ${account}, ${home.region}`] };
  },
};
