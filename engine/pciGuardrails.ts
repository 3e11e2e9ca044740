import { pciGuardrailPolicyNames, type PolicyDocument, type RampartConfig } from '../config/model';

export interface GeneratedScp {
  name: string;
  description: string;
  document: PolicyDocument;
}

/** Actions that switch off the services PCI evidence depends on. */
const SECURITY_SERVICE_OFF_SWITCHES = [
  'securityhub:DisableSecurityHub',
  'securityhub:BatchDisableStandards',
  'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:DisassociateFromMasterAccount',
  'securityhub:DeleteMembers',
  'securityhub:DisassociateMembers',
  'config:StopConfigurationRecorder',
  'config:DeleteConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'securitylake:DeleteDataLake',
  'securitylake:DeleteAwsLogSource',
  'securitylake:DeleteCustomLogSource',
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'access-analyzer:DeleteAnalyzer',
];

const ROLE_MUTATIONS = [
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:TagRole',
  'iam:UntagRole',
];

/** Global services whose calls land in us-east-1 whatever Region a user works in (AWS's Region-deny example). */
const GLOBAL_SERVICE_ACTIONS = [
  'a4b:*', 'acm:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*', 'budgets:*', 'ce:*',
  'chime:*', 'cloudfront:*', 'config:*', 'cur:*', 'directconnect:*', 'ec2:DescribeRegions', 'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways', 'fms:*', 'globalaccelerator:*', 'health:*', 'iam:*', 'importexport:*', 'kms:*',
  'mobileanalytics:*', 'networkmanager:*', 'organizations:*', 'pricing:*', 'route53:*', 'route53domains:*',
  'route53-recovery-cluster:*', 'route53-recovery-control-config:*', 'route53-recovery-readiness:*',
  's3:GetAccountPublic*', 's3:ListAllMyBuckets', 's3:ListMultiRegionAccessPoints', 's3:PutAccountPublic*',
  'shield:*', 'sts:*', 'support:*', 'trustedadvisor:*', 'waf-regional:*', 'waf:*', 'wafv2:*', 'wellarchitected:*',
];

/** The role service-managed StackSets use in member accounts: it deploys and updates Rampart's role. */
const STACKSETS_MEMBER_ROLE = 'arn:aws:iam::*:role/aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember';

/**
 * The PCI guardrail SCPs generated from `pciGuardrails`. Stacks deploy them, FakeAws seeds them,
 * and drift detection compares the live documents with these.
 */
export function pciGuardrailScps(config: Pick<RampartConfig, 'organization' | 'global'>): GeneratedScp[] {
  const guardrails = config.organization.pciGuardrails;
  if (!guardrails) return [];
  const rampartRoleArn = `arn:aws:iam::*:role/${config.global.executionRoleName}`;
  const out: GeneratedScp[] = [];
  for (const name of pciGuardrailPolicyNames(guardrails)) {
    if (name === 'RampartPciGuardrails') {
      const statements: Record<string, unknown>[] = [];
      if (guardrails.denyLeaveOrganization) {
        statements.push({ Sid: 'DenyLeaveOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
      }
      if (guardrails.denyDisablingSecurityServices) {
        statements.push({
          Sid: 'DenyDisablingSecurityServices', Effect: 'Deny', Action: SECURITY_SERVICE_OFF_SWITCHES, Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': rampartRoleArn } },
        });
      }
      if (guardrails.protectRampartRoles) {
        statements.push({
          Sid: 'ProtectRampartRoles', Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: rampartRoleArn,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': STACKSETS_MEMBER_ROLE } },
        });
      }
      out.push({
        name,
        description: 'Rampart PCI guardrails: stay in the organization, keep security services on, leave Rampart roles alone',
        document: { Version: '2012-10-17', Statement: statements },
      });
    } else {
      out.push({
        name,
        description: 'Rampart PCI guardrails: deny Regions outside the configuration',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyRegionsOutsideConfig', Effect: 'Deny', NotAction: GLOBAL_SERVICE_ACTIONS, Resource: '*',
              Condition: {
                StringNotEquals: { 'aws:RequestedRegion': [...config.global.enabledRegions] },
                ArnNotLike: { 'aws:PrincipalArn': rampartRoleArn },
              },
            },
          ],
        },
      });
    }
  }
  return out;
}
