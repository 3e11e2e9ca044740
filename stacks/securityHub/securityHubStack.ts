import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import { securityHubStandardArn } from '../../config/schema/security';
import { ouIdAttribute } from '../../handlers/customResources/organizationalUnitLookup';
import { SynthesisError } from '../accountDirectory';
import { HandlerProvider } from '../customResourceProvider';

export interface SecurityHubStackProps extends StackProps {
  config: RampartConfig;
}

/**
 * The Security Hub delegated administrator, in the aggregation (home) Region: the finding
 * aggregator over the enabled Regions, central configuration, one configuration policy per
 * configured policy (standards and disabled controls) and its association with each target OU.
 */
export class SecurityHubStack extends Stack {
  /** Configuration policy resources by configured name. */
  readonly policies = new Map<string, securityhub.CfnConfigurationPolicy>();

  constructor(scope: Construct, id: string, props: SecurityHubStackProps) {
    super(scope, id, props);
    const { config } = props;
    const hub = config.security.securityHub;
    const linkedRegions = config.global.enabledRegions.filter((region) => region !== hub.aggregationRegion);
    if (linkedRegions.length === 0) {
      throw new SynthesisError([
        `security.yaml securityHub.aggregationRegion ${hub.aggregationRegion}: central configuration needs a finding aggregator linking at least one other Region ` +
          '(CloudFormation does not accept the API\'s NO_REGIONS mode), and global.yaml enabledRegions lists no other; add the second Region the organization uses',
      ]);
    }

    const aggregator = new securityhub.CfnFindingAggregator(this, 'FindingAggregator', { regionLinkingMode: 'SPECIFIED_REGIONS', regions: linkedRegions });
    const central = new securityhub.CfnOrganizationConfiguration(this, 'CentralConfiguration', {
      autoEnable: false,
      autoEnableStandards: 'NONE',
      configurationType: 'CENTRAL',
    });
    central.addResourceDependency(aggregator);

    const targets = [...new Set(hub.configurationPolicies.flatMap((policy) => policy.targets))];
    const lookup = new HandlerProvider(this, 'OuLookupProvider', {
      purpose: 'OU id lookup',
      handler: 'organizationalUnitLookup',
      statements: [new iam.PolicyStatement({ actions: ['organizations:ListRoots', 'organizations:ListOrganizationalUnitsForParent'], resources: ['*'] })],
      wildcardReasons: {
        'Resource::*': 'Reads the OU tree through the organization\'s delegated read access; the OU ids are created by OrganizationStack in the management account and unknown here until looked up',
      },
    }).resource(this, 'OuIds', 'RampartOrganizationalUnitLookup', { Paths: targets });

    for (const policy of hub.configurationPolicies) {
      const cfnPolicy = new securityhub.CfnConfigurationPolicy(this, `Policy ${policy.name}`, {
        name: policy.name,
        ...(policy.description ? { description: policy.description } : {}),
        configurationPolicy: {
          securityHub: {
            serviceEnabled: true,
            enabledStandardIdentifiers: policy.standards.map((standard) => securityHubStandardArn(standard, this.region)),
            securityControlsConfiguration: { disabledSecurityControlIdentifiers: policy.disabledControls.map((c) => c.control) },
          },
        },
      });
      // Security Hub keeps no reason with a disabled control; the template carries them for review and evidence.
      cfnPolicy.addMetadata('RampartDisabledControlReasons', Object.fromEntries(policy.disabledControls.map((c) => [c.control, c.reason])));
      cfnPolicy.addResourceDependency(central);
      this.policies.set(policy.name, cfnPolicy);
      for (const target of policy.targets) {
        const association = new securityhub.CfnPolicyAssociation(this, `Association ${policy.name} ${target.replace(/\//g, ' ')}`, {
          configurationPolicyId: cfnPolicy.attrId,
          targetType: target === 'Root' ? 'ROOT' : 'ORGANIZATIONAL_UNIT',
          targetId: lookup.getAttString(ouIdAttribute(targets.indexOf(target))),
        });
        association.addMetadata('RampartTargetOu', target);
      }
    }
  }
}
