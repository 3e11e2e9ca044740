import { dataLakeIn } from '../state/securityLake';
import { securityLake } from './landingZone';
import type { Scenario } from './scenario';

/** A contributing Region stops replicating to its rollup Region (UpdateDataLake without the replication configuration). */
export const securityLakeReplicationRemoved: Scenario = {
  name: 'securitylake-replication-removed',
  description: 'The data lake of a contributing Region no longer replicates to its rollup Region',
  async apply(fake) {
    const lake = securityLake(fake);
    const region = lake.regions.find((r) => dataLakeIn(fake.state, lake.admin, r)?.replication?.regions.length);
    if (!region) throw new Error('no Security Lake Region replicates to a rollup Region');
    const current = dataLakeIn(fake.state, lake.admin, region);
    const rollup = current?.replication?.regions.join(', ');
    await fake.invoke('securitylake', 'UpdateDataLake', {
      configurations: [{
        region,
        ...(current?.encryption ? { encryptionConfiguration: current.encryption } : {}),
        ...(current?.lifecycle ? { lifecycleConfiguration: current.lifecycle } : {}),
      }],
    }, { account: lake.admin, region });
    return { changes: [`data lake in ${region} no longer replicates to ${rollup}`] };
  },
};
