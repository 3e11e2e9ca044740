/**
 * The names of every drift type Rampart detects. The remediation policy in governance.yaml may
 * only name these; the engine attaches severity and behaviour to each (engine/driftTypes.ts).
 */
export const DRIFT_TYPE_NAMES = [
  'AccountMovedOu',
  'AccountRemoved',
  'AccountNotInConfig',
  'OuDeleted',
  'ScpMissing',
  'ScpUpdated',
  'ScpDetached',
  'TrustedAccessDisabled',
  'DelegatedAdminMismatch',
  'SecurityHubDisabled',
  'PciStandardMissing',
  'StandardMissing',
  'StandardNotConfigured',
  'SecurityHubControlDisabled',
  'ConfigurationPolicyMismatch',
  'ConfigurationPolicyAssociationMismatch',
  'DataLakeMissing',
  'DataLakeConfigurationMismatch',
  'ReplicationMismatch',
  'AwsSourceNotCollecting',
  'CustomSourceMissing',
  'CustomSourceWrongClass',
  'OrgAutoEnableOff',
  'ConfigRecorderStopped',
  'ConformancePackMissing',
  'ConfigAggregatorMissing',
  'AnalyzerMissing',
  'ExternalTrustOnRole',
  'PciSegmentationPath',
] as const;

export type DriftType = (typeof DRIFT_TYPE_NAMES)[number];

/** Drift types whose repair is never automatic: moving accounts needs a human decision. */
export const NEVER_AUTO_DRIFT_TYPES: ReadonlySet<DriftType> = new Set<DriftType>(['AccountMovedOu', 'AccountRemoved', 'AccountNotInConfig', 'PciSegmentationPath']);
