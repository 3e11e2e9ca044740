import type { DriftCheckContext } from './context';

/** Organization conformance pack states that leave the pack deployed. */
const PACK_DEPLOYED = new Set(['CREATE_SUCCESSFUL', 'CREATE_IN_PROGRESS', 'UPDATE_SUCCESSFUL', 'UPDATE_IN_PROGRESS', 'UPDATE_FAILED']);

/** Recorders in every configured account × Region, the organization aggregator, conformance packs per Region. */
export function checkConfig(ctx: DriftCheckContext): void {
  const desired = ctx.desired.config;
  if (ctx.wants('ConfigRecorderStopped')) {
    for (const account of ctx.checkedAccounts) {
      const regions = ctx.inventory.accounts[account.id]?.regions;
      for (const region of desired.regions) {
        const state = ctx.read({ kind: 'config.recorder', accountId: account.id, region }, regions?.[region]?.config, ['ConfigRecorderStopped']);
        if (!state || state.recorder?.recording) continue;
        const recorder = state.recorder;
        ctx.add('ConfigRecorderStopped', ctx.accountScope(account, region), 'Config recorder', {
          message: recorder
            ? `Config recorder ${recorder.name ?? ''} is stopped in ${account.name} (${account.id}) in ${region}`
            : `there is no Config recorder in ${account.name} (${account.id}) in ${region}`,
          expected: 'recording', actual: recorder ? 'stopped' : null, declaredAt: desired.recorder.declaredAt,
          facts: {
            accountId: account.id, region, ...(recorder?.name ? { recorderName: recorder.name } : {}), present: recorder !== null,
            allSupported: desired.recorder.allSupported, includeGlobalResourceTypes: region === desired.recorder.globalResourceRegion,
          },
        });
      }
    }
  }

  const adminAccountId = ctx.accountIdByName.get(desired.adminAccount);
  if (ctx.wants('ConfigAggregatorMissing') && adminAccountId) {
    const state = ctx.read({ kind: 'config.aggregators' }, ctx.inventory.config.aggregators, ['ConfigAggregatorMissing']);
    const { aggregator } = desired;
    const live = state?.aggregators.find((a) => a.name === aggregator.name && a.accountId === adminAccountId && a.region === aggregator.region);
    const coversRegions = live && (live.allRegions || desired.regions.every((r) => live.regions.includes(r)));
    if (state && !(live && live.organizationWide && coversRegions)) {
      ctx.add('ConfigAggregatorMissing', { accountId: adminAccountId, accountName: desired.adminAccount, region: aggregator.region }, `aggregator ${aggregator.name}`, {
        message: live
          ? `Config aggregator ${aggregator.name} does not aggregate the whole organization across ${desired.regions.join(', ')}`
          : `there is no Config aggregator ${aggregator.name} in ${desired.adminAccount} (${adminAccountId}) in ${aggregator.region}`,
        expected: { organizationWide: true, regions: desired.regions },
        actual: live ? { organizationWide: live.organizationWide, regions: live.allRegions ? 'all' : live.regions } : null,
        declaredAt: aggregator.declaredAt,
        facts: { accountId: adminAccountId, region: aggregator.region, aggregatorName: aggregator.name, regions: desired.regions },
      });
    }
  }

  if (ctx.wants('ConformancePackMissing') && adminAccountId && desired.conformancePacks.length) {
    for (const region of desired.regions) {
      const state = ctx.read({ kind: 'config.conformancePacks', region }, ctx.inventory.config.conformancePacks[region], ['ConformancePackMissing']);
      if (!state) continue;
      const byName = new Map(state.packs.map((p) => [p.name, p]));
      for (const pack of desired.conformancePacks) {
        const live = byName.get(pack.name);
        if (live && PACK_DEPLOYED.has(live.status)) continue;
        const excludedAccountIds = pack.excludedAccounts.flatMap((name) => ctx.accountIdByName.get(name) ?? []);
        ctx.add('ConformancePackMissing', { accountId: adminAccountId, accountName: desired.adminAccount, region }, `conformance pack ${pack.name}`, {
          message: live
            ? `organization conformance pack ${pack.name} is ${live.status} in ${region}${live.errorCode ? ` (${live.errorCode})` : ''}`
            : `organization conformance pack ${pack.name} does not exist in ${region}`,
          expected: 'deployed', actual: live?.status ?? null, declaredAt: pack.declaredAt,
          facts: { adminAccountId, region, packName: pack.name, templateName: pack.templateName, excludedAccountIds },
        });
      }
    }
  }
}
