import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFrameworks } from '../../frameworks/load';
import { exampleConfigWith } from './configDir';

const custom = (...entries: { id: string; file: string }[]) => ({ customFrameworks: entries.map((e) => ({ ...e, name: `Framework ${e.id}` })) });
const header = 'format: rampart-framework/v1\nsource: test list\n';

describe('custom frameworks', () => {
  it('loads the shipped template: checks, controls of other frameworks, and an unmapped control', () => {
    const template = fs.readFileSync(path.join('frameworks', 'templates', 'custom-framework.yaml'), 'utf8');
    const { config } = exampleConfigWith(custom({ id: 'internal-baseline', file: 'internal.yaml' }), { 'internal.yaml': template });
    const set = loadFrameworks(config);
    expect(set.issues).toEqual([]);
    const framework = set.frameworks.get('internal-baseline')!;
    expect(framework).toMatchObject({ kind: 'custom', name: 'Framework internal-baseline', version: '1.0', appliesTo: 'all-accounts' });
    const [isolated, logs, training] = framework.controls;
    expect(isolated).toMatchObject({ id: 'BASELINE-1', groupPath: ['ORG'], responsibility: 'customer' });
    expect(isolated.checks.map((m) => m.ref)).toEqual(['org.pci-accounts-isolated', 'drift.AccountMovedOu']);
    expect(logs.checks.map((m) => m.ref)).toEqual(expect.arrayContaining(['securitylake.sources-collecting', 'config.conformance-pack-compliance:cloudtrail-enabled', 'drift.AwsSourceNotCollecting']));
    expect(training.checks).toEqual([]);
  });

  it('builds frameworks that refer to each other in dependency order, whatever order they are declared in', () => {
    const { config } = exampleConfigWith(custom({ id: 'outer', file: 'outer.yaml' }, { id: 'inner', file: 'inner.yaml' }), {
      'outer.yaml': `${header}controls:\n  - { id: O-1, title: Outer, controls: [{ framework: inner, control: I-1 }] }\n`,
      'inner.yaml': `${header}controls:\n  - { id: I-1, title: Inner, checks: [securitylake.retention] }\n`,
    });
    const set = loadFrameworks(config);
    expect(set.issues).toEqual([]);
    expect(set.frameworks.get('outer')!.controls[0].checks).toEqual([{ ref: 'securitylake.retention', basis: 'outer.yaml via inner I-1 (inner.yaml)' }]);
  });

  it('reports frameworks that refer to each other in a circle', () => {
    const { config } = exampleConfigWith(custom({ id: 'a-fw', file: 'a.yaml' }, { id: 'b-fw', file: 'b.yaml' }), {
      'a.yaml': `${header}controls:\n  - { id: A-1, title: A, controls: [{ framework: b-fw, control: B-1 }] }\n`,
      'b.yaml': `${header}controls:\n  - { id: B-1, title: B, controls: [{ framework: a-fw, control: A-1 }] }\n`,
    });
    const issues = loadFrameworks(config).issues;
    expect(issues.map((i) => i.rule)).toEqual(['evidence.framework-cycle', 'evidence.framework-cycle']);
    expect(issues[0]).toMatchObject({ file: 'governance.yaml', field: 'evidence.customFrameworks[0].id' });
  });

  it.each([
    ['a repeated control id', 'controls:\n  - { id: X-1, title: a }\n  - { id: X-1, title: b }\n', 'framework.duplicate-id', 'controls[1].id'],
    ['an undeclared group', 'controls:\n  - { id: X-1, title: a, group: NOPE }\n', 'framework.group-ref', 'controls[0].group'],
    ['an unknown framework', 'controls:\n  - { id: X-1, title: a, controls: [{ framework: iso-27001, control: A.5.1 }] }\n', 'framework.control-ref', 'controls[0].controls[0].framework'],
    ['an unknown control', 'controls:\n  - { id: X-1, title: a, controls: [{ framework: pci-dss-4.0, control: "10.2.9" }] }\n', 'framework.control-ref', 'controls[0].controls[0].control'],
    ['a per-item check without its item', 'controls:\n  - { id: X-1, title: a, checks: [securityhub.control-results] }\n', 'framework.check-ref', 'controls[0].checks[0]'],
    ['an unknown Security Hub control', 'controls:\n  - { id: X-1, title: a, checks: ["securityhub.control-results:IAM.99"] }\n', 'framework.check-ref', 'controls[0].checks[0]'],
    ['an unknown key', 'controls:\n  - { id: X-1, title: a, check: [org.pci-accounts-isolated] }\n', 'schema.unknown-key', 'controls[0].check'],
    ['an empty control list', 'controls: []\n', 'schema.too_small', 'controls'],
  ])('rejects %s with its field', (_name, body, rule, field) => {
    const { config } = exampleConfigWith(custom({ id: 'mine', file: 'mine.yaml' }), { 'mine.yaml': `${header}${body}` });
    const set = loadFrameworks(config);
    const error = set.issues.find((i) => i.severity === 'error');
    expect(error).toMatchObject({ file: 'mine.yaml', field });
    expect(error!.rule.startsWith(rule.split('.')[0])).toBe(true);
    expect(set.frameworks.has('mine')).toBe(false);
  });

  it('does not let a custom framework take a built-in id', () => {
    const { config } = exampleConfigWith(custom({ id: 'pci-dss-4.0', file: 'mine.yaml' }), { 'mine.yaml': `${header}controls:\n  - { id: X-1, title: a }\n` });
    expect(loadFrameworks(config).issues[0]).toMatchObject({ rule: 'evidence.framework-id', field: 'evidence.customFrameworks[0].id' });
  });
});
