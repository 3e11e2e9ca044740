import { chooseAccount, landingZone } from './landingZone';
import type { Scenario } from './scenario';

/** Someone moves a PCI account out of the PCI OU (MoveAccount from the management account): it loses the guardrails. */
export const pciAccountMovedOu: Scenario = {
  name: 'pci-account-moved',
  description: 'A PCI account is moved from the PCI OU to a non-PCI OU (a sibling of the PCI OU when there is one)',
  async apply(fake, options) {
    const zone = landingZone(fake);
    const account = chooseAccount(zone, options.account, zone.pciAccounts, 'PCI account');
    const source = zone.org.parentOf(account) as string;
    const pciParent = zone.org.parentOf(zone.pciOuId) as string;
    const outsidePci = (ou: string) => ou !== zone.pciOuId && !zone.org.ancestors(ou).includes(zone.pciOuId);
    const ous = Object.keys(zone.org.data.ous).filter(outsidePci);
    const destination = ous.find((ou) => zone.org.parentOf(ou) === pciParent) ?? ous.find((ou) => zone.org.childAccounts(ou).length > 0) ?? ous[0];
    if (!destination) throw new Error('the organization has no OU outside the PCI OU to move the account to');
    await fake.invoke('organizations', 'MoveAccount', { AccountId: account, SourceParentId: source, DestinationParentId: destination }, { account: zone.management });
    return { changes: [`account ${account} moved from ${zone.org.path(source)} to ${zone.org.path(destination)}`] };
  },
};
