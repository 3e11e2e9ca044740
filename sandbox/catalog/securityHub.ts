import generated from './securityHubStandards.json';

export type ControlSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export interface ControlDefinition {
  id: string;
  title: string;
  severity: ControlSeverity;
  configRule?: string;
  resourceTypes?: string[];
  category?: string;
}

export interface StandardDefinition {
  /** `standards/pci-dss/v/4.0.1`: the ARN without `arn:aws:securityhub:<region>::`. */
  id: string;
  name: string;
  enabledByDefault: boolean;
  /** False when the catalogue carries a representative subset of the standard's controls. */
  complete: boolean;
  controls: string[];
  /** Control id → the standard's related requirements (PCI DSS only). */
  relatedRequirements?: Record<string, string[]>;
  source: string;
}

interface Catalog {
  standards: StandardDefinition[];
  controls: Record<string, Omit<ControlDefinition, 'id'>>;
}

const catalog = generated as unknown as Catalog;

export const STANDARDS: readonly StandardDefinition[] = catalog.standards;
const standardsById = new Map(STANDARDS.map((s) => [s.id, s]));
const controlSets = new Map(STANDARDS.map((s) => [s.id, new Set(s.controls)]));
const controls = new Map(Object.entries(catalog.controls).map(([id, c]) => [id, { id, ...c } as ControlDefinition]));
const standardsByControl = new Map<string, string[]>();
for (const standard of STANDARDS) {
  for (const id of standard.controls) standardsByControl.set(id, [...(standardsByControl.get(id) ?? []), standard.id]);
}

/** Every control definition, in id order. */
export const CONTROL_IDS: readonly string[] = [...controls.keys()];

export const PCI_DSS_STANDARD = 'standards/pci-dss/v/4.0.1';

export function standardArn(region: string, standardId: string): string {
  return `arn:aws:securityhub:${region}::${standardId}`;
}

/** The standard id and Region of a standards ARN, or undefined when it is not one Security Hub knows. */
export function parseStandardArn(arn: string): { standardId: string; region: string } | undefined {
  const match = /^arn:aws:securityhub:([a-z0-9-]+)::(standards\/.+)$/.exec(arn);
  if (!match || !standardsById.has(match[2])) return undefined;
  return { region: match[1], standardId: match[2] };
}

/** `arn:aws:securityhub:<region>:<account>:subscription/pci-dss/v/4.0.1` */
export function subscriptionArn(region: string, account: string, standardId: string): string {
  return `arn:aws:securityhub:${region}:${account}:subscription/${standardId.slice('standards/'.length)}`;
}

export function parseSubscriptionArn(arn: string): { region: string; account: string; standardId: string } | undefined {
  const match = /^arn:aws:securityhub:([a-z0-9-]+):(\d{12}):subscription\/(.+)$/.exec(arn);
  if (!match || !standardsById.has(`standards/${match[3]}`)) return undefined;
  return { region: match[1], account: match[2], standardId: `standards/${match[3]}` };
}

export function standard(standardId: string): StandardDefinition | undefined {
  return standardsById.get(standardId);
}

export function control(controlId: string): ControlDefinition | undefined {
  return controls.get(controlId);
}

export function standardHasControl(standardId: string, controlId: string): boolean {
  return controlSets.get(standardId)?.has(controlId) ?? false;
}

/** The standards a control belongs to. */
export function standardsOf(controlId: string): readonly string[] {
  return standardsByControl.get(controlId) ?? [];
}

export function relatedRequirements(standardId: string, controlId: string): string[] {
  return standardsById.get(standardId)?.relatedRequirements?.[controlId] ?? [];
}

/** Security Hub's severity label → normalized score (ASFF Severity.Normalized). */
export const SEVERITY_NORMALIZED: Record<string, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };

/** The severity label for a normalized score (ASFF: 0 informational, 1–39 low, 40–69 medium, 70–89 high, 90–100 critical). */
export function severityLabel(normalized: number): string {
  if (normalized >= 90) return 'CRITICAL';
  if (normalized >= 70) return 'HIGH';
  if (normalized >= 40) return 'MEDIUM';
  if (normalized >= 1) return 'LOW';
  return 'INFORMATIONAL';
}
