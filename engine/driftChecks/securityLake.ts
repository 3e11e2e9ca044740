import type { DesiredSecurityLake } from '../desiredState';
import type { DataLakeSettings } from '../drift';
import type { DriftType } from '../driftTypes';
import type { InventoryDataLake } from '../inventory';
import { sameSet, sorted, type CheckedAccount, type DriftCheckContext } from './context';

const REGION_TYPES: DriftType[] = ['DataLakeMissing', 'DataLakeConfigurationMismatch', 'ReplicationMismatch', 'AwsSourceNotCollecting', 'OrgAutoEnableOff'];
const CUSTOM_TYPES: DriftType[] = ['CustomSourceMissing', 'CustomSourceWrongClass'];

/** Per lake Region: the data lake, its settings and replication, AWS sources per account, custom sources, auto-enable. */
export function checkSecurityLake(ctx: DriftCheckContext): void {
  if (!ctx.wants(...REGION_TYPES, ...CUSTOM_TYPES)) return;
  const lake = ctx.desired.securityLake;
  const adminAccountId = ctx.accountIdByName.get(lake.adminAccount);
  if (!adminAccountId) return; // the administrator account is missing: AccountRemoved says so
  const settings: DataLakeSettings = {
    ...(lake.encryption.kmsKeyAlias ? { kmsKeyAlias: lake.encryption.kmsKeyAlias } : {}),
    expirationDays: lake.lifecycle.expirationDays,
    transitions: lake.lifecycle.transitions,
  };
  const sourceAccounts = lake.awsSources.map((source) => ({ source, accounts: accountsFor(ctx, source.accounts) }));

  for (const desiredRegion of lake.regions) {
    const { region } = desiredRegion;
    const affects = region === lake.customSourceRegion ? [...REGION_TYPES, ...CUSTOM_TYPES] : REGION_TYPES;
    const state = ctx.read({ kind: 'securitylake.region', region }, ctx.inventory.securityLake.regions[region], affects);
    if (!state) continue;
    const where = { adminAccountId, region };
    const scope = { accountId: adminAccountId, accountName: lake.adminAccount, region };
    const expectedReplication = desiredRegion.replicateTo ? [desiredRegion.replicateTo] : [];

    const dataLake = state.dataLake;
    if (!dataLake || dataLake.status === 'FAILED') {
      ctx.add('DataLakeMissing', scope, 'data lake', {
        message: dataLake ? `the Security Lake data lake in ${region} failed to create` : `there is no Security Lake data lake in ${region}`,
        expected: 'a data lake', actual: dataLake ? dataLake.status : null, declaredAt: desiredRegion.declaredAt,
        facts: { ...where, ...settings, replicationRegions: expectedReplication },
      });
      continue; // sources and settings of a missing lake would only repeat this drift
    }

    const mismatches = settingsMismatches(lake, dataLake);
    if (mismatches.length) {
      ctx.add('DataLakeConfigurationMismatch', scope, 'data lake settings', {
        message: `the data lake in ${region} differs from the configuration: ${mismatches.join('; ')}`,
        expected: { encryption: lake.encryption.kmsKeyAlias ?? 'S3_MANAGED_KEY', expirationDays: settings.expirationDays, transitions: settings.transitions },
        actual: { encryption: dataLake.encryption.kmsKeyAlias ?? dataLake.encryption.kmsKeyId, expirationDays: dataLake.lifecycle.expirationDays ?? null, transitions: dataLake.lifecycle.transitions },
        declaredAt: mismatches[0].startsWith('encryption') ? lake.encryption.declaredAt : lake.lifecycle.declaredAt,
        facts: { ...where, ...settings },
      });
    }

    const actualReplication = sorted(dataLake.replication?.regions ?? []);
    if (!sameSet(actualReplication, expectedReplication)) {
      ctx.add('ReplicationMismatch', scope, 'replication', {
        message: desiredRegion.replicateTo
          ? `${region} ${actualReplication.length ? `replicates to ${actualReplication.join(', ')}` : 'does not replicate'}; it should replicate to its rollup Region ${desiredRegion.replicateTo}`
          : `${region} replicates to ${actualReplication.join(', ')}; the configuration has it replicate nowhere`,
        expected: expectedReplication, actual: actualReplication, declaredAt: desiredRegion.replicationDeclaredAt,
        facts: { ...where, expectedRegions: expectedReplication, actualRegions: actualReplication },
      });
    }

    for (const { source, accounts } of sourceAccounts) {
      for (const account of accounts) {
        const live = state.awsSources[account.id]?.find((s) => s.sourceName === source.sourceName);
        if (live && live.status === 'COLLECTING' && live.sourceVersion === source.sourceVersion) continue;
        ctx.add('AwsSourceNotCollecting', ctx.accountScope(account, region), `AWS source ${source.sourceName}`, {
          message: live
            ? `${source.sourceName} ${live.sourceVersion} is ${live.status} for ${account.name} (${account.id}) in ${region}; expected version ${source.sourceVersion} COLLECTING`
            : `${source.sourceName} is not enabled for ${account.name} (${account.id}) in ${region}`,
          expected: { sourceVersion: source.sourceVersion, status: 'COLLECTING' },
          actual: live ? { sourceVersion: live.sourceVersion, status: live.status } : null,
          declaredAt: source.declaredAt,
          facts: { ...where, accountId: account.id, sourceName: source.sourceName, sourceVersion: source.sourceVersion },
        });
      }
    }

    if (lake.autoEnable.enabled && lake.autoEnable.sources.length) {
      const enabled = new Set(state.autoEnableNewAccounts.map((s) => `${s.sourceName}@${s.sourceVersion}`));
      const missing = lake.autoEnable.sources.filter((s) => !enabled.has(`${s.sourceName}@${s.sourceVersion}`));
      if (missing.length) {
        ctx.add('OrgAutoEnableOff', scope, 'organization auto-enable', {
          message: `new accounts in ${region} do not get ${missing.map((s) => `${s.sourceName} ${s.sourceVersion}`).join(', ')} automatically`,
          expected: lake.autoEnable.sources, actual: state.autoEnableNewAccounts, declaredAt: lake.autoEnable.declaredAt,
          facts: { ...where, sources: lake.autoEnable.sources },
        });
      }
    }

    if (region === lake.customSourceRegion) {
      const byName = new Map(state.customSources.map((s) => [s.sourceName, s]));
      for (const source of lake.customSources) {
        const live = byName.get(source.sourceName);
        const providerAccountId = ctx.accountIdByName.get(source.providerAccount);
        const facts = {
          ...where, sourceName: source.sourceName, sourceVersion: source.sourceVersion, eventClass: source.eventClass, ingestion: source.ingestion,
          ...(providerAccountId ? { providerAccountId } : {}),
        };
        if (!live) {
          ctx.add('CustomSourceMissing', scope, `custom source ${source.sourceName}`, {
            message: `custom source ${source.sourceName} (${source.eventClass}) is not registered in ${region}`,
            expected: { sourceName: source.sourceName, eventClasses: [source.eventClass] }, actual: null, declaredAt: source.declaredAt, facts,
          });
        } else if (!sameSet(live.eventClasses, [source.eventClass])) {
          ctx.add('CustomSourceWrongClass', scope, `custom source ${source.sourceName}`, {
            message: `custom source ${source.sourceName} in ${region} has event classes ${live.eventClasses.join(', ') || '(none)'}; the configuration says ${source.eventClass}`,
            expected: [source.eventClass], actual: sorted(live.eventClasses), declaredAt: source.declaredAt,
            facts: { ...facts, actualEventClasses: sorted(live.eventClasses) },
          });
        }
      }
    }
  }
}

function accountsFor(ctx: DriftCheckContext, accounts: 'all' | string[]): CheckedAccount[] {
  if (accounts === 'all') return ctx.checkedAccounts;
  const wanted = new Set(accounts);
  return ctx.checkedAccounts.filter((a) => wanted.has(a.name));
}

function settingsMismatches(lake: DesiredSecurityLake, dataLake: InventoryDataLake): string[] {
  const out: string[] = [];
  if (!encryptionMatches(lake.encryption.kmsKeyAlias, dataLake.encryption)) {
    out.push(`encryption ${dataLake.encryption.kmsKeyAlias ?? dataLake.encryption.kmsKeyId}, expected ${lake.encryption.kmsKeyAlias ?? 'S3_MANAGED_KEY'}`);
  }
  if (dataLake.lifecycle.expirationDays !== lake.lifecycle.expirationDays) {
    out.push(`expiration after ${dataLake.lifecycle.expirationDays ?? 'never'} days, expected ${lake.lifecycle.expirationDays}`);
  }
  const transitions = (list: { days: number; storageClass: string }[]) => list.map((t) => `${t.days}:${t.storageClass}`);
  if (!sameSet(transitions(dataLake.lifecycle.transitions), transitions(lake.lifecycle.transitions))) {
    out.push(`transitions ${transitions(dataLake.lifecycle.transitions).join(', ') || '(none)'}, expected ${transitions(lake.lifecycle.transitions).join(', ') || '(none)'}`);
  }
  return out;
}

/** Whether the lake's key is the configured one. A bare key id or key ARN is accepted: which alias names it was not read. */
function encryptionMatches(alias: string | undefined, actual: InventoryDataLake['encryption']): boolean {
  const s3Managed = actual.kmsKeyId === 'S3_MANAGED_KEY';
  if (!alias) return s3Managed;
  if (s3Managed) return false;
  if (actual.kmsKeyAlias) return actual.kmsKeyAlias === alias;
  if (actual.kmsKeyId.startsWith('alias/')) return actual.kmsKeyId === alias;
  if (actual.kmsKeyId.includes(':alias/')) return actual.kmsKeyId.endsWith(`:${alias}`);
  return true;
}
