import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { accountsFromConfig } from '../../evidence/accounts';
import { buildEvidenceReport } from '../../evidence/build';
import { CSV_COLUMNS, renderCsv } from '../../evidence/render/csv';
import { renderHtml } from '../../evidence/render/html';
import { ocsfFindings, renderOcsf } from '../../evidence/render/ocsf';
import type { EvidenceReport } from '../../evidence/report';
import { loadFrameworks } from '../../frameworks/load';
import { exampleConfigWith, temporaryDir } from '../frameworks/configDir';
import { cleanOrgResults, withFailure } from './exampleOrg';
import { ACCOUNTS, NOW, result, testFramework } from './fixtures';

interface OcsfClass {
  class_uid: number;
  name: string;
  category_uid: number;
  activity_id: Record<string, string>;
  required_attributes: string[];
}
const OCSF = JSON.parse(fs.readFileSync(path.join('test', 'fixtures', 'ocsf-1.1.0-classes.json'), 'utf8')) as {
  schemaVersion: string;
  baseEvent: { requiredAttributes: string[] };
  categories: { category_uid: number; name: string }[];
  classes: OcsfClass[];
};

/** The pci-org example, clean but for a detached guardrail SCP and root MFA in one PCI account. */
function exampleReport(): EvidenceReport {
  const { config } = exampleConfigWith({});
  const set = loadFrameworks(config);
  let results = cleanOrgResults(config);
  results = withFailure(results, (r) => r.checkId === 'drift.ScpDetached', 'RampartPciGuardrails is not attached to Workloads/Pci', { policy: 'RampartPciGuardrails' });
  results = withFailure(results, (r) => r.item === 'IAM.6' && r.scope.accountName === 'payments-staging', 'root user has no hardware MFA', { mfa: 'virtual' });
  return buildEvidenceReport({
    now: NOW, frameworks: ['pci-dss-4.0', 'nist-800-53-r5', 'cccs-medium-pbhva'].map((id) => set.frameworks.get(id)!), describer: set.describer,
    checkResults: results, accounts: accountsFromConfig(config), exceptions: config.governance.evidence.exceptions,
  }).report;
}

const report = exampleReport();

describe('CSV per framework', () => {
  async function readWithDuckDb(csv: string): Promise<Record<string, unknown>[]> {
    const file = path.join(temporaryDir('rampart-csv-'), 'controls.csv');
    fs.writeFileSync(file, csv);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(`SELECT * FROM read_csv('${file}', header = true, all_varchar = true, strict_mode = true)`);
      expect(reader.columnNames()).toEqual([...CSV_COLUMNS]);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  it('imports into an independent CSV reader with one row per requirement, by its real id', async () => {
    const pci = report.frameworks.find((f) => f.id === 'pci-dss-4.0')!;
    const rows = await readWithDuckDb(renderCsv(pci));
    expect(rows).toHaveLength(249);
    expect(rows.map((r) => r.control_id)).toEqual(pci.controls.map((c) => c.id));
    const row = rows.find((r) => r.control_id === '8.4.2')!;
    expect(row).toMatchObject({ framework: 'pci-dss-4.0', result: 'failed', failing_accounts: 'payments-staging', group_path: '8 > 8.4', responsibility: 'shared' });
    expect(rows.find((r) => r.control_id === '11.4.1')).toMatchObject({ exception_owner: 'qsa-liaison@example.com', exception_expires: '2027-03-31', exception_state: 'active' });
  });

  it('keeps commas, quotes and line breaks in one cell and defuses spreadsheet formulas', async () => {
    const framework = testFramework();
    framework.controls[0].title = '=HYPERLINK("http://example.com","click"), and "more"\non two lines';
    framework.controls[1].title = '@SUM(A1)';
    const { report: hostile } = buildEvidenceReport({ now: NOW, frameworks: [framework], describer: loadFrameworks().describer, checkResults: [result('fail', ACCOUNTS[0])], accounts: ACCOUNTS });
    const rows = await readWithDuckDb(renderCsv(hostile.frameworks[0]));
    expect(rows.map((r) => r.title)).toEqual([`'${framework.controls[0].title}`, "'@SUM(A1)", 'Logs retained']);
  });
});

describe('OCSF 1.1.0 Compliance Finding lines', () => {
  const complianceFinding = OCSF.classes.find((c) => c.class_uid === 2003)!;
  const framework = report.frameworks.find((f) => f.id === 'pci-dss-4.0')!;
  const lines = renderOcsf(report, framework).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('emits one finding per control and one per failing account', () => {
    const perAccount = framework.controls.reduce((n, c) => n + c.failingAccountIds.length + c.unknownAccountIds.filter((id) => !c.failingAccountIds.includes(id)).length, 0);
    expect(lines).toHaveLength(framework.controls.length + perAccount);
    expect(perAccount).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => (l.finding_info as { uid: string }).uid)).size).toBe(lines.length);
  });

  it('carries every attribute OCSF 1.1.0 requires of the base event and of class 2003, with consistent ids', () => {
    expect(complianceFinding).toMatchObject({ name: 'Compliance Finding', category_uid: 2 });
    const required = new Set([...OCSF.baseEvent.requiredAttributes, ...complianceFinding.required_attributes]);
    for (const line of lines) {
      for (const attribute of required) expect({ attribute, present: line[attribute] !== undefined }).toEqual({ attribute, present: true });
      expect(line.class_uid).toBe(complianceFinding.class_uid);
      expect(line.class_name).toBe(complianceFinding.name);
      expect(line.category_uid).toBe(complianceFinding.category_uid);
      expect(line.category_name).toBe(OCSF.categories.find((c) => c.category_uid === complianceFinding.category_uid)!.name);
      expect(complianceFinding.activity_id[String(line.activity_id)]).toBe(line.activity_name);
      expect(line.type_uid).toBe(2003 * 100 + (line.activity_id as number));
      expect(Number.isInteger(line.time)).toBe(true);
      expect([0, 1, 2, 3, 4, 5]).toContain(line.severity_id);
      expect((line.metadata as { version: string }).version).toBe(OCSF.schemaVersion);
      const compliance = line.compliance as { standards: string[]; requirements: string[]; status_id?: number };
      expect(compliance.standards).toEqual(['PCI DSS v4.0']);
      if (compliance.status_id !== undefined) expect([1, 2, 3]).toContain(compliance.status_id);
      expect((line.cloud as { provider: string }).provider).toBe('AWS');
    }
  });

  it('names the failing account as the resource, with the failure detail', () => {
    const perAccount = lines.find((l) => (l.finding_info as { uid: string }).uid === 'rampart:pci-dss-4.0:8.4.2:444444444445')!;
    expect(perAccount).toMatchObject({
      resource: { uid: '444444444445', type: 'AWS::::Account', name: 'payments-staging' },
      compliance: { requirements: ['8.4.2'], status: 'Fail', status_id: 3 },
      severity_id: 5, status: 'New',
    });
    expect((perAccount.compliance as { status_detail: string }).status_detail).toMatch(/IAM.6 \(us-east-1\): root user has no hardware MFA/);
    const satisfied = ocsfFindings(report, framework).find((l) => (l.finding_info as { uid: string }).uid === 'rampart:pci-dss-4.0:10.2.1')!;
    expect(satisfied).toMatchObject({ compliance: { status: 'Pass', status_id: 1 }, severity_id: 1, status: 'Resolved', activity_id: 1 });
  });
});

describe('HTML report', () => {
  const html = renderHtml(report);

  it('is self-contained: no scripts, no external assets, a policy that forbids them', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
  });

  it('escapes what it shows', () => {
    const framework = testFramework();
    framework.controls[0].title = '<script>alert("x")</script>';
    const { report: hostile } = buildEvidenceReport({ now: NOW, frameworks: [framework], describer: loadFrameworks().describer, checkResults: [result('fail', ACCOUNTS[0], { detail: '<img src=x onerror=alert(1)>' })], accounts: ACCOUNTS });
    const page = renderHtml(hostile);
    expect(page).not.toMatch(/<script|<img/);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('shows failing controls first, with remediation, per-account and per-OU breakdowns and the exceptions', () => {
    const pciSection = html.slice(html.indexOf('id="fw-pci-dss-4-0"'));
    const attention = pciSection.indexOf('Needs attention (2)');
    expect(attention).toBeGreaterThan(0);
    expect(pciSection.indexOf('<code>8.4.2</code>')).toBeGreaterThan(attention);
    expect(pciSection.indexOf('<code>8.4.2</code>')).toBeLessThan(pciSection.indexOf('Satisfied or not applicable'));
    expect(pciSection).toContain('Fix the resources failing Security Hub control IAM.6');
    expect(pciSection).toContain('<h3>By account</h3>');
    expect(pciSection).toContain('<td>Workloads/Pci</td>');
    expect(pciSection).toContain('qsa-liaison@example.com');
    expect(html).toContain('The PBHVA overlay list is not loaded');
  });
});
