import { landingZone } from './landingZone';
import type { Scenario } from './scenario';

/** Someone weakens the PCI guardrail SCP in place (UpdatePolicy): the statement that stops security services being switched off is gone. */
export const pciScpEdited: Scenario = {
  name: 'pci-scp-edited',
  description: 'The PCI guardrail SCP is edited: its DenyDisablingSecurityServices statement (or, without one, its last statement) is removed',
  async apply(fake) {
    const zone = landingZone(fake);
    const document = JSON.parse(zone.pciGuardrail.content) as { Statement: { Sid?: string }[] };
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    if (statements.length < 2) throw new Error(`SCP ${zone.pciGuardrail.name} has a single statement; removing it would leave no SCP`);
    const named = statements.findIndex((s) => s.Sid === 'DenyDisablingSecurityServices');
    const at = named >= 0 ? named : statements.length - 1;
    const removed = statements[at].Sid ?? `statement ${at + 1}`;
    const content = JSON.stringify({ ...document, Statement: statements.filter((_, i) => i !== at) });
    await fake.invoke('organizations', 'UpdatePolicy', { PolicyId: zone.pciGuardrail.id, Content: content }, { account: zone.management });
    return { changes: [`SCP ${zone.pciGuardrail.name} (${zone.pciGuardrail.id}) edited: ${removed} removed`] };
  },
};
