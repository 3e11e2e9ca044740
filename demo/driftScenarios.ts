import type { DriftType } from '../engine/driftTypes';

/** The named sandbox scenarios the demo injects, each with the drift type the drift check must report for it. */
export const DEMO_SCENARIOS: readonly { scenario: string; drift: DriftType }[] = [
  { scenario: 'pci-scp-detached', drift: 'ScpDetached' },
  { scenario: 'pci-standard-disabled', drift: 'PciStandardMissing' },
  { scenario: 'config-recorder-stopped', drift: 'ConfigRecorderStopped' },
  { scenario: 'securitylake-source-stopped', drift: 'AwsSourceNotCollecting' },
  { scenario: 'role-trusted-by-external-account', drift: 'ExternalTrustOnRole' },
  { scenario: 'pci-account-moved', drift: 'AccountMovedOu' },
  { scenario: 'pci-role-trusted-by-non-pci-account', drift: 'PciSegmentationPath' },
];
