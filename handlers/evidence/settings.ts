import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Attestation } from '../../evidence/attestations';
import type { EvidenceException } from '../../evidence/exceptions';
import { loadFrameworks, type FrameworkSet } from '../../frameworks/load';
import type { Framework } from '../../frameworks/model';

/**
 * What the Evidence workflow's handlers know of the configuration beyond the workflow settings
 * (settings.json: the desired state), derived at synth and shipped beside each handler as
 * evidence-settings.json: the frameworks to report on, those built from the user's files (the
 * built-in ones are rebuilt from the shipped data sets), exceptions, attestations, retention and
 * the conformance packs' rules.
 */
export interface EvidenceHandlerSettings {
  /** governance.yaml evidence.frameworks. */
  frameworks: string[];
  /** Overlays and custom frameworks, built at synth from the user's files. */
  userFrameworks: Framework[];
  exceptions: EvidenceException[];
  /** The configuration directory's attestations.yaml at synth, if any. */
  attestations: Attestation[];
  /** governance.yaml evidence.retentionDays: Object Lock retention of every evidence object. */
  retentionDays: number;
  conformancePackRules: Record<string, string[]>;
}

export const EVIDENCE_SETTINGS_FILE = 'evidence-settings.json';

let loaded: EvidenceHandlerSettings | undefined;

/** The settings shipped with the handler (next to its index.js), or the file RAMPART_EVIDENCE_SETTINGS names. */
export function loadEvidenceSettings(): EvidenceHandlerSettings {
  if (!loaded) {
    const file = process.env.RAMPART_EVIDENCE_SETTINGS ?? path.join(__dirname, EVIDENCE_SETTINGS_FILE);
    loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as EvidenceHandlerSettings;
  }
  return loaded;
}

/** The built-in frameworks and the user's, as the handlers report on them. */
export function frameworksOf(settings: EvidenceHandlerSettings): FrameworkSet {
  const set = loadFrameworks();
  const frameworks = new Map(set.frameworks);
  for (const framework of settings.userFrameworks) frameworks.set(framework.id, framework);
  return { ...set, frameworks };
}
