import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSampleLake } from '../../query/sampleLake';

const NOW = '2026-12-04T12:00:00Z';

function rampart(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8', cwd: join(__dirname, '..', '..') });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('rampart query, as a user runs it', () => {
  let lake: string;
  beforeAll(() => {
    lake = mkdtempSync(join(tmpdir(), 'rampart-cli-lake-'));
  });
  afterAll(() => rmSync(lake, { recursive: true, force: true }));

  it('writes a sample lake, then answers a named query as a table and as JSON', () => {
    const written = rampart('sample-lake', '--out', lake, '--accounts', '111111111111', '--regions', 'us-east-1', '--days', '2', '--now', NOW);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/Security Hub finding updates, 24 CloudTrail events, 24 VPC flow records ending 2026-12-04T12:00:00.000Z/);

    const table = rampart('query', 'user-activity', '--param', 'user=bob', '--param', 'days=2', '--lake', lake, '--now', NOW);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^event_time\s+account_id\s+region\s+api_service\s+api_operation\s+status/);
    expect(lines[lines.length - 1]).toMatch(/^\(\d+ rows?\)$/);

    const json = rampart('query', 'user-activity', '--param', 'user=bob', '--param', 'days=2', '--lake', lake, '--now', NOW, '--format', 'json');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { user_uid: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBe(lines.length - 3);
    for (const row of rows) expect(row.user_uid).toBe('arn:aws:iam::111111111111:user/bob');
  });

  it('stops quietly when the reader of its output goes away', async () => {
    // more output than a pipe buffers, so the write fails once head has gone
    const big = mkdtempSync(join(tmpdir(), 'rampart-cli-lake-'));
    try {
      await writeSampleLake(big, { accounts: ['111111111111', '222222222222'], regions: ['us-east-1', 'us-west-2'], seed: 1, now: new Date(NOW), days: 8 });
      const run = spawnSync('bash', ['-c', `set -o pipefail; node bin/rampart.js query vpc_flow --lake '${big}' --now ${NOW} | head -n 1`], {
        encoding: 'utf8',
        cwd: join(__dirname, '..', '..'),
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^event_time\s+start_time/);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it('exits 2 with the reason when it cannot run', () => {
    const result = rampart('query', 'top-outbound-destinations', '--lake', lake);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('rampart: top-outbound-destinations needs parameter "port" (destination port), e.g. port=443\n');
  });

  it('prints the Athena SQL with the values written in', () => {
    const result = rampart('query', 'top-outbound-destinations', '--param', 'port=22', '--sql');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("WHERE event_time >= date_add('hour', -24, current_timestamp)");
    expect(result.stdout).toContain('AND dst_port = 22');
    expect(result.stdout).toContain('FROM rampart_security_insights.vpc_flow');
  });
});
