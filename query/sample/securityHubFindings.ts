import type { LakeRecord } from '../lakeWriter';
import { HOUR_MS, hoursBefore, nextSerial, SampleScope, Severity, SEVERITY_IDS } from './scope';

/**
 * Security Hub findings as Security Lake 2.0 stores them (OCSF 1.1.0): CSPM control results as
 * Compliance Finding, Inspector as Vulnerability Finding, GuardDuty as Detection Finding. Each
 * finding has one row per update; the last update decides its state.
 *
 * Rare shapes appear at fixed intervals so every sample holds them: findings whose `unmapped`
 * lacks RecordState or is NULL, and detection findings with an empty `resources` array.
 */

/** Control ids, severities and PCI DSS requirements from the Security Hub PCI DSS v4.0.1 standard. */
const CONTROLS = [
  { id: 'S3.8', title: 'S3 general purpose buckets should block public access', severity: 'High', resource: 'AwsS3Bucket', requirement: '1.4.4' },
  { id: 'S3.5', title: 'S3 general purpose buckets should require requests to use SSL', severity: 'Medium', resource: 'AwsS3Bucket', requirement: '4.2.1' },
  { id: 'IAM.6', title: 'Hardware MFA should be enabled for the root user', severity: 'Critical', resource: 'AwsAccount', requirement: '8.4.2' },
  { id: 'EC2.13', title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22', severity: 'High', resource: 'AwsEc2SecurityGroup', requirement: '1.3.1' },
  { id: 'KMS.4', title: 'AWS KMS key rotation should be enabled', severity: 'Medium', resource: 'AwsKmsKey', requirement: '3.7.4' },
  { id: 'CloudTrail.4', title: 'CloudTrail log file validation should be enabled', severity: 'Low', resource: 'AwsCloudTrailTrail', requirement: '10.3.2' },
] as const satisfies readonly { id: string; title: string; severity: Severity; resource: string; requirement: string }[];

const VULNERABILITIES = [
  { cve: 'CVE-2024-3094', packageName: 'xz-libs', version: '5.6.0', fixedIn: '5.6.1', score: 10.0, severity: 'Critical' },
  { cve: 'CVE-2023-38545', packageName: 'curl', version: '7.88.1', fixedIn: '8.4.0', score: 9.8, severity: 'Critical' },
  { cve: 'CVE-2023-4863', packageName: 'libwebp', version: '1.2.4', fixedIn: '1.3.2', score: 8.8, severity: 'High' },
  { cve: 'CVE-2024-6387', packageName: 'openssh-server', version: '9.6p1', fixedIn: '9.8p1', score: 8.1, severity: 'High' },
  { cve: 'CVE-2023-44487', packageName: 'nghttp2', version: '1.51.0', fixedIn: '1.57.0', score: 7.5, severity: 'High' },
  { cve: 'CVE-2023-5678', packageName: 'openssl', version: '3.0.11', fixedIn: '3.0.13', score: 5.3, severity: 'Medium' },
] as const satisfies readonly { cve: string; packageName: string; version: string; fixedIn: string; score: number; severity: Severity }[];

const THREATS = [
  { type: 'UnauthorizedAccess:EC2/SSHBruteForce', title: 'EC2 instance is being probed by SSH brute force attacks', severity: 'Low' },
  { type: 'Recon:IAMUser/MaliciousIPCaller', title: 'API calls were made from a known malicious IP address', severity: 'Medium' },
  { type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS', title: 'EC2 instance is querying a domain name associated with Bitcoin activity', severity: 'High' },
] as const satisfies readonly { type: string; title: string; severity: Severity }[];

interface Update {
  time: number;
  status: string;
  recordState: 'ACTIVE' | 'ARCHIVED';
}

export function securityHubFindings(scope: SampleScope): LakeRecord[] {
  return [...controlFindings(scope), ...inspectorFindings(scope), ...guardDutyFindings(scope)];
}

function controlFindings(scope: SampleScope): LakeRecord[] {
  const { random, account, region } = scope;
  const records: LakeRecord[] = [];
  for (const control of CONTROLS) {
    const resources = control.resource === 'AwsAccount' ? 1 : random.int(1, 2);
    for (let r = 0; r < resources; r++) {
      const resourceUid = controlResourceUid(control.resource, account, region, random.hex(8));
      const uid = `arn:aws:securityhub:${region}:${account}:security-control/${control.id}/finding/${random.uuid()}`;
      const updates = updatesOf(scope, () => {
        const failed = random.chance(0.45);
        return { compliance: failed ? 'FAILED' : 'PASSED', status: failed ? 'New' : 'Resolved' };
      });
      const serial = nextSerial(scope, 'control');
      updates.forEach((update, i) => {
        records.push({
          ...findingBase(scope, { classUid: 2003, className: 'Compliance Finding', first: i === 0, update, severity: control.severity }),
          metadata: metadata(scope, 'Security Hub', 'AWS', 'securityhub', `security-control/${control.id}`),
          finding_info: findingInfo(uid, control.title, `This control checks ${control.title.toLowerCase()}.`, updates[0].time, update.time, [
            'Software and Configuration Checks/Industry and Regulatory Standards',
          ]),
          compliance: {
            control: control.id,
            status: update.compliance,
            standards: ['standards/pci-dss/v/4.0.1', 'standards/aws-foundational-security-best-practices/v/1.0.0'],
            requirements: [`PCI DSS v4.0.1/${control.requirement}`],
          },
          remediation: {
            desc: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.',
            references: [`https://docs.aws.amazon.com/console/securityhub/${control.id}/remediation`],
          },
          resource: { type: control.resource, uid: resourceUid, cloud_partition: 'aws', region },
          unmapped: serial % 9 === 4 ? null : { RecordState: update.recordState, WorkflowState: 'NEW', 'ProductFields.ControlId': control.id },
          observables: [{ name: 'resource.uid', type: 'Resource UID', type_id: 10, value: resourceUid }],
        });
      });
    }
  }
  return records;
}

function inspectorFindings(scope: SampleScope): LakeRecord[] {
  const { random, account, region } = scope;
  const records: LakeRecord[] = [];
  const instances = random.int(0, 3);
  for (let n = 0; n < instances; n++) {
    const instance = `arn:aws:ec2:${region}:${account}:instance/i-${random.hex(17)}`;
    const found = VULNERABILITIES.filter(() => random.chance(0.35));
    for (const vulnerability of found) {
      const uid = `arn:aws:inspector2:${region}:${account}:finding/${random.hex(32)}`;
      const title = `${vulnerability.cve} - ${vulnerability.packageName}`;
      const updates = updatesOf(scope, () => (random.chance(0.2) ? { status: 'Resolved' } : { status: 'New' }));
      const serial = nextSerial(scope, 'inspector');
      updates.forEach((update, i) => {
        records.push({
          ...findingBase(scope, { classUid: 2002, className: 'Vulnerability Finding', first: i === 0, update, severity: vulnerability.severity }),
          metadata: metadata(scope, 'Inspector', 'Amazon', 'inspector', `AWSInspector`),
          finding_info: findingInfo(uid, title, `${vulnerability.cve} affects ${vulnerability.packageName} ${vulnerability.version}.`, updates[0].time, update.time, [
            'Software and Configuration Checks/Vulnerabilities/CVE',
          ]),
          resource: { type: 'AwsEc2Instance', uid: instance, cloud_partition: 'aws', region },
          vulnerabilities: [
            {
              cve: { uid: vulnerability.cve, cvss: [{ base_score: vulnerability.score, version: '3.1' }] },
              vendor_name: 'NVD',
              affected_packages: [{ name: vulnerability.packageName, version: vulnerability.version, fixed_in_version: vulnerability.fixedIn, package_manager: 'OS' }],
              is_fix_available: true,
              remediation: { desc: `Upgrade ${vulnerability.packageName} to ${vulnerability.fixedIn} or later.` },
            },
          ],
          remediation: { desc: `Upgrade ${vulnerability.packageName} to ${vulnerability.fixedIn} or later.`, references: [] },
          unmapped:
            serial % 5 === 2 ? { WorkflowState: 'NEW' } : serial % 7 === 3 ? null : { RecordState: update.recordState, WorkflowState: 'NEW' },
          observables: [{ name: 'resource.uid', type: 'Resource UID', type_id: 10, value: instance }],
        });
      });
    }
  }
  return records;
}

function guardDutyFindings(scope: SampleScope): LakeRecord[] {
  const { random, account, region } = scope;
  if (!random.chance(0.5)) return [];
  const threat = random.pick(THREATS);
  const serial = nextSerial(scope, 'guardduty');
  const instance = `arn:aws:ec2:${region}:${account}:instance/i-${random.hex(17)}`;
  const uid = `arn:aws:guardduty:${region}:${account}:detector/${random.hex(32)}/finding/${random.hex(32)}`;
  const update: Update = { time: hoursBefore(scope, random.next() * scope.days * 24), status: 'New', recordState: 'ACTIVE' };
  return [
    {
      ...findingBase(scope, { classUid: 2004, className: 'Detection Finding', first: true, update, severity: threat.severity }),
      metadata: metadata(scope, 'GuardDuty', 'Amazon', 'guardduty', `arn:aws:guardduty:${region}:${account}:detector/${random.hex(32)}`),
      finding_info: findingInfo(uid, threat.title, threat.title, update.time, update.time, [`TTPs/${threat.type}`]),
      resources: serial % 3 === 1 ? [] : [{ type: 'AwsEc2Instance', uid: instance, cloud_partition: 'aws', region, owner: { account: { uid: account } } }],
      unmapped: { RecordState: 'ACTIVE', WorkflowState: 'NEW', 'ProductFields.aws/guardduty/service/count': String(random.int(1, 40)) },
      observables: serial % 3 === 1 ? [] : [{ name: 'resources[].uid', type: 'Resource UID', type_id: 10, value: instance }],
    },
  ];
}

/** One to three updates spread over the sample's span; the last may archive the finding. */
function updatesOf(scope: SampleScope, state: () => { status: string; compliance?: string }): (Update & { compliance?: string })[] {
  const { random } = scope;
  const count = random.int(1, 3);
  const span = scope.days * 24;
  const times = Array.from({ length: count }, (_, i) => hoursBefore(scope, span - ((i + random.next() * 0.9) * span) / count));
  return times.map((time, i) => ({ time, ...state(), recordState: i === count - 1 && random.chance(0.1) ? 'ARCHIVED' : 'ACTIVE' }));
}

function findingBase(
  scope: SampleScope,
  finding: { classUid: number; className: string; first: boolean; update: Update; severity: Severity },
): LakeRecord {
  const activityId = finding.first ? 1 : 2;
  const activity = finding.first ? 'Create' : 'Update';
  return {
    region: scope.region,
    accountid: scope.account,
    time: finding.update.time,
    time_dt: new Date(finding.update.time),
    cloud: { account: { uid: scope.account }, region: scope.region, provider: 'AWS' },
    class_uid: finding.classUid,
    class_name: finding.className,
    category_uid: 2,
    category_name: 'Findings',
    activity_id: activityId,
    activity_name: activity,
    type_uid: finding.classUid * 100 + activityId,
    type_name: `${finding.className}: ${activity}`,
    severity: finding.severity,
    severity_id: SEVERITY_IDS[finding.severity],
    status: finding.update.status,
  };
}

function metadata(scope: SampleScope, product: string, vendor: string, productKey: string, feature: string): Record<string, unknown> {
  return {
    version: '1.1.0',
    log_version: '2018-10-08',
    profiles: ['cloud', 'datetime'],
    processed_time_dt: new Date(scope.now - HOUR_MS / 2),
    product: { name: product, vendor_name: vendor, uid: `arn:aws:securityhub:${scope.region}::product/aws/${productKey}`, feature: { uid: feature } },
  };
}

function findingInfo(uid: string, title: string, desc: string, created: number, modified: number, types: string[]): Record<string, unknown> {
  return {
    uid,
    title,
    desc,
    types,
    created_time_dt: new Date(created),
    first_seen_time_dt: new Date(created),
    modified_time_dt: new Date(modified),
    last_seen_time_dt: new Date(modified),
  };
}

function controlResourceUid(type: string, account: string, region: string, suffix: string): string {
  switch (type) {
    case 'AwsAccount':
      return `AWS::::Account:${account}`;
    case 'AwsS3Bucket':
      return `arn:aws:s3:::payments-${account}-${suffix}`;
    case 'AwsEc2SecurityGroup':
      return `arn:aws:ec2:${region}:${account}:security-group/sg-${suffix}`;
    case 'AwsKmsKey':
      return `arn:aws:kms:${region}:${account}:key/${suffix}-0000-4000-a000-000000000000`;
    default:
      return `arn:aws:cloudtrail:${region}:${account}:trail/org-trail-${suffix}`;
  }
}
