import {
  ConfigServiceClient, paginateDescribeAggregateComplianceByConfigRules, paginateGetOrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import type { Inventory, InventoryConformancePack, ORGANIZATION_RESOURCE_STATUSES } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * AWS Config rule compliance of the organization conformance packs, for evidence: per template
 * rule and Region, the accounts where it is NON_COMPLIANT or has INSUFFICIENT_DATA (two filtered
 * reads of the organization aggregator, however many accounts), and where each pack deployed.
 * Member accounts' rules carry a suffix (`<rule>-conformance-pack-<id>`, the name cut to fit);
 * they are matched back to the pack templates' rule names.
 */

const ConfigService = ConfigServiceClient as ClientConstructor<ConfigServiceClient>;
const MEMBER_SUFFIX = /-conformance-pack-[a-z0-9]+$/;
const PAGE_SIZE = 1000;

type RuleType = 'NON_COMPLIANT' | 'INSUFFICIENT_DATA';

/** Per Region, per template rule name, the accounts of each non-passing compliance type. */
export type RuleComplianceView = Record<string, Record<string, Record<RuleType, Set<string>>>>;

/** The template rule a member account's rule was deployed from, or undefined when no template rule matches unambiguously. */
export function templateRuleName(memberRuleName: string, templateRules: ReadonlySet<string>): string | undefined {
  const base = memberRuleName.replace(MEMBER_SUFFIX, '');
  if (templateRules.has(base)) return base;
  const candidates = [...templateRules].filter((rule) => rule.startsWith(base));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Non-compliant and insufficient-data rules of the whole organization, from the aggregator in the Config administrator account. */
export async function readRuleCompliance(clients: AwsClients, adminAccountId: string, homeRegion: string, aggregatorName: string, templateRules: ReadonlySet<string>): Promise<RuleComplianceView> {
  const client = clients.client(ConfigService, 'config', { account: adminAccountId, region: homeRegion });
  const view: RuleComplianceView = {};
  for (const type of ['NON_COMPLIANT', 'INSUFFICIENT_DATA'] as const) {
    const pages = paginateDescribeAggregateComplianceByConfigRules({ client, pageSize: PAGE_SIZE }, { ConfigurationAggregatorName: aggregatorName, Filters: { ComplianceType: type } });
    for await (const page of pages) {
      for (const item of page.AggregateComplianceByConfigRules ?? []) {
        const rule = templateRuleName(item.ConfigRuleName as string, templateRules);
        if (!rule) continue; // a rule of no Rampart pack
        const byRule = (view[item.AwsRegion as string] ??= {});
        const entry = (byRule[rule] ??= { NON_COMPLIANT: new Set(), INSUFFICIENT_DATA: new Set() });
        entry[type].add(item.AccountId as string);
      }
    }
  }
  return view;
}

/** Where one organization conformance pack deployed, per member account. */
export async function readMemberStatus(clients: AwsClients, adminAccountId: string, region: string, packName: string): Promise<NonNullable<InventoryConformancePack['memberStatus']>> {
  const client = clients.client(ConfigService, 'config', { account: adminAccountId, region });
  const out: NonNullable<InventoryConformancePack['memberStatus']> = {};
  for await (const page of paginateGetOrganizationConformancePackDetailedStatus({ client, pageSize: 100 }, { OrganizationConformancePackName: packName })) {
    for (const status of page.OrganizationConformancePackDetailedStatuses ?? []) out[status.AccountId as string] = status.Status as (typeof ORGANIZATION_RESOURCE_STATUSES)[number];
  }
  return out;
}

/**
 * The inventory with each readable, deployed pack's rules filled in from the view: every template
 * rule of the pack, NON_COMPLIANT where any account is, else INSUFFICIENT_DATA where any account
 * has no evaluation, else COMPLIANT (compliant or out of the rule's scope everywhere).
 */
export function withRuleCompliance(
  inventory: Inventory,
  view: RuleComplianceView,
  packRules: Readonly<Record<string, readonly string[]>>,
  memberStatus: Readonly<Record<string, Record<string, InventoryConformancePack['memberStatus']>>> = {},
): Inventory {
  const conformancePacks: Inventory['config']['conformancePacks'] = {};
  for (const [region, state] of Object.entries(inventory.config.conformancePacks)) {
    if (state.status !== 'ok') {
      conformancePacks[region] = state;
      continue;
    }
    conformancePacks[region] = {
      ...state,
      packs: state.packs.map((pack) => {
        const rules = packRules[pack.name];
        const status = memberStatus[region]?.[pack.name];
        if (!rules) return pack;
        return {
          ...pack,
          ...(status ? { memberStatus: status } : {}),
          rules: rules.map((ruleName) => {
            const entry = view[region]?.[ruleName];
            const nonCompliant = [...(entry?.NON_COMPLIANT ?? [])].sort();
            const insufficient = [...(entry?.INSUFFICIENT_DATA ?? [])].sort();
            const compliance = nonCompliant.length ? 'NON_COMPLIANT' as const : insufficient.length ? 'INSUFFICIENT_DATA' as const : 'COMPLIANT' as const;
            return { ruleName, compliance, nonCompliantAccountIds: nonCompliant, insufficientDataAccountIds: insufficient };
          }),
        };
      }),
    };
  }
  return { ...inventory, config: { ...inventory.config, conformancePacks } };
}
