import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ExampleCopy } from '../config/exampleCopy';
import { schemaErrors } from './jsonSchemaSubset';

/** Runs the CLI as a user does. */
function rampart(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

describe('rampart validate', () => {
  it.each(['config/examples/pci-org', 'config/examples/cccs-medium'])('exits 0 for %s', (dir) => {
    const run = rampart('validate', dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^${dir}: valid — \\d+ accounts`, 'm'));
    expect(run.status).toBe(0);
  });

  describe('on a broken configuration', () => {
    let copy: ExampleCopy;
    beforeAll(() => {
      copy = new ExampleCopy();
      copy
        .replace('global.yaml', '  - us-east-2', '  - us-est-2')
        .replace('security.yaml', '  delegatedAdmin: security-tooling', '  delegatedAdmin: security-toolng')
        .replace('governance.yaml', 'expires: "2027-03-31"', 'expires: "2026-01-31"');
    });
    afterAll(() => copy.dispose());

    it('exits 1 and prints each problem with file:line:col, field, found, expected and hint', () => {
      const run = rampart('validate', copy.dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('');
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          `governance.yaml:38:16  warning evidence.exceptions[0].expires  found expired on 2026-01-31  expected a date after ${new Date().toISOString().slice(0, 10)}  hint: the control counts as failed until the exception is renewed with a new justification or removed`,
          expect.stringMatching(/^global\.yaml:5:5 {2}enabledRegions\[1\] {2}found "us-est-2" {2}expected one of 33 values: .+ {2}hint: did you mean "us-east-2"\?$/),
          expect.stringMatching(/^security\.yaml:3:19 {2}securityHub\.delegatedAdmin {2}found account "security-toolng" {2}expected .+ {2}hint: did you mean "security-tooling"\?$/),
          `${copy.dir}: invalid — 2 error(s), 1 warning(s)`,
        ]),
      );
      // global.yaml failed its schema: the checks that read it are named as waiting, not silently dropped.
      expect(run.stdout).toMatch(/^ {2}waiting for global\.yaml: .*Regions named in security\.yaml/m);
      expect(run.stdout).not.toMatch(STACK_TRACE);
    });

    it('--json prints one machine-readable document with every issue', () => {
      const run = rampart('validate', copy.dir, '--json');
      expect(run.status).toBe(1);
      const report = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(Object.keys(report).sort()).toEqual(['dir', 'errors', 'issues', 'skippedChecks', 'valid', 'warnings']);
      expect(report).toMatchObject({ dir: copy.dir, valid: false, errors: 2, warnings: 1 });
      const issues = report.issues as Record<string, unknown>[];
      expect(issues).toHaveLength(3);
      for (const issue of issues) {
        expect(Object.keys(issue).sort()).toEqual(['col', 'expected', 'field', 'file', 'found', 'hint', 'line', 'rule', 'severity']);
      }
      expect(issues).toContainEqual(expect.objectContaining({ file: 'security.yaml', line: 3, col: 19, field: 'securityHub.delegatedAdmin', rule: 'ref.account', severity: 'error' }));
      expect(report.skippedChecks).toContainEqual({ title: 'rollup Regions and their contributing Regions', waitsFor: ['global.yaml'] });
    });
  });

  it('--json on a valid configuration says so', () => {
    const run = rampart('validate', 'config/examples/cccs-medium', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ dir: 'config/examples/cccs-medium', valid: true, errors: 0, warnings: 0, issues: [], skippedChecks: [] });
  });

  it('exits 2 when there is no configuration directory to validate', () => {
    const run = rampart('validate', 'no/such/config');
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('no/such/config:1:1  (file)  found no such directory');
    expect(run.stdout).not.toMatch(STACK_TRACE);
  });

  it('exits 2 on a usage error and says how to get help', () => {
    const run = rampart('validate', '--jsno');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--jsno'");
    expect(run.stderr).toContain('rampart --help');
  });

  it('--help lists the commands and the exit codes', () => {
    const run = rampart('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/validate \[options\] \[dir\]/);
    expect(run.stdout).toMatch(/schema \[options\]/);
    expect(run.stdout).toContain('Exit codes: 0 success or valid, 1 invalid configuration or findings, 2 could not run.');
  });
});

describe('rampart schema --out', () => {
  let outDir: string;
  let schemas: Record<string, Record<string, unknown>>;
  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-schemas-'));
    const run = rampart('schema', '--out', outDir);
    expect(run.status).toBe(0);
    schemas = Object.fromEntries(fs.readdirSync(outDir).map((f) => [f, JSON.parse(fs.readFileSync(path.join(outDir, f), 'utf8')) as Record<string, unknown>]));
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('writes one parseable draft 2020-12 schema per file', () => {
    expect(Object.keys(schemas).sort()).toEqual(
      ['global', 'governance', 'organization', 'replacements', 'security', 'securitylake'].map((f) => `${f}.schema.json`),
    );
    for (const schema of Object.values(schemas)) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.additionalProperties).toBe(false);
    }
  });

  it.each(['pci-org', 'cccs-medium'])('accepts every file of %s as written, {{ vars }} included', (example) => {
    for (const file of ['global', 'organization', 'security', 'securitylake', 'governance', 'replacements']) {
      const text = fs.readFileSync(path.join('config/examples', example, `${file}.yaml`), 'utf8');
      expect({ file, errors: schemaErrors(schemas[`${file}.schema.json`], parse(text)) }).toEqual({ file, errors: [] });
    }
  });

  it('rejects what the validator rejects: an unknown key, an unquoted id, a misspelt Region', () => {
    const organization = parse(fs.readFileSync('config/examples/pci-org/organization.yaml', 'utf8')) as { accounts: Record<string, unknown>[] };
    organization.accounts[4].id = 444444444445;
    organization.accounts[5].emial = organization.accounts[5].email;
    expect(schemaErrors(schemas['organization.schema.json'], organization)).toEqual([
      expect.stringMatching(/^\$\.accounts\[4\]\.id: anyOf: 0 of 2 options match/),
      '$.accounts[5]: unknown key "emial"',
    ]);
    const global = parse(fs.readFileSync('config/examples/pci-org/global.yaml', 'utf8')) as Record<string, unknown>;
    global.homeRegion = 'us-est-1';
    expect(schemaErrors(schemas['global.schema.json'], global)).toEqual([expect.stringMatching(/^\$\.homeRegion: anyOf/)]);
  });
});

describe('rampart validate reads the framework files governance.yaml names', () => {
  let copy: ExampleCopy;
  beforeAll(() => {
    copy = new ExampleCopy();
    copy
      .replace('governance.yaml', '  frameworks: [pci-dss-4.0, nist-800-53-r5]\n', '  frameworks: [pci-dss-4.0, nist-800-53-r5, internal]\n  customFrameworks:\n    - { id: internal, name: Internal controls, file: internal.yaml }\n')
      .write('internal.yaml', 'format: rampart-framework/v1\nsource: internal policy 2026\nappliesTo: every-account\ngroups: []\ncontrols: []\n');
  });
  afterAll(() => copy.dispose());

  it('reports every problem inside a custom framework file with its file and line, and exits 1', () => {
    const run = rampart('validate', copy.dir);
    expect(run.stdout).toMatch(/^internal\.yaml:3:\d+ {2}appliesTo {2}found "every-account"/m);
    expect(run.stdout).toMatch(/^internal\.yaml:5:\d+ {2}controls {2}found a list of 0/m);
    expect(run.stdout).toMatch(/invalid — 2 error\(s\)/);
    expect(run.status).toBe(1);
  });
});
