import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildEvidenceReport, type EvidenceBuild } from '../../evidence/build';
import { canonicalJson, inventorySha256, MANIFEST_FILE, sha256Hex } from '../../evidence/manifest';
import { EvidenceVerifyError, verifyEvidence } from '../../evidence/verify';
import { CHECK_RESULTS_DIR, CHECK_RESULTS_FILE } from '../../evidence/layout';
import { EVIDENCE_FILES, EvidenceWriteError, evidenceFiles, writeEvidence } from '../../evidence/write';
import { loadFrameworks } from '../../frameworks/load';
import { temporaryDir } from '../frameworks/configDir';
import { ACCOUNTS, NOW, result, testFramework } from './fixtures';

const inventory = { accounts: [{ id: '111111111111', ou: 'Workloads/Pci' }], observedAt: '2026-12-05T05:00:00Z' };

function sampleBuild(): EvidenceBuild {
  return buildEvidenceReport({
    now: NOW, frameworks: [testFramework()], describer: loadFrameworks().describer, accounts: ACCOUNTS,
    checkResults: [result('fail', ACCOUNTS[0]), result('pass', ACCOUNTS[1])], inventory: { sha256: inventorySha256(inventory), source: 'inventory.json' },
  });
}

function written(): { root: string; set: string; results: string } {
  const root = temporaryDir('rampart-evidence-');
  writeEvidence(sampleBuild(), root);
  return { root, set: path.join(root, 'test-fw', '2026-12-05'), results: path.join(root, CHECK_RESULTS_DIR, '2026-12-05', CHECK_RESULTS_FILE) };
}

describe('evidence sets and their manifest', () => {
  it('writes <framework>/<date>/ with every file listed in the manifest, and the inventory hash', () => {
    const { root, set } = written();
    expect(fs.readdirSync(root).sort()).toEqual([CHECK_RESULTS_DIR, 'test-fw']);
    expect(fs.readdirSync(path.join(root, 'test-fw'))).toEqual(['2026-12-05']);
    expect(fs.readdirSync(set).sort()).toEqual([...Object.values(EVIDENCE_FILES), MANIFEST_FILE].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(set, MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ schema: 'rampart.evidence-manifest/v1', framework: 'test-fw', algorithm: 'SHA-256', inventory: { sha256: inventorySha256(inventory) } });
    for (const entry of manifest.files) expect(entry.sha256).toBe(sha256Hex(fs.readFileSync(path.join(set, entry.path))));
    expect(verifyEvidence(root)).toMatchObject({ ok: true, filesChecked: 6, problems: [] });
  });

  it('writes the check results once per run, gzipped, pinned by hash in each framework\'s manifest', () => {
    const { set, results } = written();
    const lines = gunzipSync(fs.readFileSync(results)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.resultId)).toEqual(['org.pci-accounts-isolated@111111111111', 'org.pci-accounts-isolated@222222222222']);
    const manifest = JSON.parse(fs.readFileSync(path.join(set, MANIFEST_FILE), 'utf8'));
    expect(manifest.references).toEqual([{ path: `../../${CHECK_RESULTS_DIR}/2026-12-05/${CHECK_RESULTS_FILE}`, sha256: sha256Hex(fs.readFileSync(results)), bytes: fs.statSync(results).size }]);
    expect(fs.readFileSync(path.join(set, EVIDENCE_FILES.csv), 'utf8')).toContain(`../../${CHECK_RESULTS_DIR}/2026-12-05/${CHECK_RESULTS_FILE}`);
    // A framework set verified on its own still checks the results it cites.
    expect(verifyEvidence(set)).toMatchObject({ ok: true, filesChecked: 5 });
  });

  it('produces the same bytes for the same input (the file set is pure)', () => {
    const a = evidenceFiles(sampleBuild());
    const b = evidenceFiles(sampleBuild());
    expect(b.map((s) => s.manifestSha256)).toEqual(a.map((s) => s.manifestSha256));
  });

  it('never overwrites a set that exists', () => {
    const { root } = written();
    expect(() => writeEvidence(sampleBuild(), root)).toThrow(EvidenceWriteError);
  });

  it('compresses as gzip members any gzip reader joins', () => {
    const [results] = evidenceFiles(sampleBuild());
    expect(gunzipSync(Buffer.concat(results.files[0].content as Buffer[])).toString('utf8').split('\n')).toHaveLength(3);
  });

  it('hashes the inventory by content, whatever the key order', () => {
    expect(inventorySha256({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(inventorySha256({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});

describe('verifyEvidence', () => {
  it.each(Object.values(EVIDENCE_FILES))('detects one changed byte in %s', (file) => {
    const { set } = written();
    const target = path.join(set, file);
    const bytes = fs.readFileSync(target);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at] ^ 0x01;
    fs.writeFileSync(target, bytes);
    const result = verifyEvidence(set);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ kind: 'changed', path: file, detail: expect.stringMatching(/SHA-256 differs/) }]);
  });

  it('detects one changed byte in the run\'s check results, from the whole tree and from a framework set alone', () => {
    const { root, set, results } = written();
    const bytes = fs.readFileSync(results);
    bytes[bytes.length - 5] ^= 0x01;
    fs.writeFileSync(results, bytes);
    expect(verifyEvidence(root).problems).toEqual([{ kind: 'changed', path: `${CHECK_RESULTS_DIR}/2026-12-05/${CHECK_RESULTS_FILE}`, detail: expect.stringMatching(/SHA-256 differs/) }]);
    expect(verifyEvidence(set).problems).toEqual([{ kind: 'changed', path: `../../${CHECK_RESULTS_DIR}/2026-12-05/${CHECK_RESULTS_FILE}`, detail: expect.stringMatching(/SHA-256 differs/) }]);
    fs.rmSync(results);
    expect(verifyEvidence(set).problems).toEqual([{ kind: 'missing', path: `../../${CHECK_RESULTS_DIR}/2026-12-05/${CHECK_RESULTS_FILE}`, detail: expect.stringMatching(/referenced by manifest.json/) }]);
  });

  it('detects a file cut short, a missing file and an extra file, in nested directories too', () => {
    const { root, set } = written();
    fs.appendFileSync(path.join(set, EVIDENCE_FILES.csv), 'x');
    fs.rmSync(path.join(set, EVIDENCE_FILES.ocsf));
    fs.writeFileSync(path.join(set, 'notes.txt'), 'added later');
    fs.mkdirSync(path.join(root, 'test-fw', 'extra'));
    fs.writeFileSync(path.join(root, 'test-fw', 'extra', 'x.json'), '{}');
    const problems = verifyEvidence(root).problems.map((p) => `${p.kind} ${p.path}`);
    expect(problems.sort()).toEqual([
      'changed test-fw/2026-12-05/controls.csv', 'extra test-fw/2026-12-05/notes.txt', 'extra test-fw/extra/x.json', 'missing test-fw/2026-12-05/findings.ocsf.jsonl',
    ]);
  });

  it('flags a listed file replaced by a link, even to identical bytes', () => {
    const { set } = written();
    const original = path.join(set, EVIDENCE_FILES.csv);
    const elsewhere = path.join(temporaryDir('rampart-evidence-'), 'controls.csv');
    fs.renameSync(original, elsewhere);
    fs.symlinkSync(elsewhere, original);
    expect(verifyEvidence(set).problems).toEqual([{ kind: 'changed', path: EVIDENCE_FILES.csv, detail: 'a symbolic link, not a file' }]);
  });

  it('rejects a manifest that is not JSON, or that points outside its directory', () => {
    const { set } = written();
    const manifestPath = path.join(set, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    manifest.files[0].path = '../../../etc/passwd';
    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    const result = verifyEvidence(set);
    expect(result.problems[0]).toMatchObject({ kind: 'manifest', detail: expect.stringMatching(/a relative path inside the evidence directory/) });
    manifest.files[0].path = EVIDENCE_FILES.report;
    manifest.references[0].path = '../../../../etc/passwd';
    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(verifyEvidence(set).problems[0]).toMatchObject({ kind: 'manifest', detail: expect.stringMatching(/a path to the run's check results/) });
    fs.writeFileSync(manifestPath, '{not json');
    expect(verifyEvidence(set).problems[0]).toMatchObject({ kind: 'manifest', detail: expect.stringMatching(/not JSON/) });
  });

  it('treats files without any manifest as tampered, and an empty or missing directory as nothing to verify', () => {
    const { set } = written();
    fs.rmSync(path.join(set, MANIFEST_FILE));
    expect(verifyEvidence(set)).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ kind: 'extra', path: 'report.json' })]) });
    expect(() => verifyEvidence(temporaryDir('rampart-empty-'))).toThrow(EvidenceVerifyError);
    expect(() => verifyEvidence('/nonexistent/evidence')).toThrow(/no such directory/);
  });
});
