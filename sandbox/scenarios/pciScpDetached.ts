import { landingZone } from './landingZone';
import type { Scenario } from './scenario';

/** The PCI guardrail SCP is detached from the PCI OU (DetachPolicy from the management account). */
export const pciScpDetached: Scenario = {
  name: 'pci-scp-detached',
  description: 'The PCI guardrail SCP is detached from the PCI OU',
  async apply(fake) {
    const zone = landingZone(fake);
    await fake.invoke('organizations', 'DetachPolicy', { PolicyId: zone.pciGuardrail.id, TargetId: zone.pciOuId }, { account: zone.management });
    return { changes: [`SCP ${zone.pciGuardrail.name} (${zone.pciGuardrail.id}) detached from ${zone.pciOuId}`] };
  },
};
