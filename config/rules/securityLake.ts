import * as fs from 'node:fs';
import { BUILTIN_MAPPINGS_DIR, eventClassForUid, mappingClassUids, resolveCustomSources, resolveMappingPath } from '../model';
import { AWS_LOG_SOURCES, CUSTOM_SOURCE_EVENT_CLASSES } from '../schema/securitylake';
import type { CrossFileRule, RuleContext } from './context';

/** Rollup topology, custom-source mapping files and subscriber sources. */
export const securityLakeRules: CrossFileRule[] = [
  { title: 'rollup Regions and their contributing Regions', needs: ['global', 'securityLake'], check: checkRollupRegions },
  { title: 'custom-source mapping files, registered source names and subscriber sources', needs: ['securityLake'], check: checkSources },
  { title: 'query subscribers: one per account, version 2 sources for the views, look-back window', needs: ['securityLake'], check: checkQuerySubscribers },
];

/** Source versions the rampart_security_insights views read (OCSF 1.1.0 tables, `_2_0`). */
const VIEW_SOURCES = ['SH_FINDINGS', 'CLOUD_TRAIL_MGMT', 'VPC_FLOW'];

function checkQuerySubscribers(ctx: RuleContext): void {
  const lake = ctx.file('securityLake');
  const queryAccounts = new Map<string, number>();
  lake.subscribers.forEach((subscriber, index) => {
    const base = ['subscribers', index];
    if (subscriber.accessType !== 'LAKEFORMATION') {
      if (subscriber.lookbackDays !== undefined) {
        ctx.report('securityLake', [...base, 'lookbackDays'], {
          rule: 'securitylake.subscriber-lookback', severity: 'warning', found: `lookbackDays on an ${subscriber.accessType} subscriber`,
          expected: 'lookbackDays only on LAKEFORMATION subscribers, which get the rampart_security_insights views', hint: 'remove lookbackDays, or set accessType: LAKEFORMATION',
        });
      }
      return;
    }
    const first = queryAccounts.get(subscriber.account);
    if (first !== undefined) {
      ctx.report('securityLake', [...base, 'account'], {
        rule: 'securitylake.subscriber-account', found: `a second LAKEFORMATION subscriber for account "${subscriber.account}" (the first is "${lake.subscribers[first].name}")`,
        expected: 'one LAKEFORMATION subscriber per account: each gets the rampart_security_insights database, views and Athena workgroup in its account',
        hint: `merge the sources into subscriber "${lake.subscribers[first].name}"`,
      });
    }
    queryAccounts.set(subscriber.account, first ?? index);
    subscriber.sources.forEach((source, i) => {
      const collected = lake.awsSources.find((s) => s.source === source);
      if (!VIEW_SOURCES.includes(source) || !collected || collected.version === '2.0') return;
      ctx.report('securityLake', [...base, 'sources', i], {
        rule: 'securitylake.subscriber-source-version', found: `${source} collected as version ${collected.version}`,
        expected: 'source version 2.0 (OCSF 1.1.0): the query access links the _2_0 tables and the views read them', hint: `set version: "2.0" for ${source} under awsSources`,
      });
    });
    const lookback = subscriber.lookbackDays;
    if (lookback !== undefined && lookback > lake.lifecycle.expirationDays) {
      ctx.report('securityLake', [...base, 'lookbackDays'], {
        rule: 'securitylake.subscriber-lookback', severity: 'warning', found: `a ${lookback}-day look-back over a lake that keeps data ${lake.lifecycle.expirationDays} days`,
        expected: `lookbackDays at most lifecycle.expirationDays (${lake.lifecycle.expirationDays})`, hint: `lower lookbackDays to ${lake.lifecycle.expirationDays} or less; older data is gone`,
      });
    }
  });
}

function checkRollupRegions(ctx: RuleContext): void {
  const lake = ctx.file('securityLake');
  const lakeRegions = new Set(lake.regions);
  const rollupRegions = new Set(lake.rollupRegions.map((r) => r.region));
  const contributorOf = new Map<string, string>();

  lake.rollupRegions.forEach((rollup, index) => {
    const base = ['rollupRegions', index];
    if (ctx.checkEnabledRegion('securityLake', [...base, 'region'], rollup.region) && !lakeRegions.has(rollup.region)) {
      ctx.report('securityLake', [...base, 'region'], {
        rule: 'securitylake.rollup-region', found: `rollup Region ${rollup.region} without a data lake`, expected: 'a Region listed in regions',
        hint: `add ${rollup.region} to securitylake.yaml regions`,
      });
    }
    rollup.contributingRegions.forEach((region, i) => {
      const fieldPath = [...base, 'contributingRegions', i];
      if (region === rollup.region) {
        ctx.report('securityLake', fieldPath, {
          rule: 'securitylake.rollup-self', found: `${region} contributing to itself`, expected: 'contributing Regions other than the rollup Region',
          hint: `remove ${region} from its own contributingRegions`,
        });
        return;
      }
      if (rollupRegions.has(region)) {
        ctx.report('securityLake', fieldPath, {
          rule: 'securitylake.rollup-loop', found: `${region}, which is itself a rollup Region`, expected: 'a contributing Region that is not a rollup Region',
          hint: 'a rollup Region cannot replicate onward; make one of them the single rollup Region for both',
        });
      }
      const previous = contributorOf.get(region);
      if (previous && previous !== rollup.region) {
        ctx.report('securityLake', fieldPath, {
          rule: 'securitylake.rollup-twice', found: `${region} already contributing to ${previous}`, expected: 'each contributing Region replicating to one rollup Region',
          hint: `remove ${region} from one of the rollup entries`,
        });
      }
      contributorOf.set(region, rollup.region);
      if (ctx.checkEnabledRegion('securityLake', fieldPath, region) && !lakeRegions.has(region)) {
        ctx.report('securityLake', fieldPath, {
          rule: 'securitylake.contributing-region', found: `contributing Region ${region} without a data lake`, expected: 'a Region listed in regions',
          hint: `add ${region} to securitylake.yaml regions`,
        });
      }
    });
  });
}

function checkSources(ctx: RuleContext): void {
  const lake = ctx.file('securityLake');
  lake.customSources.forEach((source, index) => {
    const fieldPath = ['customSources', index, 'mapping'];
    const file = resolveMappingPath(ctx.dir, source.mapping);
    if (!fs.existsSync(file)) {
      const builtins = fs.existsSync(BUILTIN_MAPPINGS_DIR) ? fs.readdirSync(BUILTIN_MAPPINGS_DIR).filter((f) => f.endsWith('.json')).map((f) => `builtin:${f.slice(0, -5)}`) : [];
      ctx.report('securityLake', fieldPath, {
        rule: 'securitylake.mapping-missing', found: `no file at ${source.mapping}`, expected: 'a mapping file relative to the configuration directory, or builtin:<name>',
        hint: `create the mapping file or correct the path; shipped mappings: ${builtins.join(', ')}`,
      });
      return;
    }
    let mapping: unknown;
    try {
      mapping = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      ctx.report('securityLake', fieldPath, {
        rule: 'securitylake.mapping-json', found: `${source.mapping} is not valid JSON (${(error as Error).message})`, expected: 'a JSON mapping file',
        hint: 'fix the JSON syntax; `rampart mapping check FILE` shows the details',
      });
      return;
    }
    const events = (mapping as { custom_source_events?: { ocsf_mapping?: unknown } } | null)?.custom_source_events;
    if (!events || typeof events.ocsf_mapping !== 'object' || events.ocsf_mapping === null) {
      ctx.report('securityLake', fieldPath, {
        rule: 'securitylake.mapping-shape', found: `${source.mapping} without custom_source_events.ocsf_mapping`, expected: 'a mapping in the transformation-library format',
        hint: 'start from one of the files in ocsf/mappings',
      });
      return;
    }
    const uids = mappingClassUids(mapping);
    uids.forEach((uid) => {
      if (!eventClassForUid(uid)) {
        ctx.report('securityLake', fieldPath, {
          rule: 'securitylake.mapping-class', found: `${source.mapping} maps to OCSF class ${uid}`, expected: 'OCSF classes Security Lake accepts for custom sources',
          hint: 'map these events to a supported class or drop them from the mapping',
        });
      }
    });
    if (source.eventClass && !uids.includes(CUSTOM_SOURCE_EVENT_CLASSES[source.eventClass].uid)) {
      ctx.report('securityLake', ['customSources', index, 'eventClass'], {
        rule: 'securitylake.mapping-class', found: `${source.eventClass}, which ${source.mapping} never produces (it maps to ${uids.join(', ') || 'no class'})`,
        expected: 'a class the mapping produces', hint: 'correct eventClass, or omit it to get one source per class of the mapping',
      });
    }
    ctx.mappings[source.name] = mapping;
  });

  // Names as registered: a multi-class mapping adds a class code, and Security Lake's 20-character limit still holds.
  const resolved = resolveCustomSources({ dir: ctx.dir, securityLake: lake, mappings: ctx.mappings });
  const seenNames = new Map<string, string>();
  const tooLong = new Map<number, typeof resolved>();
  for (const source of resolved) {
    if (source.sourceName.length > 20) tooLong.set(source.configIndex, [...(tooLong.get(source.configIndex) ?? []), source]);
    const other = seenNames.get(source.sourceName);
    if (other !== undefined && other !== source.configName) {
      ctx.report('securityLake', ['customSources', source.configIndex, 'name'], {
        rule: 'unique', found: `registered source name "${source.sourceName}" also produced by "${other}"`, expected: 'unique source names', hint: 'rename one of the custom sources',
      });
    }
    seenNames.set(source.sourceName, source.configName);
  }
  // One message per configured entry, naming every registered name that is too long.
  for (const [configIndex, sources] of tooLong) {
    const configName = sources[0].configName;
    const longestSuffix = Math.max(...sources.map((s) => s.sourceName.length - configName.length));
    ctx.report('securityLake', ['customSources', configIndex, 'name'], {
      rule: 'securitylake.custom-source-name',
      found: sources.map((s) => `"${s.sourceName}" (${s.sourceName.length} characters) for ${s.eventClass}`).join(', '),
      expected: 'at most 20 characters per registered source name', hint: `shorten "${configName}" to ${20 - longestSuffix} characters`,
    });
  }

  const knownSources = new Set<string>([
    ...lake.awsSources.map((s) => s.source),
    ...lake.customSources.map((s) => s.name),
    ...resolved.map((s) => s.sourceName),
  ]);
  lake.subscribers.forEach((subscriber, index) => {
    subscriber.sources.forEach((source, i) => {
      if (knownSources.has(source)) return;
      const native = (AWS_LOG_SOURCES as readonly string[]).includes(source);
      ctx.report('securityLake', ['subscribers', index, 'sources', i], {
        rule: 'securitylake.subscriber-source', found: `source "${source}"`, expected: `a configured source: ${[...knownSources].join(', ')}`,
        hint: native ? `enable ${source} under awsSources first` : 'name a configured AWS source or custom source',
      });
    });
  });
}
