import type { RampartConfig } from '../config/model';
import type { BuildResult } from './buildLandingZone';
import type { FakeAws } from '../sandbox';
import { seedConfigRecorder } from '../sandbox/seed/securityServices';

/**
 * Seeds, with the sandbox's own seeding, the parts of the landing zone Rampart's executor does not
 * create, and returns one line per part: the management account's own Config recorder and Security
 * Lake sources (Rampart never writes to the management account; its OrganizationStack and the
 * account's owners set those up), and Security Hub central configuration (SecurityHubStack turns it
 * on; the executor has no action for it). Only what the build left drifted is seeded.
 */
export async function seedWhatTheExecutorLeaves(fake: FakeAws, config: RampartConfig, built: BuildResult, accountIds: Record<string, string>): Promise<string[]> {
  const seeded: string[] = [];
  const management = accountIds[config.global.managementAccount];
  const drifted = new Set(built.report.drifts.map((d) => d.type));
  const regions = config.global.enabledRegions;
  if (drifted.has('ConformancePackMissing') || drifted.has('ConfigRecorderStopped')) {
    const globalRegion = config.security.config.recorder.includeGlobalResourceTypesIn ?? config.global.homeRegion;
    const logArchive = accountIds[config.organization.mandatoryAccounts.logArchive];
    for (const region of regions) await seedConfigRecorder(fake, management, region, globalRegion, `rampart-config-${logArchive}-${config.global.homeRegion}`);
    seeded.push('the management account\'s Config recorders');
  }
  const managementSources = built.report.drifts.some((d) => d.type === 'AwsSourceNotCollecting' && JSON.stringify(d.facts).includes(management));
  if (managementSources) {
    const lake = config.securityLake;
    await fake.invoke('securitylake', 'CreateAwsLogSource', {
      sources: lake.awsSources.filter((s) => s.accounts === 'all' || s.accounts.includes(config.global.managementAccount))
        .map((s) => ({ sourceName: s.source, sourceVersion: s.version, regions: lake.regions, accounts: [management] })),
    }, { account: accountIds[lake.delegatedAdmin], region: config.global.homeRegion });
    seeded.push('the management account\'s Security Lake sources');
  }
  if (drifted.has('ConfigurationPolicyMismatch')) {
    const hub = config.security.securityHub;
    const linked = config.global.enabledRegions.filter((r) => r !== hub.aggregationRegion);
    await fake.invoke('securityhub', 'CreateFindingAggregator', linked.length ? { RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: linked } : { RegionLinkingMode: 'NO_REGIONS' },
      { account: accountIds[hub.delegatedAdmin], region: hub.aggregationRegion });
    await fake.invoke('securityhub', 'UpdateOrganizationConfiguration', { AutoEnable: false, AutoEnableStandards: 'NONE', OrganizationConfiguration: { ConfigurationType: 'CENTRAL' } },
      { account: accountIds[hub.delegatedAdmin], region: hub.aggregationRegion });
    seeded.push('Security Hub\'s finding aggregator and central configuration');
  }
  return seeded;
}
