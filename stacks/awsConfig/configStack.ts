import { Stack, type StackProps } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import type { AccountDirectory } from '../accountDirectory';
import { acknowledge } from '../nag';
import { conformancePackTemplateBody } from './conformancePacks';

/** Name of the organization aggregator's role (remediation recreates a deleted aggregator with it). */
export const CONFIG_AGGREGATOR_ROLE_NAME = 'RampartConfigAggregator';

export interface ConfigStackProps extends StackProps {
  config: RampartConfig;
  accounts: AccountDirectory;
}

/**
 * AWS Config in the aggregator (delegated administrator) account, one stack per enabled
 * Region: the organization conformance packs named in the configuration, and in the home
 * Region the organization aggregator over every enabled Region.
 */
export class ConfigStack extends Stack {
  constructor(scope: Construct, id: string, props: ConfigStackProps) {
    super(scope, id, props);
    const { config: rampart, accounts } = props;
    const settings = rampart.security.config;
    const globalRegion = settings.recorder.includeGlobalResourceTypesIn ?? rampart.global.homeRegion;

    if (this.region === rampart.global.homeRegion) {
      const role = new iam.Role(this, 'AggregatorRole', {
        roleName: CONFIG_AGGREGATOR_ROLE_NAME,
        assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
        description: 'Rampart: lets AWS Config read the organization for the organization aggregator',
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations')],
      });
      acknowledge(role, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]':
          'AWSConfigRoleForOrganizations is the policy AWS Config documents for organization aggregators: read-only Organizations calls that AWS keeps current as the aggregator evolves',
      });
      new config.CfnConfigurationAggregator(this, 'OrganizationAggregator', {
        configurationAggregatorName: settings.aggregator.name,
        organizationAggregationSource: { roleArn: role.roleArn, awsRegions: rampart.global.enabledRegions },
      });
    }

    for (const pack of settings.conformancePacks) {
      new config.CfnOrganizationConformancePack(this, `Pack ${pack.name}`, {
        organizationConformancePackName: pack.name,
        templateBody: conformancePackTemplateBody(pack.template, this.region === globalRegion),
        excludedAccounts: pack.excludedAccounts.map((name) => accounts.idOf(name, `excluded from conformance pack ${pack.name}`)),
      });
    }
  }
}
