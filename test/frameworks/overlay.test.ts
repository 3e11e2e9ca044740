import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFrameworks } from '../../frameworks/load';
import { exampleConfigWith } from './configDir';

/** An overlay written only with real ids: CCCS Medium conformance-pack ids and NIST SP 800-53 r5 ids. */
const OVERLAY = `format: rampart-overlay/v1
source: Test overlay built from real CCCS Medium and NIST SP 800-53 r5 ids
extends: cccs-medium
keep:
  - CCCS-fPBMM-AC-2(1)
  - AU-12
  - AC-2.A
  - AC-1
add:
  - id: SC-7(10)
  - id: SI-4(12)
  - id: CA-7(4)
  - id: PE-3
  - id: LOCAL-1
    title: Cardholder accounts stay in their OU
    checks: [org.pci-accounts-isolated]
expect: { kept: 4, added: 5 }
`;

const pbhva = (file = 'frameworks/pbhva.yaml') => ({ overlays: [{ id: 'cccs-medium-pbhva', extends: 'cccs-medium', file }] });

describe('overlay frameworks', () => {
  it('keeps and adds controls by real id, with the NIST catalogue\'s titles and evidence', () => {
    const { config } = exampleConfigWith(pbhva(), { 'frameworks/pbhva.yaml': OVERLAY });
    const set = loadFrameworks(config);
    expect(set.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const overlay = set.frameworks.get('cccs-medium-pbhva')!;
    expect(overlay).toMatchObject({ kind: 'overlay', extends: 'cccs-medium', nistBased: true });
    expect(overlay.controls.map((c) => `${c.origin}:${c.id}`)).toEqual([
      'kept:CCCS-fPBMM-AC-2(1)', 'kept:CCCS-fPBMM-AU-12.A', 'kept:CCCS-fPBMM-AU-12.C', 'kept:CCCS-fPBMM-AC-2.A', 'kept:AC-1',
      'added:SC-7(10)', 'added:SI-4(12)', 'added:CA-7(4)', 'added:PE-3', 'added:LOCAL-1',
    ]);
    const byId = new Map(overlay.controls.map((c) => [c.id, c]));
    expect(byId.get('SC-7(10)')).toMatchObject({ title: 'Boundary Protection | Prevent Exfiltration', nistId: 'SC-7(10)', groupPath: ['SC'] });
    // CA-7(4) carries no evidence of its own in NIST; CA-7-level checks do not leak into the enhancement.
    expect(byId.get('CA-7(4)')!.checks).toEqual(set.frameworks.get('nist-800-53-r5')!.controls.find((c) => c.id === 'CA-7(4)')!.checks);
    expect(byId.get('LOCAL-1')!.checks.map((m) => m.ref)).toEqual(['org.pci-accounts-isolated']);
    expect(overlay.notices[0]).toMatch(/4 kept entries, 5 added control\(s\), 10 controls in all/);
    // AC-1 is a real NIST control outside the 195 conformance-pack controls: kept, with a warning that says so.
    const warning = set.issues.find((i) => i.rule === 'overlay.kept-outside-catalogue')!;
    expect(warning).toMatchObject({ severity: 'warning', file: 'frameworks/pbhva.yaml', line: 8, field: 'keep[3]' });
  });

  it('keeps every base control with keep: all, and adds on top', () => {
    const { config } = exampleConfigWith(
      { overlays: [{ id: 'pci-plus', extends: 'pci-dss-4.0', file: 'overlay.yaml' }] },
      { 'overlay.yaml': 'format: rampart-overlay/v1\nsource: test\nkeep: all\nadd:\n  - { id: LOCAL-9, title: Local requirement, controls: [{ framework: nist-800-53-r5, control: AU-12 }] }\n' },
    );
    const set = loadFrameworks(config);
    const overlay = set.frameworks.get('pci-plus')!;
    expect(overlay.controls).toHaveLength(250);
    expect(overlay.appliesTo).toBe('pci-accounts');
    expect(overlay.controls.at(-1)!.checks.some((m) => m.ref === 'securitylake.sources-collecting' && m.basis.startsWith('overlay.yaml via nist-800-53-r5 AU-12'))).toBe(true);
  });

  it.each([
    ['an unknown kept id', 'keep:\n  - XX-99\n', 'overlay.unknown-control', 'keep[0]', 4],
    ['an added id that the base already has', 'keep: []\nadd:\n  - id: CCCS-fPBMM-AU-12.A\n', 'overlay.duplicate-id', 'add[0].id', 5],
    ['a withdrawn NIST id without a title', 'keep: []\nadd:\n  - id: AC-13\n', 'overlay.unknown-control', 'add[0].id', 5],
    ['a local id without a title', 'keep: []\nadd:\n  - id: LOCAL-2\n', 'schema.missing', 'add[0].title', 5],
    ['a check that does not exist', 'keep: []\nadd:\n  - { id: LOCAL-3, title: t, checks: [org.pci-acounts-isolated] }\n', 'framework.check-ref', 'add[0].checks[0]', 5],
    ['counts that do not match the stated ones', 'keep: [AU-12]\nexpect: { kept: 68, added: 69 }\n', 'overlay.count', 'expect.kept', 4],
    ['a base that differs from governance.yaml', 'extends: nist-800-53-r5\nkeep: []\n', 'overlay.extends', 'extends', 3],
  ])('rejects %s, pointing at the line', (_name, body, rule, field, line) => {
    const { config } = exampleConfigWith(pbhva(), { 'frameworks/pbhva.yaml': `format: rampart-overlay/v1\nsource: test\n${body}` });
    const set = loadFrameworks(config);
    const error = set.issues.find((i) => i.severity === 'error');
    expect(error).toMatchObject({ rule, field, line, file: 'frameworks/pbhva.yaml' });
    expect(error!.hint.length).toBeGreaterThan(5);
    // The framework with errors is not built: the default (overlay not loaded) remains.
    expect(set.frameworks.get('cccs-medium-pbhva')!.kind).toBe('builtin');
  });

  it('suggests the id the user probably meant', () => {
    const { config } = exampleConfigWith(pbhva(), { 'frameworks/pbhva.yaml': 'format: rampart-overlay/v1\nsource: test\nkeep: [CCCS-fPBMM-AU-12.X]\n' });
    expect(loadFrameworks(config).issues[0].hint).toMatch(/did you mean "CCCS-fPBMM-AU-12.[AC]"/);
  });

  it('refuses the unfilled PBHVA template, so it can never pass for the overlay', () => {
    const template = fs.readFileSync(path.join('frameworks', 'templates', 'pbhva-overlay.yaml'), 'utf8');
    const { config } = exampleConfigWith(pbhva(), { 'frameworks/pbhva.yaml': template });
    const set = loadFrameworks(config);
    expect(set.issues.filter((i) => i.severity === 'error').map((i) => i.rule)).toEqual(['overlay.count', 'overlay.count']);
    expect(set.frameworks.get('cccs-medium-pbhva')!.notices[0]).toMatch(/not loaded/);
  });

  it('does not let an overlay take a built-in id other than cccs-medium-pbhva', () => {
    const { config } = exampleConfigWith({ overlays: [{ id: 'nist-800-53-r5', extends: 'cccs-medium', file: 'o.yaml' }] }, { 'o.yaml': OVERLAY });
    expect(loadFrameworks(config).issues[0]).toMatchObject({ rule: 'evidence.framework-id', file: 'governance.yaml' });
  });
});
