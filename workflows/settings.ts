import type { DeploymentNames } from '../aws/execute/deployment';
import type { RampartConfig } from '../config/model';
import { deriveDesiredState } from '../engine/desiredState';
import type { WorkflowSettings } from '../handlers/workflows/settings';
import { CONFIG_AGGREGATOR_ROLE_NAME } from '../stacks/awsConfig/configStack';
import { conformancePackTemplateBody } from '../stacks/awsConfig/conformancePacks';
import { ORGANIZATION_REMEDIATION_ROLE_NAME } from '../stacks/organization/organizationStack';
import { customSourceCrawlerRoleName, metaStoreManagerRoleName, replicationRoleName } from '../stacks/securityLake/topology';

/** Names the stacks give to what remediation hands to services, as templates the executor fills per action. */
export function deploymentNames(config: RampartConfig): DeploymentNames {
  const home = config.global.homeRegion;
  const globalResourceRegion = config.security.config.recorder.includeGlobalResourceTypesIn ?? home;
  return {
    organizationRoleName: ORGANIZATION_REMEDIATION_ROLE_NAME,
    securityLakeMetaStoreRole: metaStoreManagerRoleName('{region}'),
    securityLakeReplicationRole: replicationRoleName('{region}'),
    securityLakeCrawlerRole: customSourceCrawlerRoleName('{region}'),
    // SecurityLakeRegionalStack's external id of a custom source's provider.
    customSourceExternalId: 'rampart-{source}-{provider}',
    configAggregatorRole: CONFIG_AGGREGATOR_ROLE_NAME,
    // The landing zone's Config delivery bucket in the log-archive account ({account}), as the member StackSets create recorders.
    configDeliveryBucket: `rampart-config-{account}-${home}`,
    globalResourceRegion,
    conformancePackTemplates: Object.fromEntries(config.security.config.conformancePacks.map((pack) => [pack.name, {
      globalRegion: conformancePackTemplateBody(pack.template, true),
      otherRegions: conformancePackTemplateBody(pack.template, false),
    }])),
  };
}

/** What the workflow handlers are shipped with (settings.json), derived from the configuration at synth. */
export function buildWorkflowSettings(config: RampartConfig, homeAccountId: string): WorkflowSettings {
  const { remediation, drift } = config.governance;
  return {
    desired: deriveDesiredState(config),
    remediation: {
      defaultMode: remediation.defaultMode, policies: remediation.policies, maxActionsPerRun: remediation.maxActionsPerRun,
      approvalTimeoutHours: remediation.approvalTimeoutHours,
    },
    drift: { schedule: drift.schedule, maxConcurrency: drift.maxConcurrency },
    homeAccountId,
    homeRegion: config.global.homeRegion,
    executionRoleName: config.global.executionRoleName,
    deployment: deploymentNames(config),
  };
}
