import { NEVER_AUTO_DRIFT_TYPES, type DriftType } from '../config/driftTypeNames';

export type { DriftType } from '../config/driftTypeNames';
export { DRIFT_TYPE_NAMES } from '../config/driftTypeNames';

/** Severity and behaviour of every kind of divergence between the configuration and the live organization. */
export const DRIFT_TYPES = {
  // Organization structure (the Control Tower drift types and more)
  AccountMovedOu: { severity: 'HIGH', summary: 'An account sits in a different OU than configured' },
  AccountRemoved: { severity: 'HIGH', summary: 'A configured account is missing from the organization or suspended' },
  AccountNotInConfig: { severity: 'MEDIUM', summary: 'An active account in the organization is not in the configuration' },
  OuDeleted: { severity: 'HIGH', summary: 'A configured OU does not exist' },
  ScpMissing: { severity: 'HIGH', summary: 'A configured SCP does not exist' },
  ScpUpdated: { severity: 'HIGH', summary: 'An SCP document differs from the configuration' },
  ScpDetached: { severity: 'HIGH', summary: 'A configured SCP is not attached to one of its targets' },
  TrustedAccessDisabled: { severity: 'HIGH', summary: 'Trusted access for a governed service is disabled' },
  DelegatedAdminMismatch: { severity: 'HIGH', summary: 'A service has no delegated administrator or the wrong one' },
  // Security Hub
  SecurityHubDisabled: { severity: 'HIGH', summary: 'Security Hub is not enabled in an account and Region' },
  PciStandardMissing: { severity: 'CRITICAL', summary: 'A PCI account lacks the PCI DSS v4.0.1 standard' },
  StandardMissing: { severity: 'HIGH', summary: 'A configured Security Hub standard is not enabled' },
  StandardNotConfigured: { severity: 'LOW', summary: 'A Security Hub standard is enabled where the configuration does not ask for it' },
  SecurityHubControlDisabled: { severity: 'HIGH', summary: 'A Security Hub control is disabled but not listed as disabled in the configuration' },
  ConfigurationPolicyMismatch: { severity: 'HIGH', summary: 'A central configuration policy is missing or its standards or disabled controls differ from the configuration' },
  ConfigurationPolicyAssociationMismatch: { severity: 'HIGH', summary: 'An OU is not associated with its configured central configuration policy' },
  // Security Lake
  DataLakeMissing: { severity: 'HIGH', summary: 'The Security Lake data lake is missing in a Region' },
  DataLakeConfigurationMismatch: { severity: 'MEDIUM', summary: 'A data lake\'s encryption or retention differs from the configuration' },
  ReplicationMismatch: { severity: 'HIGH', summary: 'A contributing Region does not replicate to its rollup Region, or replicates where it should not' },
  AwsSourceNotCollecting: { severity: 'HIGH', summary: 'An AWS log source is not collecting for an account and Region' },
  CustomSourceMissing: { severity: 'MEDIUM', summary: 'A configured custom source does not exist' },
  CustomSourceWrongClass: { severity: 'MEDIUM', summary: 'A custom source has a different OCSF event class than configured' },
  OrgAutoEnableOff: { severity: 'MEDIUM', summary: 'Security Lake does not enable sources for new accounts' },
  // AWS Config
  ConfigRecorderStopped: { severity: 'HIGH', summary: 'The AWS Config recorder is missing or stopped' },
  ConformancePackMissing: { severity: 'HIGH', summary: 'A configured organization conformance pack is missing' },
  ConfigAggregatorMissing: { severity: 'MEDIUM', summary: 'The organization Config aggregator is missing' },
  // IAM Access Analyzer and access boundaries
  AnalyzerMissing: { severity: 'HIGH', summary: 'The organization analyzer is missing in a Region' },
  ExternalTrustOnRole: { severity: 'HIGH', summary: 'An IAM role trusts a principal outside the zone of trust' },
  PciSegmentationPath: { severity: 'HIGH', summary: 'A principal outside the PCI OU can reach into a PCI account and is not allowlisted' },
} as const satisfies Record<DriftType, { severity: Severity; summary: string }>;

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

export function isDriftType(name: string): name is DriftType {
  return Object.prototype.hasOwnProperty.call(DRIFT_TYPES, name);
}

/** Whether policy may let Rampart repair this drift without a human (never for account moves). */
export function isAutoRemediable(type: DriftType): boolean {
  return !NEVER_AUTO_DRIFT_TYPES.has(type);
}
