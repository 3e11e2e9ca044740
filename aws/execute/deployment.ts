/**
 * What remediation needs to know of the deployment that the actions do not carry: names the
 * stacks give to roles that Security Lake and AWS Config are handed, the conformance pack
 * templates, and where a recreated Config recorder delivers. Built at synth from the
 * configuration (workflows/settings.ts) and shipped with the workflow handlers.
 * `{region}`, `{account}`, `{source}` and `{provider}` in a name are filled in per action.
 */
export interface DeploymentNames {
  /** Role in the management account that organization-level writes use. */
  organizationRoleName: string;
  securityLakeMetaStoreRole: string;
  securityLakeReplicationRole: string;
  securityLakeCrawlerRole: string;
  /** External id the provider of a custom source presents. */
  customSourceExternalId: string;
  configAggregatorRole: string;
  /** Delivery bucket for a recorder created where an account has no delivery channel; `{account}` is the log-archive account. */
  configDeliveryBucket: string;
  /** Conformance pack template bodies by pack name: in the Region that records global resources, and elsewhere. */
  conformancePackTemplates: Record<string, { globalRegion: string; otherRegions: string }>;
  /** The Region whose recorder records global resource types. */
  globalResourceRegion: string;
}

export function fillName(template: string, values: { region?: string; account?: string; source?: string; provider?: string }): string {
  return template.replace(/\{(region|account|source|provider)\}/g, (_, key: keyof typeof values) => {
    const value = values[key];
    if (value === undefined) throw new Error(`the name ${template} needs a ${key}`);
    return value;
  });
}
