import { PCI_DSS_STANDARD, standardHasControl } from '../catalog/securityHub';
import { centralConfiguration, effectiveAssociation, governingPolicy } from '../state/securityHub';
import { chooseAccount, landingZone, securityHubHome } from './landingZone';
import type { Scenario } from './scenario';

/** The control PCI evidence leans on most: CloudTrail logs encrypted at rest (PCI DSS 10.3.2 / 3.5.1). */
const CONTROL = 'CloudTrail.2';

/** A PCI control is switched off for the PCI accounts: the administrator adds it to the disabled controls of their configuration policy. */
export const pciControlDisabled: Scenario = {
  name: 'pci-control-disabled',
  description: `Security Hub control ${CONTROL} (in PCI DSS v4.0.1) is disabled in the configuration policy of the PCI OU (or of the chosen account)`,
  async apply(fake, options) {
    const zone = landingZone(fake);
    const home = securityHubHome(fake);
    const central = centralConfiguration(fake.state);
    // The policy of the chosen account, or by default the one the PCI OU gets.
    const association = options.account
      ? { policyId: governingPolicy(fake.state, chooseAccount(zone, options.account, [], 'account'), home.region)?.policy.id }
      : central && effectiveAssociation(zone.org, central.record, zone.pciOuId);
    const policy = association?.policyId ? central?.record.policies[association.policyId] : undefined;
    if (!policy) throw new Error(`${options.account ? `account ${options.account}` : 'the PCI OU'} is not governed by a Security Hub configuration policy`);
    if (!standardHasControl(PCI_DSS_STANDARD, CONTROL)) throw new Error(`${CONTROL} is not in the PCI DSS standard`);
    const controls = policy.controls.mode === 'disabled'
      ? { DisabledSecurityControlIdentifiers: [...new Set([...policy.controls.ids, CONTROL])] }
      : { EnabledSecurityControlIdentifiers: policy.controls.ids.filter((id) => id !== CONTROL) };
    await fake.invoke('securityhub', 'UpdateConfigurationPolicy', {
      Identifier: policy.id,
      ConfigurationPolicy: {
        SecurityHub: {
          ServiceEnabled: policy.serviceEnabled,
          EnabledStandardIdentifiers: policy.standards.map((s) => `arn:aws:securityhub:${policy.region}::${s}`),
          SecurityControlsConfiguration: controls,
        },
      },
    }, { account: home.admin, region: home.region });
    return { changes: [`control ${CONTROL} disabled in configuration policy ${policy.name} (${policy.id})`] };
  },
};
