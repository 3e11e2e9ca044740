import { DRIFT_TYPE_NAMES, DRIFT_TYPES } from '../../engine/driftTypes';
import { BUILTIN_CATALOGS } from '../../frameworks/catalogs';
import { CheckDescriber, loadCheckCatalogue, parseCheckCatalogue } from '../../frameworks/checks';
import { builtinFrameworks, CCCS_MEDIUM_ID, NIST_800_53_ID, PCI_DSS_ID } from '../../frameworks/load';

const catalogue = loadCheckCatalogue();
const { frameworks } = builtinFrameworks();

describe('check catalogue', () => {
  it('has the checks evidence is built from, with stable ids', () => {
    for (const id of [
      'org.pci-accounts-isolated', 'org.pci-guardrail-scps-attached', 'securityhub.pci-standard-enabled', 'securityhub.control-results',
      'config.conformance-pack-compliance', 'securitylake.sources-collecting', 'securitylake.retention', 'accessanalyzer.active',
      'accessanalyzer.no-unresolved-external-trust', 'evidence.bucket-object-locked',
    ]) {
      expect(catalogue.byId.has(id)).toBe(true);
    }
  });

  it('has one check per drift type, with the drift type\'s severity and summary', () => {
    const driftChecks = catalogue.checks.filter((c) => c.id.startsWith('drift.'));
    expect(driftChecks.map((c) => c.id.slice('drift.'.length)).sort()).toEqual([...DRIFT_TYPE_NAMES].sort());
    for (const check of driftChecks) {
      const type = DRIFT_TYPES[check.id.slice('drift.'.length) as keyof typeof DRIFT_TYPES];
      expect({ id: check.id, severity: check.severity, title: check.title }).toEqual({ id: check.id, severity: type.severity, title: type.summary });
    }
  });

  it('maps every check of its own to at least one control, each row to a control that exists, with a rationale', () => {
    const known = {
      [PCI_DSS_ID]: new Set(frameworks.get(PCI_DSS_ID)!.controls.map((c) => c.id)),
      [NIST_800_53_ID]: new Set(frameworks.get(NIST_800_53_ID)!.controls.map((c) => c.id)),
    };
    for (const check of catalogue.checks) {
      if (check.items === 'securityhub-pci-controls' || check.items === 'config-rules') {
        expect(check.maps).toEqual([]);
        continue;
      }
      expect({ check: check.id, rows: check.maps.length > 0 }).toEqual({ check: check.id, rows: true });
      for (const row of check.maps) {
        expect({ check: check.id, control: row.control, known: known[row.framework].has(row.control) }).toEqual({ check: check.id, control: row.control, known: true });
        expect(row.why.length).toBeGreaterThan(20);
      }
    }
    for (const framework of frameworks.values()) {
      expect(framework.unresolvedMappings.filter((u) => u.reason.includes('rampart-checks.yaml'))).toEqual([]);
    }
  });

  it('reaches CCCS Medium through the NIST controls its ids are built on', () => {
    const cccs = frameworks.get(CCCS_MEDIUM_ID)!;
    const withRampartChecks = cccs.controls.filter((c) => c.checks.some((m) => m.basis === 'rampart-checks'));
    expect(withRampartChecks.map((c) => c.nistId)).toEqual(expect.arrayContaining(['AU-12', 'CA-7', 'CM-8', 'AC-3', 'AU-9(2)']));
    for (const control of withRampartChecks) {
      const nist = frameworks.get(NIST_800_53_ID)!.controls.find((c) => c.id === control.nistId)!;
      const nistRampart = nist.checks.filter((m) => m.basis === 'rampart-checks').map((m) => m.ref).sort();
      expect(control.checks.filter((m) => m.basis === 'rampart-checks').map((m) => m.ref).sort()).toEqual(nistRampart);
    }
  });

  it('describes items of per-item checks from the data sets and canonicalizes Config rule names', () => {
    const describer = new CheckDescriber(catalogue, BUILTIN_CATALOGS);
    expect(describer.describe('securityhub.control-results:IAM.6')).toMatchObject({ severity: 'CRITICAL', title: expect.stringContaining('IAM.6') });
    expect(describer.canonicalRef('config.conformance-pack-compliance', 'ACCESS_KEYS_ROTATED')).toBe('config.conformance-pack-compliance:access-keys-rotated');
    expect(describer.canonicalRef('config.conformance-pack-compliance', 'no-such-rule')).toBeUndefined();
    expect(describer.canonicalRef('config.conformance-pack-compliance')).toBeUndefined();
    expect(describer.canonicalRef('securityhub.control-results', 'IAM.999')).toBeUndefined();
    expect(describer.canonicalRef('securitylake.sources-collecting', 'VPC_FLOW')).toBe('securitylake.sources-collecting:VPC_FLOW');
    expect(describer.canonicalRef('org.pci-accounts-isolated', 'x')).toBeUndefined();
    expect(describer.canonicalRef('drift.ScpDetached')).toBe('drift.ScpDetached');
  });

  it('rejects a malformed catalogue with the field at fault', () => {
    expect(() => parseCheckCatalogue('checks:\n  - id: Bad Id\n    title: t\n    scope: account\n    remediation: r\n    maps: []\n')).toThrow(/checks\.0\.id/);
    expect(() => parseCheckCatalogue('checks:\n  - { id: a.b, title: t, scope: account, remediation: r, maps: [] }\n  - { id: a.b, title: t, scope: account, remediation: r, maps: [] }\n')).toThrow(/appears twice/);
  });
});
