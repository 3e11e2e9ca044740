import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateSampleEvents, SampleLakeOptionsError, writeSampleLake } from '../../query/sampleLake';

const NOW = new Date('2026-12-04T12:00:00Z');
const options = { accounts: ['111111111111', '222222222222'], regions: ['us-east-1', 'eu-west-1'], seed: 9, now: NOW, days: 3 };

/** Required attributes of the OCSF 1.1.0 classes Security Lake uses for these sources (ocsf-schema v1.1.0). */
const REQUIRED: Record<number, string[]> = {
  2002: ['activity_id', 'category_uid', 'class_uid', 'finding_info', 'metadata', 'severity_id', 'time', 'type_uid', 'vulnerabilities'],
  2003: ['activity_id', 'category_uid', 'class_uid', 'compliance', 'finding_info', 'metadata', 'severity_id', 'time', 'type_uid'],
  2004: ['activity_id', 'category_uid', 'class_uid', 'finding_info', 'metadata', 'severity_id', 'time', 'type_uid'],
  4001: ['activity_id', 'category_uid', 'class_uid', 'dst_endpoint', 'metadata', 'severity_id', 'src_endpoint', 'time', 'type_uid'],
  6003: ['activity_id', 'actor', 'category_uid', 'class_uid', 'metadata', 'severity_id', 'src_endpoint', 'time', 'type_uid'],
};

describe('sample lake', () => {
  it('gives every event the required attributes of its OCSF 1.1.0 class, a consistent type_uid, and a time before now', () => {
    const events = generateSampleEvents(options);
    const all = [...events.SH_FINDINGS, ...events.CLOUD_TRAIL_MGMT, ...events.VPC_FLOW];
    expect(new Set(events.SH_FINDINGS.map((e) => e.class_uid))).toEqual(new Set([2002, 2003, 2004]));
    expect(new Set(events.CLOUD_TRAIL_MGMT.map((e) => e.class_uid))).toEqual(new Set([6003]));
    expect(new Set(events.VPC_FLOW.map((e) => e.class_uid))).toEqual(new Set([4001]));
    for (const event of all) {
      const classUid = event.class_uid as number;
      const missing = REQUIRED[classUid].filter((attribute) => event[attribute] === null || event[attribute] === undefined);
      expect({ classUid, missing }).toEqual({ classUid, missing: [] });
      expect(event.type_uid).toBe(classUid * 100 + (event.activity_id as number));
      expect(event.category_uid).toBe(Math.floor(classUid / 1000));
      expect(event.time).toBeLessThan(NOW.getTime());
      expect(event.time).toBeGreaterThanOrEqual(NOW.getTime() - options.days * 86_400_000);
      expect((event.time_dt as Date).getTime()).toBe(event.time);
    }
  });

  it('is the same for the same options, and an account keeps its data when others are added', () => {
    expect(generateSampleEvents(options)).toEqual(generateSampleEvents(options));
    const more = generateSampleEvents({ ...options, accounts: [...options.accounts, '333333333333'] });
    const first = (events: ReturnType<typeof generateSampleEvents>) => events.CLOUD_TRAIL_MGMT.filter((e) => e.accountid === '111111111111');
    expect(first(more)).toEqual(first(generateSampleEvents(options)));
    expect(generateSampleEvents({ ...options, seed: 10 }).CLOUD_TRAIL_MGMT).not.toEqual(generateSampleEvents(options).CLOUD_TRAIL_MGMT);
  });

  it('writes byte-identical Parquet for the same options, one directory per Security Lake partition', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'rampart-sample-')), mkdtempSync(join(tmpdir(), 'rampart-sample-'))];
    try {
      const counts = await Promise.all(dirs.map((dir) => writeSampleLake(dir, options)));
      expect(counts[0]).toEqual(counts[1]);
      const [a, b] = dirs.map(fingerprint);
      expect(a).toEqual(b);
      const paths = Object.keys(a);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path).toMatch(/^aws\/(SH_FINDINGS|CLOUD_TRAIL_MGMT|VPC_FLOW)\/2\.0\/region=[a-z0-9-]+\/accountId=\d{12}\/eventDay=\d{8}\/[^/]+\.parquet$/);
      expect(paths.filter((p) => p.startsWith('aws/VPC_FLOW/')).length).toBe(2 * 2 * 4); // accounts x regions x days touched
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains options it cannot use', () => {
    expect(() => generateSampleEvents({ ...options, accounts: ['12345', '111111111111', '111111111111'], regions: ['Virginia'], days: 0 })).toThrow(
      'sample lake options: account "12345": expected 12 digits; accounts: each account id once; region "Virginia": expected a Region name such as us-east-1; days 0: expected a whole number from 1 to 366',
    );
    expect(() => generateSampleEvents({ ...options, accounts: [], now: new Date('nope') })).toThrow(SampleLakeOptionsError);
  });
});

function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path).split('\\').join('/')] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}
