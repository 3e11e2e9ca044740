import { driftWorkflows } from '../../workflows/driftWorkflows';
import type { GovernanceExtension } from '../landingZone';
import { accessResolution } from './accessResolution';

/** The workflows the governance stack carries when a caller names none (`rampart synth`, `cdk synth`). */
export function governanceWorkflows(options: { accountIds?: Record<string, string> } = {}): GovernanceExtension[] {
  return [driftWorkflows(), accessResolution(options)];
}
