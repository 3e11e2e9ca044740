import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function rampart(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rampart.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let out: string;
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-cli-'));
});
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

describe('rampart transform', () => {
  test('a configured multi-class source writes one Security Lake source per class and prints balanced counts', () => {
    const r = rampart('transform', '--config', 'config/examples/pci-org', '--source', 'windows-sysmon', '--input', 'ocsf/samples/windows-sysmon/events.jsonl', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('windows-sysmon: 6 in = 6 written + 0 rejected');
    expect(fs.readdirSync(path.join(out, 'ext')).sort()).toEqual(['windows-sysmon-dns', 'windows-sysmon-file', 'windows-sysmon-net', 'windows-sysmon-proc']);
    expect(fs.readdirSync(path.join(out, 'ext', 'windows-sysmon-proc'))).toEqual(['region=us-east-1']);
  });

  test('a shipped mapping on its own, with rejected lines counted and dead-lettered', () => {
    const input = path.join(out, 'in.log');
    fs.writeFileSync(input, `${fs.readFileSync(path.join(ROOT, 'ocsf/samples/aws-network-firewall/flow-and-alert.log'), 'utf8')}{"broken":\n`);
    const r = rampart('transform', '--source', 'aws-network-firewall', '--input', input, '--out', out, '--account', '111122223333', '--json');
    expect(r.code).toBe(0);
    const counts = JSON.parse(r.stdout);
    expect(counts).toMatchObject({ in: 4, written: 3, rejected: 1, rejectedByCode: { 'not-json': 1 } });
    expect(fs.existsSync(path.join(out, counts.deadLetterObjects[0]))).toBe(true);
    expect(counts.objects[0].key).toMatch(/^ext\/aws-network-firewall\/region=us-east-1\/accountId=111122223333\/eventDay=20240501\//);
  });

  test('--workers maps on that many worker threads, with the same result; a bad count is refused', () => {
    const args = ['transform', '--source', 'aws-network-firewall', '--input', 'ocsf/samples/aws-network-firewall/flow-and-alert.log', '--account', '111122223333', '--json'];
    const alone = JSON.parse(rampart(...args, '--out', path.join(out, 'a'), '--workers', '0').stdout);
    const withWorker = JSON.parse(rampart(...args, '--out', path.join(out, 'b'), '--workers', '1').stdout);
    expect(alone.chunksMapped).toEqual({ here: 1, onWorkers: 0 });
    expect(withWorker.chunksMapped).toEqual({ here: 0, onWorkers: 1 });
    expect({ ...withWorker, chunksMapped: undefined }).toEqual({ ...alone, chunksMapped: undefined });
    const bad = rampart('transform', '--source', 'aws-alb', '--input', 'x', '--out', out, '--workers', 'two');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("option '--workers <n>' argument 'two' is invalid. a whole number from 0 to 64");
  }, 60_000);

  test('unknown sources and missing files are usage errors (exit 2)', () => {
    const unknown = rampart('transform', '--source', 'nope', '--input', 'x', '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no shipped mapping "nope" (shipped: aws-alb, aws-network-firewall, windows-sysmon)');
    expect(rampart('transform', '--source', 'aws-alb', '--input', 'missing.log', '--out', out).stderr).toContain('no input file missing.log');
  });
});

describe('rampart mapping check', () => {
  test('a published file is valid with warnings that say the fix (exit 0)', () => {
    const r = rampart('mapping', 'check', 'test/ocsf/fixtures/reference-mappings/windows_sysmon.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning: ocsf_mapping.11.schema_mapping.file.type_uid');
    expect(r.stdout).toContain('fix: rename it to file.type_id');
    expect(r.stdout).toMatch(/valid — 4 mapping\(s\) on \$\.EventId, OCSF Process Activity \(1007\), File System Activity \(1001\), \d+ warning/);
  });

  test('an invalid mapping exits 1 with the reason; an unreadable file exits 2', () => {
    const file = path.join(out, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ custom_source_events: { source_name: 'x', matched_field: '$.k', ocsf_mapping: { a: { schema: 'dns_activity', schema_mapping: { activity_id: 1, severity_id: 1, time: '$.t', metadata: { product: { name: 'p' } } } } } } }));
    const r = rampart('mapping', 'check', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: ocsf_mapping.a.schema_mapping.src_endpoint: src_endpoint is required by DNS Activity (4003)');
    expect(rampart('mapping', 'check', path.join(out, 'none.json')).code).toBe(2);
  });
});
