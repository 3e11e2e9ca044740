/**
 * Writes the catalogues FakeAws serves from the compliance data sets in /work/shared/data (see its
 * README): the Security Hub standards with their controls, and the AWS Config conformance pack rule
 * lists. FakeAws never reads the data sets at run time; rerun this when they change:
 *
 *   npx tsx sandbox/catalog/generate.ts                     # data from /work/shared/data
 *   RAMPART_DATA=/path/to/data npx tsx sandbox/catalog/generate.ts
 *
 * PCI DSS v4.0.1 is complete (142 controls from securityhub-pci-dss-v4.0.1.json). The data sets
 * hold no control lists for the other standards, so FSBP, CIS v3.0.0, NIST 800-53 r5 and the
 * resource tagging standard carry the representative subsets below: control ids and severities
 * as the Security Hub CSPM User Guide lists them, titles paraphrased. Each subset says so in the
 * generated file (`complete: false`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** Controls outside PCI DSS v4.0.1 that the subsets need: id → [severity, paraphrased title]. */
const OTHER_CONTROLS: Record<string, [Severity, string]> = {
  'Account.1': ['MEDIUM', 'Security contact information registered for the account'],
  'APIGateway.1': ['MEDIUM', 'API Gateway REST and WebSocket execution logging on'],
  'AutoScaling.1': ['LOW', 'Auto Scaling groups behind a load balancer use ELB health checks'],
  'CloudTrail.1': ['HIGH', 'A multi-Region trail records read and write management events'],
  'CloudTrail.5': ['LOW', 'CloudTrail trails send to CloudWatch Logs'],
  'Config.1': ['MEDIUM', 'AWS Config enabled with the service-linked role recording resources'],
  'DynamoDB.1': ['MEDIUM', 'DynamoDB tables scale capacity with demand'],
  'EC2.1': ['CRITICAL', 'EBS snapshots not publicly restorable'],
  'EC2.2': ['HIGH', 'Default security groups allow no traffic'],
  'EC2.3': ['MEDIUM', 'Attached EBS volumes encrypted at rest'],
  'EC2.6': ['MEDIUM', 'VPC flow logging on in every VPC'],
  'EC2.7': ['MEDIUM', 'EBS default encryption on'],
  'EC2.9': ['HIGH', 'EC2 instances have no public IPv4 address'],
  'EC2.10': ['MEDIUM', 'EC2 reached through a VPC endpoint'],
  'EC2.18': ['HIGH', 'Security groups allow unrestricted inbound only on authorized ports'],
  'EC2.19': ['CRITICAL', 'Security groups allow no unrestricted access to high-risk ports'],
  'ECS.1': ['HIGH', 'ECS task definitions use secure networking modes and user definitions'],
  'EFS.1': ['MEDIUM', 'EFS file systems encrypted at rest with KMS'],
  'ELB.1': ['MEDIUM', 'Application Load Balancers redirect HTTP to HTTPS'],
  'IAM.1': ['HIGH', 'IAM policies grant no full administrative privileges'],
  'IAM.2': ['LOW', 'IAM users have no policies attached directly'],
  'IAM.4': ['CRITICAL', 'No root user access key'],
  'IAM.15': ['MEDIUM', 'Password policy requires at least 14 characters'],
  'IAM.21': ['LOW', 'Customer managed policies grant no wildcard service actions'],
  'IAM.22': ['MEDIUM', 'Credentials unused for 45 days removed'],
  'IAM.26': ['MEDIUM', 'Expired TLS certificates removed from IAM'],
  'IAM.27': ['MEDIUM', 'No identity has AWSCloudShellFullAccess attached'],
  'IAM.28': ['HIGH', 'IAM Access Analyzer external access analyzer enabled'],
  'KMS.1': ['MEDIUM', 'Customer managed policies allow no decryption on all KMS keys'],
  'KMS.2': ['MEDIUM', 'Principals have no inline policies allowing decryption on all KMS keys'],
  'KMS.3': ['CRITICAL', 'KMS keys not scheduled for deletion unintentionally'],
  'Lambda.3': ['MEDIUM', 'Lambda functions run in a VPC'],
  'Macie.1': ['MEDIUM', 'Amazon Macie enabled'],
  'RDS.1': ['CRITICAL', 'RDS snapshots private'],
  'RDS.3': ['MEDIUM', 'RDS DB instances encrypted at rest'],
  'S3.2': ['CRITICAL', 'S3 general purpose buckets block public read access'],
  'S3.3': ['CRITICAL', 'S3 general purpose buckets block public write access'],
  'S3.6': ['HIGH', 'S3 bucket policies restrict access by other accounts'],
  'S3.20': ['LOW', 'S3 buckets have MFA delete on'],
  'SSM.1': ['MEDIUM', 'EC2 instances managed by Systems Manager'],
  'ACM.3': ['LOW', 'ACM certificates tagged'],
  'CloudTrail.9': ['LOW', 'CloudTrail trails tagged'],
  'DynamoDB.5': ['LOW', 'DynamoDB tables tagged'],
  'IAM.23': ['LOW', 'IAM Access Analyzer analyzers tagged'],
  'SecretsManager.5': ['LOW', 'Secrets Manager secrets tagged'],
};

/** Representative subsets (the data sets hold no list for these standards). */
const FSBP_SUBSET = [
  'Account.1', 'ACM.1', 'APIGateway.1', 'AutoScaling.1', 'CloudFront.1', 'CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.5',
  'CodeBuild.1', 'CodeBuild.2', 'Config.1', 'DMS.1', 'DynamoDB.1', 'EC2.1', 'EC2.2', 'EC2.3', 'EC2.6', 'EC2.7', 'EC2.8', 'EC2.9', 'EC2.10',
  'EC2.15', 'EC2.16', 'EC2.18', 'EC2.19', 'ECR.1', 'ECS.1', 'EFS.1', 'EKS.1', 'ELB.1', 'GuardDuty.1', 'IAM.1', 'IAM.2', 'IAM.3', 'IAM.4',
  'IAM.5', 'IAM.6', 'IAM.7', 'IAM.8', 'IAM.21', 'KMS.1', 'KMS.2', 'KMS.3', 'Lambda.1', 'Lambda.2', 'Lambda.3', 'Macie.1', 'RDS.1', 'RDS.2',
  'RDS.3', 'S3.1', 'S3.2', 'S3.3', 'S3.5', 'S3.6', 'S3.8', 'SecretsManager.1', 'SSM.1', 'SSM.2', 'SSM.3',
];
const CIS_3_0 = [
  'Account.1', 'CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.7', 'Config.1', 'EC2.2', 'EC2.6', 'EC2.7', 'EC2.8', 'EC2.21',
  'EC2.53', 'EC2.54', 'EFS.1', 'IAM.2', 'IAM.3', 'IAM.4', 'IAM.5', 'IAM.6', 'IAM.9', 'IAM.15', 'IAM.16', 'IAM.18', 'IAM.22', 'IAM.26',
  'IAM.27', 'IAM.28', 'KMS.4', 'RDS.2', 'RDS.3', 'RDS.13', 'S3.1', 'S3.5', 'S3.8', 'S3.20', 'S3.22', 'S3.23',
];
const TAGGING_SUBSET = ['ACM.3', 'CloudTrail.9', 'DynamoDB.5', 'IAM.23', 'SecretsManager.5'];

interface PciControl {
  securityControlId: string;
  shortTitle: string;
  severity: Severity;
  resourceTypes: string[];
  awsConfigRule?: string;
  relatedRequirements: string[];
  category?: string;
}

interface PackRule {
  configRuleName: string;
  sourceIdentifier: string;
  inExcludingGlobalVariant?: boolean;
}

function dataDir(): string {
  return process.env.RAMPART_DATA ?? '/work/shared/data';
}

function read<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(dataDir(), file), 'utf8')) as T;
}

function securityHubCatalog(): unknown {
  const pci = read<{ source: string; retrieved: string; controls: PciControl[] }>('securityhub-pci-dss-v4.0.1.json');
  const controls: Record<string, { title: string; severity: Severity; configRule?: string; resourceTypes?: string[]; category?: string }> = {};
  for (const [id, [severity, title]] of Object.entries(OTHER_CONTROLS)) controls[id] = { title, severity };
  const pciRequirements: Record<string, string[]> = {};
  for (const c of pci.controls) {
    controls[c.securityControlId] = {
      title: c.shortTitle, severity: c.severity, configRule: c.awsConfigRule, resourceTypes: c.resourceTypes, category: c.category,
    };
    pciRequirements[c.securityControlId] = c.relatedRequirements.map((r) => `PCI DSS v4.0.1/${r}`);
  }
  const standards = [
    {
      id: 'standards/aws-foundational-security-best-practices/v/1.0.0', name: 'AWS Foundational Security Best Practices v1.0.0',
      enabledByDefault: true, complete: false, controls: FSBP_SUBSET,
      source: 'Representative subset: control ids from the Security Hub CSPM User Guide FSBP control list (not in the shared data sets)',
    },
    {
      id: 'standards/cis-aws-foundations-benchmark/v/3.0.0', name: 'CIS AWS Foundations Benchmark v3.0.0',
      enabledByDefault: false, complete: false, controls: CIS_3_0,
      source: 'Security Hub CSPM User Guide, "Controls that apply to CIS AWS Foundations Benchmark v3.0.0" (not in the shared data sets)',
    },
    {
      id: 'standards/nist-800-53/v/5.0.0', name: 'NIST Special Publication 800-53 Revision 5',
      enabledByDefault: false, complete: false, controls: FSBP_SUBSET,
      source: 'Representative subset: the FSBP controls above, which the NIST 800-53 r5 standard also carries (its full list is not in the shared data sets)',
    },
    {
      id: 'standards/pci-dss/v/4.0.1', name: 'PCI DSS v4.0.1', enabledByDefault: false, complete: true,
      controls: pci.controls.map((c) => c.securityControlId), relatedRequirements: pciRequirements,
      source: `securityhub-pci-dss-v4.0.1.json (${pci.source}; retrieved ${pci.retrieved})`,
    },
    {
      id: 'standards/aws-resource-tagging-standard/v/1.0.0', name: 'AWS Resource Tagging Standard v1.0.0',
      enabledByDefault: false, complete: false, controls: TAGGING_SUBSET,
      source: 'Representative subset of the tagging controls (not in the shared data sets)',
    },
  ];
  for (const standard of standards) {
    for (const id of standard.controls) if (!controls[id]) throw new Error(`standard ${standard.id} lists ${id}, which has no definition`);
  }
  return {
    $source: 'Generated by sandbox/catalog/generate.ts from /work/shared/data (see each standard\'s source). Do not edit; regenerate.',
    standards,
    controls: Object.fromEntries(Object.entries(controls).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function conformancePackCatalog(): unknown {
  const pci = read<{ source: string; rules: PackRule[] }>('config-conformance-pack-pci-dss-4.json');
  const cccs = read<{ source: string; rules: PackRule[] }>('config-conformance-pack-cccs-medium.json');
  const rules = (list: PackRule[]) => list.map((r) => ({
    name: r.configRuleName, sourceIdentifier: r.sourceIdentifier, ...(r.inExcludingGlobalVariant === false ? { globalOnly: true } : {}),
  }));
  return {
    $source: 'Generated by sandbox/catalog/generate.ts from /work/shared/data. Do not edit; regenerate.',
    packs: {
      'pci-dss-4.0': { title: 'Operational Best Practices for PCI DSS 4.0 (Including global resource types)', complete: true, source: pci.source, rules: rules(pci.rules) },
      'cccs-medium': { title: 'Operational Best Practices for CCCS Medium', complete: true, source: cccs.source, rules: rules(cccs.rules) },
      'nist-800-53-r5': {
        title: 'Operational Best Practices for NIST 800-53 rev 5', complete: false,
        source: 'Stand-in: the CCCS Medium rule list, because the shared data sets hold no NIST 800-53 r5 pack; Rampart deploys the real template',
        rules: rules(cccs.rules),
      },
    },
  };
}

function main(): void {
  const out = (name: string, value: unknown) => {
    const file = path.join(__dirname, name);
    fs.writeFileSync(file, `${JSON.stringify(value, null, 1)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  };
  out('securityHubStandards.json', securityHubCatalog());
  out('conformancePacks.json', conformancePackCatalog());
}

if (require.main === module) main();
