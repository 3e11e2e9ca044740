/**
 * A compliance framework as Rampart reports on it: its controls, how they are grouped, who is
 * responsible for each, and which checks produce evidence for each (with the data set or file
 * that justifies every mapping).
 */

export type Responsibility = 'customer' | 'aws' | 'shared' | 'not-applicable';

export type FrameworkKind = 'builtin' | 'overlay' | 'custom';

/** Which accounts' results a framework judges: PCI DSS only looks at the cardholder-data environment. */
export type FrameworkAppliesTo = 'all-accounts' | 'pci-accounts';

/**
 * A reference to something Rampart evaluates: a check id (`org.pci-accounts-isolated`), or a
 * check id and one item of it (`securityhub.control-results:IAM.6`,
 * `config.conformance-pack-compliance:access-keys-rotated`).
 */
export type CheckRef = string;

/** One check that provides evidence for a control, and why. */
export interface CheckMapping {
  ref: CheckRef;
  /** The data set, file or derivation the mapping comes from, e.g. `securityhub-pci-dss-v4.0.1`. */
  basis: string;
  /** One-line reason, where the mapping is Rampart's own. */
  why?: string;
}

export interface ControlGroup {
  id: string;
  title: string;
  parentId?: string;
  /** PCI DSS principal requirements: test cases of the AWS serverless reference architecture by party. */
  responsibilitySplit?: ResponsibilitySplit;
}

export interface ResponsibilitySplit {
  testCases: number;
  customer: number;
  aws: number;
  notApplicable: number;
}

export interface Control {
  /** The id as the framework publishes it, e.g. `10.2.1`, `AC-2(1)`, `CCCS-fPBMM-AU-12.A`. */
  id: string;
  title: string;
  /** Group ids from the top down, e.g. ['10', '10.2'] for PCI 10.2.1, ['AU'] for AU-12. */
  groupPath: string[];
  responsibility: Responsibility;
  /** Where the responsibility comes from, when it is not stated per control. */
  responsibilityNote?: string;
  /** The NIST SP 800-53 r5 control this control is, or is a statement part of. */
  nistId?: string;
  /** NIST baselines the control belongs to (LOW, MODERATE, HIGH, PRIVACY). */
  baselines?: string[];
  /** For overlays: whether the control was kept from the base framework or added. */
  origin?: 'kept' | 'added';
  /** Other spellings a user may write for this id, e.g. `AU-12.A` for `CCCS-fPBMM-AU-12.A`. */
  aliases?: string[];
  checks: CheckMapping[];
}

/** A mapping the data names but Rampart cannot attach, reported rather than guessed. */
export interface UnresolvedMapping {
  target: string;
  reason: string;
}

export interface Framework {
  id: string;
  name: string;
  kind: FrameworkKind;
  version?: string;
  /** Where the control list and its mappings come from, one source per entry. */
  sources: string[];
  /** The framework an overlay builds on. */
  extends?: string;
  appliesTo: FrameworkAppliesTo;
  /** True when control ids are (or carry) NIST SP 800-53 r5 ids, so NIST-stated checks apply. */
  nistBased: boolean;
  groups: ControlGroup[];
  controls: Control[];
  /** Caveats an auditor must read: gaps in the data, lists not loaded. */
  notices: string[];
  unresolvedMappings: UnresolvedMapping[];
}

export function checkRef(checkId: string, item?: string): CheckRef {
  return item === undefined || item === '' ? checkId : `${checkId}:${item}`;
}

export function parseCheckRef(ref: CheckRef): { checkId: string; item?: string } {
  const colon = ref.indexOf(':');
  return colon < 0 ? { checkId: ref } : { checkId: ref.slice(0, colon), item: ref.slice(colon + 1) };
}
