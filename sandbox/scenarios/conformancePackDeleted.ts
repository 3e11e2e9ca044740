import { configSlot, organizationPacks } from '../state/awsConfig';
import { landingZone } from './landingZone';
import type { Scenario } from './scenario';

/** An organization conformance pack is deleted by the account that deployed it (DeleteOrganizationConformancePack). */
export const conformancePackDeleted: Scenario = {
  name: 'conformance-pack-deleted',
  description: 'The first organization conformance pack (in name order) is deleted in the first Region (in name order) that has it',
  async apply(fake) {
    const zone = landingZone(fake);
    const regions = [...fake.state.entries(configSlot)].filter((e) => e.account === zone.management).map((e) => e.region).sort();
    for (const region of regions) {
      const pack = organizationPacks(fake.state, region).sort((a, b) => a.name.localeCompare(b.name))[0];
      if (!pack) continue;
      await fake.invoke('config', 'DeleteOrganizationConformancePack', { OrganizationConformancePackName: pack.name }, { account: pack.createdBy, region });
      return { changes: [`organization conformance pack ${pack.name} deleted in ${region}`] };
    }
    throw new Error('the organization has no conformance pack');
  },
};
