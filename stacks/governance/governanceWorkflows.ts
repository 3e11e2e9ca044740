import { driftWorkflows } from '../../workflows/driftWorkflows';
import { evidenceWorkflow } from '../../workflows/evidenceWorkflow';
import type { GovernanceExtension } from '../landingZone';
import { accessResolution } from './accessResolution';

/** The workflows the governance stack carries when a caller names none (`rampart synth`, `cdk synth`). */
export function governanceWorkflows(options: { accountIds?: Record<string, string> } = {}): GovernanceExtension[] {
  // Evidence collects with the drift workflows' collectors: it comes after them.
  return [driftWorkflows(), evidenceWorkflow(), accessResolution(options)];
}
