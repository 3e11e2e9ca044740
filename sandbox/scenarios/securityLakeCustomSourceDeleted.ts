import { securityLakeSlot } from '../state/securityLake';
import { securityLake } from './landingZone';
import type { Scenario } from './scenario';

/** A custom source is deleted (DeleteCustomLogSource by the administrator); Security Lake removes its provider role too. */
export const securityLakeCustomSourceDeleted: Scenario = {
  name: 'securitylake-custom-source-deleted',
  description: 'The first Security Lake custom source (in name order) is deleted in the first lake Region that has it',
  async apply(fake) {
    const lake = securityLake(fake);
    for (const region of lake.regions) {
      const name = Object.keys(fake.state.find(securityLakeSlot, lake.admin, region)?.customSources ?? {}).sort()[0];
      if (!name) continue;
      await fake.invoke('securitylake', 'DeleteCustomLogSource', { sourceName: name }, { account: lake.admin, region });
      return { changes: [`custom source ${name} deleted in ${region}`] };
    }
    throw new Error('Security Lake has no custom source');
  },
};
