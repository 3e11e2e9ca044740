import { chooseAccount, landingZone } from './landingZone';
import type { Scenario } from './scenario';

/** An account outside the organization that the scenario trusts (no sandbox organization uses it). */
export const EXTERNAL_ACCOUNT = '210987654321';
export const EXTERNAL_TRUST_ROLE = 'vendor-support';

/** Someone creates a role that an account outside the organization may assume (CreateRole in the account). */
export const roleTrustedByExternalAccount: Scenario = {
  name: 'role-trusted-by-external-account',
  description: `Role ${EXTERNAL_TRUST_ROLE} is created in one account (a PCI account by default), trusting account ${EXTERNAL_ACCOUNT} outside the organization`,
  async apply(fake, options) {
    const zone = landingZone(fake);
    const account = chooseAccount(zone, options.account, zone.pciAccounts, 'PCI account');
    if (zone.org.account(EXTERNAL_ACCOUNT)) throw new Error(`account ${EXTERNAL_ACCOUNT} is in the organization; it cannot stand for an external account`);
    await fake.invoke('iam', 'CreateRole', {
      RoleName: EXTERNAL_TRUST_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${EXTERNAL_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
      }),
      Description: 'Support access for a vendor',
    }, { account });
    return { changes: [`role ${EXTERNAL_TRUST_ROLE} in account ${account} trusts external account ${EXTERNAL_ACCOUNT}`] };
  },
};
