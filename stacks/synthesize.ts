import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { formatIssue, type ConfigIssue } from '../config/errors';
import { loadConfig } from '../config/load';
import type { RampartConfig } from '../config/model';
import { SynthesisError } from './accountDirectory';
import { buildLandingZone, type LandingZone, type LandingZoneOptions } from './landingZone';
import { governanceWorkflows } from './governance/governanceWorkflows';
import { createRampartApp } from './rampartApp';

export const DEFAULT_CONFIG_DIR = 'config/examples/pci-org';

export interface SynthesizeOptions extends LandingZoneOptions {
  configDir?: string;
  /** Cloud assembly directory (default: cdk.out, or what the CDK CLI asks for). */
  outdir?: string;
  context?: Record<string, unknown>;
  validateTemplates?: boolean;
  /** "Today" for the validator's expiry checks. */
  now?: Date;
}

export interface SynthesisResult {
  config: RampartConfig;
  landingZone: LandingZone;
  assembly: CloudAssembly;
  /** Warnings from validation (errors stop synthesis). */
  warnings: ConfigIssue[];
}

/** Loads and validates a configuration; throws a SynthesisError carrying every located error. */
export function loadValidConfig(configDir: string, now?: Date): { config: RampartConfig; warnings: ConfigIssue[] } {
  const { config, issues } = loadConfig(configDir, { now });
  const errors = issues.filter((i) => i.severity === 'error');
  if (!config || errors.length > 0) {
    throw new SynthesisError([...errors.map(formatIssue), `${configDir}: ${errors.length} error(s); run rampart validate ${configDir} for details`]);
  }
  return { config, warnings: issues.filter((i) => i.severity === 'warning') };
}

/** Validates the configuration and synthesizes the landing zone into a cloud assembly (cdk-nag included). */
export function synthesizeLandingZone(options: SynthesizeOptions = {}): SynthesisResult {
  const { config, warnings } = loadValidConfig(options.configDir ?? DEFAULT_CONFIG_DIR, options.now);
  const app = createRampartApp({ outdir: options.outdir, context: options.context, validateTemplates: options.validateTemplates });
  const landingZone = buildLandingZone(app, config, { ...options, governanceExtensions: options.governanceExtensions ?? governanceWorkflows(options) });
  return { config, landingZone, assembly: app.synth(), warnings };
}
