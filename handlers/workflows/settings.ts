import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeploymentNames } from '../../aws/execute/deployment';
import type { DesiredState } from '../../engine/desiredState';
import type { RemediationPolicy } from '../../engine/remediation';

/**
 * What the workflow handlers know of the configuration, derived at synth and shipped beside each
 * handler as settings.json: the desired state, the remediation policy, the drift settings, and
 * where Rampart runs and what the deployment named.
 */
export interface WorkflowSettings {
  desired: DesiredState;
  remediation: RemediationPolicy & { approvalTimeoutHours: number };
  drift: { schedule: string; maxConcurrency: number };
  /** The security-tooling account the workflows run in, and its Region. */
  homeAccountId: string;
  homeRegion: string;
  executionRoleName: string;
  deployment: DeploymentNames;
}

export const SETTINGS_FILE = 'settings.json';

let loaded: WorkflowSettings | undefined;

/** The settings shipped with the handler (next to its index.js), or the file RAMPART_SETTINGS names. */
export function loadWorkflowSettings(): WorkflowSettings {
  if (!loaded) {
    const file = process.env.RAMPART_SETTINGS ?? path.join(__dirname, SETTINGS_FILE);
    loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowSettings;
  }
  return loaded;
}
