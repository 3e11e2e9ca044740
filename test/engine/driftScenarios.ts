import type { DesiredState } from '../../engine/desiredState';
import type { DriftType } from '../../config/driftTypeNames';
import type { Inventory } from '../../engine/inventory';
import { IDS, ok, ouId } from './fixtures';

/**
 * One minimal change to a clean pci-org inventory per drift type, the way people and attackers
 * change an organization. Each must yield exactly one drift, of `type`.
 */
export interface DriftScenario {
  type: DriftType;
  name: string;
  /** A desired state other than pci-org's, when the clean baseline needs one (e.g. an empty OU). */
  desired?: (base: DesiredState) => DesiredState;
  mutate(inventory: Inventory): void;
}

const region = (inventory: Inventory, accountId: string, name: string) => {
  const state = inventory.accounts[accountId].regions[name];
  if (!state) throw new Error(`no ${name} for ${accountId}`);
  return state;
};

export const DRIFT_SCENARIOS: DriftScenario[] = [
  {
    type: 'AccountMovedOu', name: 'PCI account moved to the non-PCI OU',
    mutate: (inv) => {
      const account = ok(inv.organization.structure).accounts.find((a) => a.id === IDS.paymentsProd);
      if (account) account.parentId = ouId(inv, 'Workloads/NonPci');
    },
  },
  {
    type: 'AccountRemoved', name: 'account left the organization',
    mutate: (inv) => {
      const structure = ok(inv.organization.structure);
      structure.accounts = structure.accounts.filter((a) => a.id !== IDS.developerSandbox);
    },
  },
  {
    type: 'AccountRemoved', name: 'account suspended',
    mutate: (inv) => {
      const account = ok(inv.organization.structure).accounts.find((a) => a.id === IDS.analytics);
      if (account) account.status = 'SUSPENDED';
    },
  },
  {
    type: 'AccountNotInConfig', name: 'account created outside the configuration',
    mutate: (inv) => {
      ok(inv.organization.structure).accounts.push({ id: '999988887777', name: 'shadow-it', email: 'shadow@example.com', status: 'ACTIVE', parentId: ouId(inv, 'Sandbox') });
    },
  },
  {
    type: 'OuDeleted', name: 'empty OU deleted',
    desired: (base) => ({
      ...base,
      organization: {
        ...base.organization,
        organizationalUnits: [...base.organization.organizationalUnits, { path: 'Quarantine', name: 'Quarantine', parentPath: 'Root', pci: false, declaredAt: { file: 'organization.yaml', line: 99, col: 5 } }],
      },
    }),
    mutate: (inv) => {
      const structure = ok(inv.organization.structure);
      structure.organizationalUnits = structure.organizationalUnits.filter((ou) => ou.path !== 'Quarantine');
    },
  },
  {
    type: 'ScpMissing', name: 'configured SCP deleted',
    mutate: (inv) => {
      const policies = ok(inv.organization.policies);
      policies.serviceControlPolicies = policies.serviceControlPolicies.filter((p) => p.name !== 'DenyPublicS3');
    },
  },
  {
    type: 'ScpUpdated', name: 'PCI guardrail SCP edited',
    mutate: (inv) => {
      const scp = ok(inv.organization.policies).serviceControlPolicies.find((p) => p.name === 'RampartPciGuardrails');
      if (scp && Array.isArray(scp.document.Statement)) scp.document.Statement = scp.document.Statement.slice(1);
    },
  },
  {
    type: 'ScpDetached', name: 'PCI guardrail SCP detached from the PCI OU',
    mutate: (inv) => {
      const scp = ok(inv.organization.policies).serviceControlPolicies.find((p) => p.name === 'RampartPciRegionRestriction');
      if (scp) scp.targets = [];
    },
  },
  {
    type: 'TrustedAccessDisabled', name: 'trusted access for Security Lake disabled',
    mutate: (inv) => {
      const trusted = ok(inv.organization.trustedAccess);
      trusted.servicePrincipals = trusted.servicePrincipals.filter((p) => p !== 'securitylake.amazonaws.com');
    },
  },
  {
    type: 'DelegatedAdminMismatch', name: 'Security Hub delegated admin deregistered',
    mutate: (inv) => {
      delete ok(inv.organization.delegatedAdministrators).byServicePrincipal['securityhub.amazonaws.com'];
    },
  },
  {
    type: 'SecurityHubDisabled', name: 'Security Hub disabled in a PCI account',
    mutate: (inv) => {
      region(inv, IDS.paymentsProd, 'us-east-2').securityHub = { status: 'ok', enabled: false, standards: [], disabledControls: [] };
    },
  },
  {
    type: 'PciStandardMissing', name: 'PCI DSS standard disabled for a PCI account',
    mutate: (inv) => {
      const hub = ok(region(inv, IDS.paymentsStaging, 'us-east-1').securityHub);
      hub.standards = hub.standards.filter((s) => !s.standardArn.includes('pci-dss'));
    },
  },
  {
    type: 'StandardMissing', name: 'FSBP disabled for a non-PCI account',
    mutate: (inv) => {
      const hub = ok(region(inv, IDS.webProd, 'us-west-2').securityHub);
      hub.standards = hub.standards.filter((s) => !s.standardArn.includes('foundational'));
    },
  },
  {
    type: 'StandardNotConfigured', name: 'CIS enabled where the policy does not ask for it',
    mutate: (inv) => {
      ok(region(inv, IDS.analytics, 'us-east-1').securityHub).standards.push({
        standardArn: 'arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0', status: 'READY',
      });
    },
  },
  {
    type: 'SecurityHubControlDisabled', name: 'a PCI control disabled in a PCI account',
    mutate: (inv) => {
      ok(region(inv, IDS.paymentsProd, 'us-east-1').securityHub).disabledControls.push({ controlId: 'EC2.10', reason: 'noisy' });
    },
  },
  {
    type: 'ConfigurationPolicyMismatch', name: 'PCI standard removed from the central configuration policy',
    mutate: (inv) => {
      const policy = ok(inv.securityHub.organization).configurationPolicies.find((p) => p.name === 'pci');
      if (policy) policy.enabledStandardArns = policy.enabledStandardArns.filter((arn) => !arn.includes('pci-dss'));
    },
  },
  {
    type: 'ConfigurationPolicyAssociationMismatch', name: 'PCI OU disassociated from its policy',
    mutate: (inv) => {
      const view = ok(inv.securityHub.organization);
      const pciOu = ouId(inv, 'Workloads/Pci');
      view.associations = view.associations.filter((a) => a.targetId !== pciOu);
    },
  },
  {
    type: 'DataLakeMissing', name: 'data lake deleted in a contributing Region',
    mutate: (inv) => {
      ok(inv.securityLake.regions['us-east-2']).dataLake = null;
    },
  },
  {
    type: 'DataLakeConfigurationMismatch', name: 'retention shortened',
    mutate: (inv) => {
      const lake = ok(inv.securityLake.regions['us-west-2']).dataLake;
      if (lake) lake.lifecycle.expirationDays = 30;
    },
  },
  {
    type: 'ReplicationMismatch', name: 'replication to the rollup Region removed',
    mutate: (inv) => {
      const lake = ok(inv.securityLake.regions['us-east-2']).dataLake;
      if (lake) lake.replication = null;
    },
  },
  {
    type: 'AwsSourceNotCollecting', name: 'VPC flow logs stopped for an account in a contributing Region',
    mutate: (inv) => {
      const source = ok(inv.securityLake.regions['us-west-2']).awsSources[IDS.webProd].find((s) => s.sourceName === 'VPC_FLOW');
      if (source) source.status = 'NOT_COLLECTING';
    },
  },
  {
    type: 'CustomSourceMissing', name: 'custom source deleted',
    mutate: (inv) => {
      const lake = ok(inv.securityLake.regions['us-east-1']);
      lake.customSources = lake.customSources.filter((s) => s.sourceName !== 'network-firewall');
    },
  },
  {
    type: 'CustomSourceWrongClass', name: 'custom source registered with another event class',
    mutate: (inv) => {
      const source = ok(inv.securityLake.regions['us-east-1']).customSources.find((s) => s.sourceName === 'windows-sysmon-proc');
      if (source) source.eventClasses = ['AUTHENTICATION'];
    },
  },
  {
    type: 'OrgAutoEnableOff', name: 'organization auto-enable switched off',
    mutate: (inv) => {
      ok(inv.securityLake.regions['us-east-1']).autoEnableNewAccounts = [];
    },
  },
  {
    type: 'ConfigRecorderStopped', name: 'Config recorder stopped',
    mutate: (inv) => {
      const recorder = ok(region(inv, IDS.analytics, 'us-east-2').config).recorder;
      if (recorder) recorder.recording = false;
    },
  },
  {
    type: 'ConfigRecorderStopped', name: 'Config recorder deleted',
    mutate: (inv) => {
      ok(region(inv, IDS.paymentsProd, 'us-west-2').config).recorder = null;
    },
  },
  {
    type: 'ConformancePackMissing', name: 'conformance pack deleted',
    mutate: (inv) => {
      const packs = ok(inv.config.conformancePacks['us-west-2']);
      packs.packs = packs.packs.filter((p) => p.name !== 'rampart-pci-dss-4');
    },
  },
  {
    type: 'ConfigAggregatorMissing', name: 'aggregator deleted',
    mutate: (inv) => {
      ok(inv.config.aggregators).aggregators = [];
    },
  },
  {
    type: 'AnalyzerMissing', name: 'analyzer deleted in one Region',
    mutate: (inv) => {
      ok(inv.accessAnalyzer.regions['us-east-2']).analyzers = [];
    },
  },
  {
    type: 'ExternalTrustOnRole', name: 'role trusted by an external account',
    mutate: (inv) => {
      ok(inv.accounts[IDS.webProd].iam).roles.push({
        arn: `arn:aws:iam::${IDS.webProd}:role/vendor/VendorIntegration`, name: 'VendorIntegration', path: '/vendor/', tags: {},
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::777777777777:root' }, Action: 'sts:AssumeRole' }] },
      });
      for (const name of ['us-east-1', 'us-east-2']) {
        ok(inv.accessAnalyzer.regions[name]).findings.push({
          id: `finding-${name}-1`, analyzerArn: `arn:aws:access-analyzer:${name}:${IDS.securityTooling}:analyzer/rampart-organization`,
          resource: `arn:aws:iam::${IDS.webProd}:role/vendor/VendorIntegration`, resourceType: 'AWS::IAM::Role', resourceOwnerAccount: IDS.webProd,
          status: 'ACTIVE', principal: { AWS: '777777777777' }, actions: ['sts:AssumeRole'], condition: {}, isPublic: false,
        });
      }
    },
  },
  {
    type: 'PciSegmentationPath', name: 'PCI role trusted by a non-PCI account',
    mutate: (inv) => {
      const iam = ok(inv.accounts[IDS.paymentsProd].iam);
      iam.roles.push({
        arn: `arn:aws:iam::${IDS.paymentsProd}:role/Deployer`, name: 'Deployer', path: '/', tags: {},
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${IDS.webProd}:role/ci`] }, Action: 'sts:AssumeRole' }] },
      });
    },
  },
];
