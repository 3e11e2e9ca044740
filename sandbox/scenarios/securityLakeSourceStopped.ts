import { dataLakeIn } from '../state/securityLake';
import { chooseAccount, landingZone, securityLake } from './landingZone';
import type { Scenario } from './scenario';

/** CloudTrail management events stop flowing from one account in a contributing Region (DeleteAwsLogSource by the administrator). */
export const securityLakeSourceStopped: Scenario = {
  name: 'securitylake-source-stopped',
  description: 'Security Lake stops collecting CLOUD_TRAIL_MGMT for one account (a PCI account by default) in a contributing Region',
  async apply(fake, options) {
    const zone = landingZone(fake);
    const account = chooseAccount(zone, options.account, zone.pciAccounts, 'PCI account');
    const lake = securityLake(fake);
    const region = lake.regions.find((r) => dataLakeIn(fake.state, lake.admin, r)?.replication?.regions.length) ?? lake.regions[0];
    if (!region) throw new Error('Security Lake has no data lake');
    await fake.invoke('securitylake', 'DeleteAwsLogSource', { sources: [{ accounts: [account], regions: [region], sourceName: 'CLOUD_TRAIL_MGMT' }] }, { account: lake.admin, region });
    return { changes: [`CLOUD_TRAIL_MGMT no longer collected for account ${account} in ${region}`] };
  },
};
