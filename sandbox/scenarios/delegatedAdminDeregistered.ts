import { securityLake } from './landingZone';
import type { Scenario } from './scenario';

/** The Security Lake delegated administrator is deregistered from the management account. */
export const delegatedAdminDeregistered: Scenario = {
  name: 'delegated-admin-deregistered',
  description: 'The Security Lake delegated administrator is deregistered (DeregisterDataLakeDelegatedAdministrator from the management account)',
  async apply(fake) {
    const { admin } = securityLake(fake);
    const management = fake.organization?.managementAccountId as string;
    await fake.invoke('securitylake', 'DeregisterDataLakeDelegatedAdministrator', {}, { account: management });
    return { changes: [`account ${admin} is no longer the delegated administrator for securitylake.amazonaws.com`] };
  },
};
