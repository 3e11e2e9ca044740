import { customSourceRegion, resolveCustomSources, type RampartConfig, type ResolvedCustomSource } from '../../config/model';
import { AWS_LOG_SOURCES, type AwsLogSourceName, type SecurityLakeConfig } from '../../config/schema/securitylake';
import { subscriberRegions } from './topology';

export type SubscriberConfig = SecurityLakeConfig['subscribers'][number];

/** What one subscriber reads in one Region: one AWS::SecurityLake::Subscriber, and for LAKEFORMATION access one query stack. */
export interface RegionalSubscription {
  subscriber: SubscriberConfig;
  region: string;
  awsSources: { source: AwsLogSourceName; version: string }[];
  /** Custom sources the subscriber names that are registered in this Region (one per OCSF class). */
  customSources: ResolvedCustomSource[];
}

/**
 * Every subscriber in every Region it reads from (see `subscriberRegions`). Custom sources are
 * registered in one Region only, so a subscriber reads them only there; a subscriber left with
 * nothing to read in a Region gets no subscription there.
 */
export function regionalSubscriptions(config: RampartConfig): RegionalSubscription[] {
  const lake = config.securityLake;
  const customRegion = customSourceRegion(config);
  const custom = resolveCustomSources(config);
  const versions = new Map(lake.awsSources.map((s) => [s.source as string, s.version]));
  const out: RegionalSubscription[] = [];
  for (const region of subscriberRegions(config)) {
    for (const subscriber of lake.subscribers) {
      const awsSources = subscriber.sources
        .filter((name): name is AwsLogSourceName => (AWS_LOG_SOURCES as readonly string[]).includes(name))
        .map((source) => ({ source, version: versions.get(source) ?? '2.0' }));
      const customSources = region !== customRegion ? [] : subscriber.sources.flatMap((name) => custom.filter((s) => s.configName === name || s.sourceName === name));
      if (awsSources.length + customSources.length === 0) continue;
      out.push({ subscriber, region, awsSources, customSources: [...new Map(customSources.map((s) => [s.sourceName, s])).values()] });
    }
  }
  return out;
}

/** Custom sources a subscriber names but cannot read: registered in a Region where it has no subscription. */
export function unreadableCustomSources(config: RampartConfig): string[] {
  const customRegion = customSourceRegion(config);
  const regions = subscriberRegions(config);
  if (regions.includes(customRegion)) return [];
  const custom = resolveCustomSources(config);
  return config.securityLake.subscribers.flatMap((subscriber) => {
    const named = subscriber.sources.filter((name) => custom.some((s) => s.configName === name || s.sourceName === name));
    return named.length === 0 ? [] : [`subscriber ${subscriber.name} names custom source(s) ${named.join(', ')}, registered in ${customRegion}, ` +
      `but subscribers read only ${regions.join(', ')}: the custom sources stay out of its subscription (custom sources live in the home Region when it has a data lake; make that a rollup Region to query them)`];
  });
}
