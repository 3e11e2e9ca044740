import { BUILTIN_CATALOGS } from '../../frameworks/catalogs';
import { builtinFrameworks, CCCS_MEDIUM_ID, CCCS_MEDIUM_PBHVA_ID, NIST_800_53_ID, PCI_DSS_ID } from '../../frameworks/load';
import type { Framework } from '../../frameworks/model';

const { frameworks } = builtinFrameworks();
const get = (id: string) => frameworks.get(id) as Framework;

describe('PCI DSS v4.0 catalogue', () => {
  const pci = get(PCI_DSS_ID);
  const principal = pci.groups.filter((g) => !g.parentId);
  const sub = pci.groups.filter((g) => g.parentId);

  it('has the 12 principal requirements, 63 sub-requirements and 249 third-level requirements', () => {
    expect(principal.map((g) => g.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(sub).toHaveLength(63);
    expect(pci.controls).toHaveLength(249);
    expect(new Set(pci.controls.map((c) => c.id)).size).toBe(249);
  });

  it('places every requirement under its sub-requirement and principal requirement by id', () => {
    for (const control of pci.controls) {
      const [top, second] = control.groupPath;
      expect(control.id.startsWith(`${second}.`)).toBe(true);
      expect(second.startsWith(`${top}.`)).toBe(true);
    }
  });

  it('carries the serverless reference architecture split: 464 test cases, 243 customer, 198 AWS, 23 not applicable', () => {
    const sum = (key: 'testCases' | 'customer' | 'aws' | 'notApplicable') => principal.reduce((n, g) => n + (g.responsibilitySplit?.[key] ?? 0), 0);
    expect([sum('testCases'), sum('customer'), sum('aws'), sum('notApplicable')]).toEqual([464, 243, 198, 23]);
    for (const g of principal) {
      const s = g.responsibilitySplit!;
      expect(s.customer + s.aws + s.notApplicable).toBe(s.testCases);
    }
  });

  it('derives each requirement\'s responsibility from its principal requirement\'s split', () => {
    // Requirement 9 (physical access): 3 customer, 53 AWS test cases, so shared.
    expect(pci.controls.find((c) => c.id === '9.4.1')).toMatchObject({ responsibility: 'shared' });
    expect(pci.controls.find((c) => c.id === '9.4.1')?.responsibilityNote).toContain('3 customer, 53 AWS');
  });

  it('maps the 142 Security Hub PCI DSS v4.0.1 controls to the requirements the data set names', () => {
    expect(BUILTIN_CATALOGS.securityHubPci.controls).toHaveLength(142);
    const mapped = new Set(pci.controls.flatMap((c) => c.checks.filter((m) => m.ref.startsWith('securityhub.control-results:')).map((m) => m.ref.split(':')[1])));
    expect(mapped.size).toBe(142);
    const iam6 = pci.controls.filter((c) => c.checks.some((m) => m.ref === 'securityhub.control-results:IAM.6')).map((c) => c.id);
    expect(iam6.sort()).toEqual([...BUILTIN_CATALOGS.securityHubPci.controls.find((c) => c.securityControlId === 'IAM.6')!.relatedRequirements].sort());
  });

  it('maps all 127 conformance-pack rules, reporting the appendix requirements it cannot place instead of guessing', () => {
    const rules = new Set(pci.controls.flatMap((c) => c.checks.filter((m) => m.ref.startsWith('config.conformance-pack-compliance:')).map((m) => m.ref)));
    const appendix = pci.unresolvedMappings.map((u) => u.target);
    expect(appendix).toEqual(['A1.1.2', 'A1.1.3', 'A1.2.1', 'A1.2.3', 'A3.2.5.1', 'A3.2.5.2', 'A3.3.1', 'A3.4.1', 'A3.5.1']);
    // The neptune rule is named after its source identifier in the documentation: it still maps.
    expect(rules.has('config.conformance-pack-compliance:neptune-cluster-snapshot-public-encrypted')).toBe(true);
    expect(BUILTIN_CATALOGS.pciPack.rules).toHaveLength(127);
    // 124 rules reach a catalogue requirement; the other 3 map only to appendix requirements.
    const appendixOnly = BUILTIN_CATALOGS.pciPack.rules.filter((r) => !rules.has(`config.conformance-pack-compliance:${r.configRuleName}`));
    expect(rules.size).toBe(124);
    for (const rule of appendixOnly) expect(BUILTIN_CATALOGS.pciPack.ruleToControls[rule.configRuleName].every((id) => id.startsWith('A'))).toBe(true);
  });
});

describe('NIST SP 800-53 r5 catalogue', () => {
  const nist = get(NIST_800_53_ID);

  it('holds 1,189 entries: 322 controls, 867 enhancements, 180 withdrawn; the 1,009 active ones are reportable', () => {
    const all = BUILTIN_CATALOGS.nist.controls;
    expect(all).toHaveLength(1189);
    expect(all.filter((c) => !c.isEnhancement)).toHaveLength(322);
    expect(all.filter((c) => c.isEnhancement)).toHaveLength(867);
    expect(all.filter((c) => c.withdrawn)).toHaveLength(180);
    expect(nist.controls).toHaveLength(1009);
    expect(nist.groups).toHaveLength(20);
  });

  it('keeps baseline membership: LOW 149, MODERATE 287, HIGH 370, PRIVACY 96', () => {
    const count = (b: string) => BUILTIN_CATALOGS.nist.controls.filter((c) => c.baselines?.includes(b)).length;
    expect([count('LOW'), count('MODERATE'), count('HIGH'), count('PRIVACY')]).toEqual([149, 287, 370, 96]);
    expect(nist.controls.filter((c) => c.baselines?.includes('MODERATE'))).toHaveLength(287);
  });

  it('takes Config rule evidence through the CCCS Medium mapping and lists the CCCS ids it cannot carry over', () => {
    const au12 = nist.controls.find((c) => c.id === 'AU-12')!;
    expect(au12.checks.some((m) => m.ref === 'config.conformance-pack-compliance:cloudtrail-enabled')).toBe(true);
    expect(au12.checks.some((m) => m.ref === 'securitylake.sources-collecting' && m.basis === 'rampart-checks')).toBe(true);
    expect(nist.unresolvedMappings.map((u) => u.target)).toEqual(expect.arrayContaining(['CCCS-fPBMM-IA-2(11)', 'CCCS-fPBMM-SI-3(1)']));
  });
});

describe('CCCS Medium catalogue', () => {
  const cccs = get(CCCS_MEDIUM_ID);

  it('is the 195 controls of the conformance-pack mapping, over its 130 rules and 1,843 control-rule pairs', () => {
    expect(cccs.controls).toHaveLength(195);
    const pairs = cccs.controls.reduce((n, c) => n + c.checks.filter((m) => m.basis === 'config-conformance-pack-cccs-medium').length, 0);
    expect(pairs).toBe(1843);
    const rules = new Set(cccs.controls.flatMap((c) => c.checks.filter((m) => m.ref.startsWith('config.conformance-pack-compliance:')).map((m) => m.ref)));
    expect(rules.size).toBe(130);
  });

  it('reads each id as the NIST control it is built on', () => {
    const part = cccs.controls.find((c) => c.id === 'CCCS-fPBMM-AU-12.A')!;
    expect(part).toMatchObject({ nistId: 'AU-12', aliases: ['AU-12.A'], groupPath: ['AU'] });
    expect(part.title).toBe('Audit Record Generation (part A)');
    expect(cccs.controls.find((c) => c.id === 'CCCS-fPBMM-AC-2(1)')).toMatchObject({ nistId: 'AC-2(1)' });
    // Rampart's NIST-stated checks reach the CCCS controls built on that NIST control.
    expect(part.checks.some((m) => m.ref === 'securitylake.sources-collecting')).toBe(true);
  });

  it('says plainly that PBHVA is not loaded when no overlay list is given', () => {
    const pbhva = get(CCCS_MEDIUM_PBHVA_ID);
    expect(pbhva.controls).toHaveLength(195);
    expect(pbhva.notices[0]).toMatch(/PBHVA overlay list is not loaded/);
  });
});
