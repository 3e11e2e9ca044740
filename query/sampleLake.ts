import { LakeRecord, writeLakeRecords } from './lakeWriter';
import { cloudTrailEvents } from './sample/cloudTrailEvents';
import { SeededRandom } from './sample/random';
import { SampleScope } from './sample/scope';
import { securityHubFindings } from './sample/securityHubFindings';
import { vpcFlows } from './sample/vpcFlows';
import { NATIVE_SOURCE_NAMES, NativeSource } from './securityLakeTables';

/**
 * Sample Security Lake data for the three native sources the views read — Security Hub
 * findings, CloudTrail management events and VPC Flow Logs — in Security Lake 2.0's OCSF 1.1.0
 * shapes. The same options always give the same events; each account and Region draws from its
 * own seeded stream, so adding accounts does not change the others' data.
 */

export interface SampleLakeOptions {
  /** 12-digit account ids. */
  accounts: readonly string[];
  regions: readonly string[];
  seed: number;
  /** End of the sampled span; every event is before it. */
  now: Date;
  /** Days of activity before `now` (default 8). */
  days?: number;
}

export type SampleEvents = Record<NativeSource, LakeRecord[]>;

export class SampleLakeOptionsError extends Error {}

const GENERATORS: Record<NativeSource, (scope: SampleScope) => LakeRecord[]> = {
  SH_FINDINGS: securityHubFindings,
  CLOUD_TRAIL_MGMT: cloudTrailEvents,
  VPC_FLOW: vpcFlows,
};

export function generateSampleEvents(options: SampleLakeOptions): SampleEvents {
  const days = options.days ?? 8;
  checkOptions(options, days);
  const events = Object.fromEntries(NATIVE_SOURCE_NAMES.map((source) => [source, [] as LakeRecord[]])) as SampleEvents;
  for (const source of NATIVE_SOURCE_NAMES) {
    const serial: Record<string, number> = {};
    for (const account of options.accounts) {
      for (const region of options.regions) {
        const random = new SeededRandom(hash(`${options.seed}/${source}/${account}/${region}`));
        events[source].push(...GENERATORS[source]({ account, region, now: options.now.getTime(), days, random, serial }));
      }
    }
  }
  return events;
}

/** Generates the sample and writes it to `dir` in the local lake layout; returns rows per source. */
export async function writeSampleLake(dir: string, options: SampleLakeOptions): Promise<Record<NativeSource, number>> {
  const events = generateSampleEvents(options);
  const rows = {} as Record<NativeSource, number>;
  for (const source of NATIVE_SOURCE_NAMES) {
    rows[source] = (await writeLakeRecords(dir, source, events[source])).rows;
  }
  return rows;
}

function checkOptions(options: SampleLakeOptions, days: number): void {
  const problems: string[] = [];
  if (options.accounts.length === 0) problems.push('accounts: expected at least one 12-digit account id');
  for (const account of options.accounts) if (!/^\d{12}$/.test(account)) problems.push(`account ${JSON.stringify(account)}: expected 12 digits`);
  if (new Set(options.accounts).size !== options.accounts.length) problems.push('accounts: each account id once');
  if (options.regions.length === 0) problems.push('regions: expected at least one Region, e.g. us-east-1');
  for (const region of options.regions) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) problems.push(`region ${JSON.stringify(region)}: expected a Region name such as us-east-1`);
  if (new Set(options.regions).size !== options.regions.length) problems.push('regions: each Region once');
  if (!Number.isSafeInteger(options.seed)) problems.push(`seed ${options.seed}: expected a whole number`);
  if (Number.isNaN(options.now.getTime())) problems.push('now: expected a valid date');
  if (!Number.isSafeInteger(days) || days < 1 || days > 366) problems.push(`days ${days}: expected a whole number from 1 to 366`);
  if (problems.length > 0) throw new SampleLakeOptionsError(`sample lake options: ${problems.join('; ')}`);
}

/** FNV-1a: a stable 32-bit seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
