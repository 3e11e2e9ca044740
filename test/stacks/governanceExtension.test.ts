import * as iam from 'aws-cdk-lib/aws-iam';
import { loadValidConfig } from '../../stacks/synthesize';
import { buildLandingZone } from '../../stacks/landingZone';
import { GovernanceStack } from '../../stacks/governance/governanceStack';
import { createRampartApp } from '../../stacks/rampartApp';

describe('GovernanceStack extension point', () => {
  it('hands the workflows the evidence bucket, its prefix, the topic and the key, in the governance stack', () => {
    const { config } = loadValidConfig('config/examples/pci-org', new Date('2026-12-04T00:00:00Z'));
    const seen: string[] = [];
    const landingZone = buildLandingZone(createRampartApp(), config, {
      nag: false,
      governanceExtensions: [(stack) => {
        expect(stack).toBeInstanceOf(GovernanceStack);
        const role = new iam.Role(stack, 'WorkflowRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), path: '/rampart/' });
        stack.evidenceBucket.grantPut(role, `${stack.evidencePrefix}*`);
        stack.notificationTopic.grantPublish(role);
        seen.push(stack.evidencePrefix, stack.key.node.path);
      }],
    });
    expect(seen).toEqual(['evidence/', 'Rampart-Governance/GovernanceKey']);
    expect(landingZone.governance.node.tryFindChild('WorkflowRole')).toBeDefined();
  });
});
