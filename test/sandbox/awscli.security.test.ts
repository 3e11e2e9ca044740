import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { FakeAws, type FakeAwsServer } from '../../sandbox';
import { seedLandingZone, type SeedReport } from '../../sandbox/seed/fromConfig';
import { checkTool, externalSuiteMode, runCommand, type CommandResult } from './externalTools';

const awsCli = checkTool('aws', ['--version']);
const mode = externalSuiteMode('The AWS CLI suite for the security services', awsCli);

if (mode === 'required-missing') {
  describe('AWS CLI against the security services', () => {
    it('has the AWS CLI (RAMPART_REQUIRE_MOTO=1 requires it)', () => {
      expect(awsCli).toEqual({ ok: true });
    });
  });
}

if (mode === 'run') {
  describe(`AWS CLI against the security services of a seeded landing zone (${awsCli.version})`, () => {
    let fake: FakeAws;
    let server: FakeAwsServer;
    let report: SeedReport;
    let dir: string;
    const id = (name: string) => report.accountIds[name];

    beforeAll(async () => {
      const { config } = loadConfig('config/examples/pci-org', { now: new Date('2026-12-04T00:00:00Z') });
      if (!config) throw new Error('config/examples/pci-org does not load');
      fake = FakeAws.create({ seed: 4 });
      report = await seedLandingZone(fake, config);
      server = await fake.listen();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fakeaws-cli-security-'));
    });
    afterAll(async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function aws(args: string[], account: string, region = 'us-east-1'): Promise<CommandResult & { json: () => Record<string, unknown> }> {
      const env = {
        ...server.env({ account: id(account), region }),
        AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'), AWS_PAGER: '',
      };
      const result = await runCommand('aws', [...args, '--output', 'json'], env);
      return { ...result, json: () => JSON.parse(result.stdout || '{}') as Record<string, unknown> };
    }

    it('Security Hub: enabled standards, paged findings with filters, association errors', async () => {
      const standards = await aws(['securityhub', 'get-enabled-standards'], 'payments-prod');
      expect(standards.code).toBe(0);
      expect((standards.json().StandardsSubscriptions as { StandardsArn: string }[]).map((s) => s.StandardsArn).sort()).toEqual([
        'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0', 'arn:aws:securityhub:us-east-1::standards/pci-dss/v/4.0.1',
      ]);
      // The CLI follows NextToken itself: every PCI DSS control finding of the account, over two pages.
      const findings = await aws(['securityhub', 'get-findings', '--filters', JSON.stringify({
        AwsAccountId: [{ Value: id('payments-prod'), Comparison: 'EQUALS' }], Region: [{ Value: 'us-east-1', Comparison: 'EQUALS' }],
        ComplianceAssociatedStandardsId: [{ Value: 'standards/pci-dss/v/4.0.1', Comparison: 'EQUALS' }],
      })], 'security-tooling');
      expect(findings.code).toBe(0);
      expect((findings.json().Findings as unknown[]).length).toBe(142);
      const refused = await aws(['securityhub', 'list-configuration-policies'], 'payments-prod');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('(AccessDeniedException)');
    });

    it('Security Lake: data lakes and sources as the delegated administrator', async () => {
      const lakes = await aws(['securitylake', 'list-data-lakes'], 'log-archive');
      expect(lakes.code).toBe(0);
      expect((lakes.json().dataLakes as { region: string }[]).map((l) => l.region).sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
      const sources = await aws(['securitylake', 'get-data-lake-sources', '--accounts', id('payments-prod')], 'log-archive', 'us-east-2');
      const collecting = (sources.json().dataLakeSources as { sourceName: string; sourceStatuses: { status: string }[] }[]).filter((s) => s.sourceStatuses[0].status === 'COLLECTING').map((s) => s.sourceName);
      expect(collecting.sort()).toEqual(['CLOUD_TRAIL_MGMT', 'ROUTE53', 'SH_FINDINGS', 'VPC_FLOW']);
      const denied = await aws(['securitylake', 'list-data-lakes'], 'web-prod');
      expect(denied.stderr).toContain('(AccessDeniedException)');
    });

    it('AWS Config: recorder status, conformance packs and the aggregator', async () => {
      const status = await aws(['configservice', 'describe-configuration-recorder-status'], 'payments-prod');
      expect((status.json().ConfigurationRecordersStatus as { recording: boolean }[])[0].recording).toBe(true);
      const packs = await aws(['configservice', 'describe-organization-conformance-pack-statuses'], 'security-tooling');
      expect((packs.json().OrganizationConformancePackStatuses as { Status: string }[]).map((p) => p.Status)).toEqual(['CREATE_SUCCESSFUL', 'CREATE_SUCCESSFUL']);
      const aggregate = await aws(['configservice', 'describe-aggregate-compliance-by-conformance-packs', '--configuration-aggregator-name', 'rampart-organization'], 'security-tooling');
      expect((aggregate.json().AggregateComplianceByConformancePacks as unknown[]).length).toBe(8 * 3 * 2);
      const missing = await aws(['configservice', 'stop-configuration-recorder', '--configuration-recorder-name', 'nope'], 'payments-prod');
      expect(missing.stderr).toContain('(NoSuchConfigurationRecorderException)');
    });

    it('Access Analyzer: analyzers, findings after an IAM change, and policy validation', async () => {
      const analyzers = await aws(['accessanalyzer', 'list-analyzers'], 'security-tooling');
      const arn = (analyzers.json().analyzers as { arn: string }[])[0].arn;
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' }] });
      expect((await aws(['iam', 'create-role', '--role-name', 'cli-vendor', '--assume-role-policy-document', trust], 'web-prod')).code).toBe(0);
      const findings = await aws(['accessanalyzer', 'list-findings', '--analyzer-arn', arn, '--filter', JSON.stringify({ status: { eq: ['ACTIVE'] } })], 'security-tooling');
      expect(findings.json().findings).toEqual([expect.objectContaining({ resource: `arn:aws:iam::${id('web-prod')}:role/cli-vendor`, principal: { AWS: 'arn:aws:iam::210987654321:root' }, status: 'ACTIVE' })]);
      const validated = await aws(['accessanalyzer', 'validate-policy', '--policy-type', 'IDENTITY_POLICY', '--policy-document', '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'], 'web-prod');
      expect((validated.json().findings as { issueCode: string }[]).map((f) => f.issueCode)).toEqual(['MISSING_VERSION']);
    });
  });
}
