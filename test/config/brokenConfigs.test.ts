import { formatIssue, type ConfigIssue } from '../../config/errors';
import { loadConfig } from '../../config/load';
import { ExampleCopy } from './exampleCopy';

const today = new Date('2026-12-04T00:00:00Z');

interface Expected {
  rule: string;
  file: string;
  /** Text whose first occurrence in the edited file is where the issue must point (line and column). */
  at?: string;
  /** Check only the line of `at`: where on it a parser error lands is the parser's business. */
  lineOnly?: boolean;
  /** Explicit position, for whole-file problems. */
  line?: number;
  col?: number;
  field?: string;
  severity?: 'warning';
  found?: RegExp;
  hint?: RegExp;
}

interface BrokenCase {
  name: string;
  edit(copy: ExampleCopy): void;
  expect: Expected[];
  /** The expected errors are the only ones: the mistake causes no knock-on noise. */
  alone?: boolean;
}

const oversizedScp = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyManyThings', Effect: 'Deny', Action: Array.from({ length: 300 }, (_, i) => `ec2:DeleteSomething${i}`), Resource: '*' }],
});

const inlineScp = (name: string) => `
  - name: ${name}
    document: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "ec2:${name}", Resource: "*" }] }
    targets:
      organizationalUnits: [Workloads/Pci]`;

const cases: BrokenCase[] = [
  // Typos in keys, at several depths
  {
    name: 'typo in a top-level key of global.yaml',
    edit: (c) => c.replace('global.yaml', 'enabledRegions:', 'enabledRegion:'),
    expect: [{ rule: 'schema.unknown-key', file: 'global.yaml', at: 'enabledRegion:', field: 'enabledRegion', hint: /did you mean "enabledRegions"/ }],
    alone: true,
  },
  {
    name: 'typo in an account key',
    edit: (c) => c.replace('organization.yaml', '    email: aws-web-prod@', '    emial: aws-web-prod@'),
    expect: [{ rule: 'schema.unknown-key', file: 'organization.yaml', at: 'emial:', field: 'accounts[5].emial', hint: /did you mean "email"/ }],
    alone: true,
  },
  {
    name: 'typo in a nested OU key',
    edit: (c) => c.replace('organization.yaml', '        pci: true', '        pcii: true'),
    expect: [{ rule: 'schema.unknown-key', file: 'organization.yaml', at: 'pcii:', field: 'organizationalUnits[1].children[0].pcii', hint: /did you mean "pci"/ }],
    alone: true,
  },
  {
    name: 'typo five levels deep in security.yaml',
    edit: (c) => c.replace('security.yaml', '          reason: Cardholder', '          reson: Cardholder'),
    expect: [{ rule: 'schema.unknown-key', file: 'security.yaml', at: 'reson:', field: 'securityHub.configurationPolicies[0].disabledControls[0].reson', hint: /did you mean "reason"/ }],
    alone: true,
  },
  {
    name: 'typo in a rollup Region entry',
    edit: (c) => c.replace('securitylake.yaml', 'contributingRegions:', 'contributingRegion:'),
    expect: [{ rule: 'schema.unknown-key', file: 'securitylake.yaml', at: 'contributingRegion:', field: 'rollupRegions[0].contributingRegion', hint: /did you mean "contributingRegions"/ }],
    alone: true,
  },
  {
    name: 'typo in an optional governance key',
    edit: (c) => c.replace('governance.yaml', '  maxActionsPerRun: 25', '  maxActionPerRun: 25'),
    expect: [{ rule: 'schema.unknown-key', file: 'governance.yaml', at: 'maxActionPerRun', field: 'remediation.maxActionPerRun', hint: /did you mean "maxActionsPerRun"/ }],
    alone: true,
  },
  {
    name: 'a key that resembles nothing',
    edit: (c) => c.append('global.yaml', 'colour: blue\n'),
    expect: [{ rule: 'schema.unknown-key', file: 'global.yaml', at: 'colour', field: 'colour', hint: /remove "colour"/ }],
    alone: true,
  },

  // Wrong types and values
  {
    name: 'a word where a number belongs',
    edit: (c) => c.replace('governance.yaml', '  maxConcurrency: 10', '  maxConcurrency: ten'),
    expect: [{ rule: 'schema.type', file: 'governance.yaml', at: 'ten', field: 'drift.maxConcurrency', found: /"ten"/ }],
    alone: true,
  },
  {
    name: 'a string where a boolean belongs',
    edit: (c) => c.replace('organization.yaml', '    pci: true\n    tags:', '    pci: "yes"\n    tags:'),
    expect: [{ rule: 'schema.type', file: 'organization.yaml', at: '"yes"', field: 'accounts[3].pci' }],
    alone: true,
  },
  {
    name: 'a single value where a list belongs',
    edit: (c) => c.replace('securitylake.yaml', 'regions: [us-east-1, us-east-2, us-west-2]', 'regions: us-east-1'),
    expect: [{ rule: 'schema.type', file: 'securitylake.yaml', at: 'us-east-1', field: 'regions', found: /"us-east-1"/ }],
    alone: true,
  },
  {
    name: 'an unquoted 12-digit account id',
    edit: (c) => c.replace('organization.yaml', 'id: "444444444445"', 'id: 444444444445'),
    expect: [{ rule: 'schema.type', file: 'organization.yaml', at: '444444444445', field: 'accounts[4].id', found: /number 444444444445/, hint: /put the value in quotes, e\.g\. "444444444445"/ }],
    alone: true,
  },
  {
    name: 'an account id with 11 digits',
    edit: (c) => c.replace('organization.yaml', 'id: "444444444445"', 'id: "44444444444"'),
    expect: [{ rule: 'schema.format', file: 'organization.yaml', at: '"44444444444"', field: 'accounts[4].id' }],
    alone: true,
  },
  {
    name: 'a misspelt Region',
    edit: (c) => c.replace('global.yaml', '  - us-east-2', '  - us-est-2'),
    expect: [{ rule: 'schema.enum', file: 'global.yaml', at: 'us-est-2', field: 'enabledRegions[1]', hint: /did you mean "us-east-2"/ }],
    alone: true,
  },
  {
    name: 'an e-mail address without @',
    edit: (c) => c.replace('organization.yaml', 'email: aws-analytics@{{ orgDomain }}', 'email: aws-analytics.example.com'),
    expect: [{ rule: 'schema.format', file: 'organization.yaml', at: 'aws-analytics.example.com', field: 'accounts[6].email' }],
    alone: true,
  },
  {
    name: 'a required field left out',
    edit: (c) => c.replace('organization.yaml', '    email: aws-analytics@{{ orgDomain }}\n', ''),
    expect: [{ rule: 'schema.missing', file: 'organization.yaml', at: 'name: analytics', field: 'accounts[6].email', hint: /add the required field "email"/ }],
    alone: true,
  },
  {
    name: 'an exception expiring on a date that does not exist',
    edit: (c) => c.replace('governance.yaml', 'expires: "2027-03-31"', 'expires: "2027-02-30"'),
    expect: [{ rule: 'schema.custom', file: 'governance.yaml', at: '"2027-02-30"', field: 'evidence.exceptions[0].expires' }],
    alone: true,
  },
  {
    name: 'an SCP with both a file and an inline document',
    edit: (c) => c.replace('organization.yaml', '    file: scp/deny-public-s3.json', '    file: scp/deny-public-s3.json\n    document: { Version: "2012-10-17", Statement: [] }'),
    expect: [{ rule: 'schema.custom', file: 'organization.yaml', at: 'name: DenyPublicS3', field: 'serviceControlPolicies[1]', found: /a mapping/ }],
    alone: true,
  },

  // Dangling references
  {
    name: 'a delegated admin that is not an account',
    edit: (c) => c.replace('security.yaml', '  delegatedAdmin: security-tooling', '  delegatedAdmin: security-toolng'),
    expect: [{ rule: 'ref.account', file: 'security.yaml', at: 'security-toolng', field: 'securityHub.delegatedAdmin', hint: /did you mean "security-tooling"/ }],
    alone: true,
  },
  {
    name: 'a mandatory account that is not an account',
    edit: (c) => c.replace('organization.yaml', '  logArchive: log-archive', '  logArchive: log-archives'),
    expect: [{ rule: 'ref.account', file: 'organization.yaml', at: 'log-archives', field: 'mandatoryAccounts.logArchive', hint: /did you mean "log-archive"/ }],
    alone: true,
  },
  {
    name: 'an account in an OU that does not exist',
    edit: (c) => c.replace('organization.yaml', '    ou: Sandbox', '    ou: Sandbx'),
    expect: [{ rule: 'ref.ou', file: 'organization.yaml', at: 'Sandbx', field: 'accounts[7].ou', hint: /did you mean "Sandbox"/ }],
    alone: true,
  },
  {
    name: 'an SCP targeting an OU that does not exist',
    edit: (c) => c.replace('organization.yaml', '      organizationalUnits: [Workloads]', '      organizationalUnits: [Workload]'),
    expect: [{ rule: 'ref.ou', file: 'organization.yaml', at: 'Workload]', field: 'serviceControlPolicies[1].targets.organizationalUnits[0]', hint: /did you mean "Workloads"/ }],
    alone: true,
  },
  {
    name: 'an SCP targeting an account that does not exist',
    edit: (c) => c.replace('organization.yaml', '      organizationalUnits: [Workloads]', '      organizationalUnits: [Workloads]\n      accounts: [web-prd]'),
    expect: [{ rule: 'ref.account', file: 'organization.yaml', at: 'web-prd', field: 'serviceControlPolicies[1].targets.accounts[0]', hint: /did you mean "web-prod"/ }],
    alone: true,
  },
  {
    name: 'a Security Hub policy targeting an OU that does not exist',
    edit: (c) => c.replace('security.yaml', 'targets: [Workloads/Pci]', 'targets: [Workloads/PCI-DSS]'),
    expect: [
      { rule: 'ref.ou', file: 'security.yaml', at: 'Workloads/PCI-DSS', field: 'securityHub.configurationPolicies[0].targets[0]' },
      // The PCI OU is then governed by no policy at all.
      { rule: 'pci.standard', file: 'security.yaml', at: '- name: pci', field: 'securityHub.configurationPolicies', found: /no configuration policy reaches the PCI OU/ },
    ],
    alone: true,
  },
  {
    name: 'an exception scoped to an account that does not exist',
    edit: (c) => c.replace('governance.yaml', 'accounts: [payments-staging]', 'accounts: [payments-stage]'),
    expect: [{ rule: 'ref.account', file: 'governance.yaml', at: 'payments-stage]', field: 'evidence.exceptions[0].scope.accounts[0]', hint: /did you mean "payments-staging"/ }],
    alone: true,
  },
  {
    name: 'a data lake in a Region that is not enabled',
    edit: (c) => c.replace('securitylake.yaml', 'regions: [us-east-1, us-east-2, us-west-2]', 'regions: [us-east-1, us-east-2, us-west-2, eu-west-1]'),
    expect: [{ rule: 'ref.region', file: 'securitylake.yaml', at: 'eu-west-1', field: 'regions[3]', hint: /add eu-west-1 to global\.yaml enabledRegions/ }],
    alone: true,
  },
  {
    name: 'a home Region, given through a replacement, that is not enabled',
    edit: (c) => c.replace('replacements.yaml', 'homeRegion: us-east-1', 'homeRegion: eu-west-1'),
    expect: [{ rule: 'ref.region', file: 'global.yaml', at: '"{{ homeRegion }}"', field: 'homeRegion', found: /eu-west-1/ }],
    alone: true,
  },
  {
    name: 'a member account placed at the root',
    edit: (c) => c.replace('organization.yaml', '    ou: Sandbox', '    ou: Root'),
    expect: [{ rule: 'ref.member-at-root', file: 'organization.yaml', at: 'Root\n    id: "555555555553"', field: 'accounts[7].ou' }],
    alone: true,
  },
  {
    name: 'a second query subscriber for the same account',
    edit: (c) => c.append('securitylake.yaml', `  - name: second-insights
    account: security-tooling
    sources: [SH_FINDINGS]
    externalId: rampart-second-insights
`),
    expect: [{ rule: 'securitylake.subscriber-account', file: 'securitylake.yaml', at: 'security-tooling\n    sources: [SH_FINDINGS]', field: 'subscribers[1].account', hint: /merge the sources into subscriber "security-insights"/ }],
    alone: true,
  },
  {
    name: 'a query subscriber reading a version 1.0 source the views cannot read',
    edit: (c) => c.replace('securitylake.yaml', '  - source: VPC_FLOW\n    version: "2.0"', '  - source: VPC_FLOW\n    version: "1.0"'),
    expect: [{ rule: 'securitylake.subscriber-source-version', file: 'securitylake.yaml', at: 'VPC_FLOW, network-firewall', field: 'subscribers[0].sources[2]', hint: /set version: "2.0" for VPC_FLOW/ }],
    alone: true,
  },
  {
    name: 'views that look back further than the lake keeps data',
    edit: (c) => c.replace('securitylake.yaml', '    externalId: rampart-security-insights', '    externalId: rampart-security-insights\n    lookbackDays: 500'),
    expect: [{ rule: 'securitylake.subscriber-lookback', severity: 'warning', file: 'securitylake.yaml', at: '500', field: 'subscribers[0].lookbackDays', found: /500-day look-back over a lake that keeps data 400 days/ }],
    alone: true,
  },
  {
    name: 'a subscriber reading a source that is not collected',
    edit: (c) => c.replace('securitylake.yaml', 'sources: [SH_FINDINGS,', 'sources: [LAMBDA_EXECUTION, SH_FINDINGS,'),
    expect: [{ rule: 'securitylake.subscriber-source', file: 'securitylake.yaml', at: 'LAMBDA_EXECUTION', field: 'subscribers[0].sources[0]', hint: /enable LAMBDA_EXECUTION under awsSources/ }],
    alone: true,
  },

  // Duplicates
  {
    name: 'two accounts with the same name',
    edit: (c) => c.replace('organization.yaml', '  - name: analytics', '  - name: web-prod'),
    expect: [{ rule: 'unique', file: 'organization.yaml', at: 'web-prod\n    email: aws-analytics', field: 'accounts[6].name', hint: /already used at line 36/ }],
    alone: true,
  },
  {
    name: 'two accounts with the same e-mail',
    edit: (c) => c.replace('organization.yaml', 'email: aws-analytics@', 'email: aws-web-prod@'),
    expect: [{ rule: 'unique', file: 'organization.yaml', at: 'aws-web-prod@{{ orgDomain }}\n    ou: Workloads/NonPci\n    id: "555555555552"', field: 'accounts[6].email' }],
    alone: true,
  },
  {
    name: 'two accounts with the same id',
    edit: (c) => c.replace('organization.yaml', 'id: "555555555552"', 'id: "555555555551"'),
    expect: [{ rule: 'unique', file: 'organization.yaml', at: '"555555555551"\n  - name: developer-sandbox', lineOnly: true, field: 'accounts[6].id' }],
    alone: true,
  },
  {
    name: 'two top-level OUs with the same name',
    edit: (c) => c.replace('organization.yaml', '  - name: Sandbox\n', '  - name: Sandbox\n  - name: Security\n'),
    expect: [{ rule: 'unique', file: 'organization.yaml', at: 'Security\n\naccounts:', field: 'organizationalUnits[3].name', hint: /already used at line 3/ }],
    alone: true,
  },
  {
    name: 'two sibling OUs with the same name under a parent',
    edit: (c) => c.replace('organization.yaml', '      - name: NonPci\n', '      - name: NonPci\n      - name: NonPci\n'),
    expect: [{ rule: 'unique', file: 'organization.yaml', at: 'NonPci\n  - name: Sandbox', field: 'organizationalUnits[1].children[2].name' }],
    alone: true,
  },

  // Delegated administrators
  {
    name: 'Security Hub administered from the management account',
    edit: (c) => c.replace('security.yaml', '  delegatedAdmin: security-tooling', '  delegatedAdmin: management'),
    expect: [{ rule: 'delegated-admin.management', file: 'security.yaml', at: 'management', field: 'securityHub.delegatedAdmin', hint: /use security-tooling/ }],
    alone: true,
  },
  {
    name: 'Security Lake administered from the management account',
    edit: (c) => c.replace('securitylake.yaml', 'delegatedAdmin: log-archive', 'delegatedAdmin: management'),
    expect: [{ rule: 'delegated-admin.management', file: 'securitylake.yaml', at: 'management', field: 'delegatedAdmin' }],
    alone: true,
  },

  // PCI segmentation
  {
    name: 'a PCI account outside the PCI OU',
    edit: (c) => c.replace('organization.yaml', '    ou: Workloads/Pci\n    id: "444444444445"', '    ou: Workloads/NonPci\n    id: "444444444445"'),
    expect: [{ rule: 'pci.account-outside-pci-ou', file: 'organization.yaml', at: 'Workloads/NonPci\n    id: "444444444445"', field: 'accounts[4].ou', hint: /ou: Workloads\/Pci/ }],
    alone: true,
  },
  {
    name: 'a non-PCI account inside the PCI OU',
    edit: (c) => c.replace('organization.yaml', '    ou: Workloads/NonPci\n    id: "555555555551"', '    ou: Workloads/Pci\n    id: "555555555551"'),
    expect: [{ rule: 'pci.non-pci-account-in-pci-ou', file: 'organization.yaml', at: 'Workloads/Pci\n    id: "555555555551"', field: 'accounts[5].ou' }],
    alone: true,
  },
  {
    name: 'the PCI OU governed by a policy without PCI DSS',
    edit: (c) => c.replace('security.yaml', '        - pci-dss-v4.0.1\n', ''),
    expect: [{ rule: 'pci.standard', file: 'security.yaml', at: '- aws-foundational', field: 'securityHub.configurationPolicies[0].standards', hint: /add pci-dss-v4\.0\.1/ }],
    alone: true,
  },
  {
    name: 'PCI accounts but no OU marked pci',
    edit: (c) => c.replace('organization.yaml', '        pci: true\n', ''),
    expect: [
      { rule: 'pci.no-ou', file: 'organization.yaml', at: 'true\n    tags:', field: 'accounts[3].pci' },
      { rule: 'pci.no-ou', file: 'organization.yaml', at: 'Workloads/Pci\n  denyLeave', field: 'pciGuardrails.ou' },
    ],
    alone: true,
  },
  {
    name: 'a PCI OU without the guardrail SCPs',
    edit: (c) => c.write('organization.yaml', c.read('organization.yaml').replace(/\n# Rampart generates[\s\S]*$/, '\n')),
    expect: [{ rule: 'pci.guardrails-missing', file: 'organization.yaml', at: 'name: Pci', field: 'organizationalUnits[1].children[0]' }],
    alone: true,
  },
  {
    name: 'two configuration policies on one OU',
    edit: (c) => c.replace('security.yaml', 'targets: [Security, Workloads/NonPci, Sandbox]', 'targets: [Security, Workloads/NonPci, Sandbox, Workloads/Pci]'),
    expect: [{ rule: 'securityhub.target-twice', file: 'security.yaml', at: 'Workloads/Pci]\n      standards:\n        - aws', field: 'securityHub.configurationPolicies[1].targets[3]', found: /also targeted by policy "pci"/ }],
    alone: true,
  },

  // Security Lake rollup Regions
  {
    name: 'a rollup loop between two Regions',
    edit: (c) => c.replace('securitylake.yaml', '    contributingRegions: [us-east-2, us-west-2]\n', '    contributingRegions: [us-east-2, us-west-2]\n  - region: us-east-2\n    contributingRegions: [us-east-1]\n'),
    expect: [
      { rule: 'securitylake.rollup-loop', file: 'securitylake.yaml', at: 'us-east-2, us-west-2]\n  - region', field: 'rollupRegions[0].contributingRegions[0]' },
      { rule: 'securitylake.rollup-loop', file: 'securitylake.yaml', at: 'us-east-1]\nencryption', field: 'rollupRegions[1].contributingRegions[0]' },
    ],
    alone: true,
  },
  {
    name: 'a rollup Region that is not enabled',
    edit: (c) => c.replace('securitylake.yaml', '  - region: us-east-1', '  - region: eu-west-1'),
    expect: [{ rule: 'ref.region', file: 'securitylake.yaml', at: 'eu-west-1', field: 'rollupRegions[0].region' }],
    alone: true,
  },
  {
    name: 'a rollup Region without a data lake',
    edit: (c) => c.replace('global.yaml', '  - us-west-2\n', '  - us-west-2\n  - us-west-1\n').replace('securitylake.yaml', '  - region: us-east-1', '  - region: us-west-1'),
    expect: [{ rule: 'securitylake.rollup-region', file: 'securitylake.yaml', at: 'us-west-1', field: 'rollupRegions[0].region', hint: /add us-west-1 to securitylake\.yaml regions/ }],
    alone: true,
  },
  {
    name: 'a contributing Region without a data lake',
    edit: (c) => c.replace('securitylake.yaml', 'regions: [us-east-1, us-east-2, us-west-2]', 'regions: [us-east-1, us-east-2]'),
    expect: [{ rule: 'securitylake.contributing-region', file: 'securitylake.yaml', at: 'us-west-2]', field: 'rollupRegions[0].contributingRegions[1]' }],
    alone: true,
  },
  {
    name: 'a Region contributing to two rollup Regions',
    edit: (c) =>
      c
        .replace('global.yaml', '  - us-west-2\n', '  - us-west-2\n  - us-west-1\n')
        .replace('securitylake.yaml', 'regions: [us-east-1, us-east-2, us-west-2]', 'regions: [us-east-1, us-east-2, us-west-2, us-west-1]')
        .replace('securitylake.yaml', '    contributingRegions: [us-east-2, us-west-2]\n', '    contributingRegions: [us-east-2, us-west-2]\n  - region: us-west-1\n    contributingRegions: [us-west-2]\n'),
    expect: [{ rule: 'securitylake.rollup-twice', file: 'securitylake.yaml', at: 'us-west-2]\nencryption', field: 'rollupRegions[1].contributingRegions[0]', found: /already contributing to us-east-1/ }],
    alone: true,
  },
  {
    name: 'a rollup Region contributing to itself',
    edit: (c) => c.replace('securitylake.yaml', 'contributingRegions: [us-east-2, us-west-2]', 'contributingRegions: [us-east-1, us-east-2, us-west-2]'),
    expect: [{ rule: 'securitylake.rollup-self', file: 'securitylake.yaml', at: 'us-east-1, us-east-2, us-west-2]\nencryption', field: 'rollupRegions[0].contributingRegions[0]' }],
    alone: true,
  },

  // Custom sources and their mapping files
  {
    name: 'a custom source name over 20 characters',
    edit: (c) => c.replace('securitylake.yaml', '  - name: network-firewall', '  - name: network-firewall-logs-x'),
    expect: [{ rule: 'schema.range', file: 'securitylake.yaml', at: 'network-firewall-logs-x', field: 'customSources[1].name', found: /"network-firewall-logs-x"/ }],
    alone: true,
  },
  {
    name: 'a custom source name with a space',
    edit: (c) => c.replace('securitylake.yaml', '  - name: network-firewall', '  - name: network firewall'),
    expect: [{ rule: 'schema.format', file: 'securitylake.yaml', at: 'network firewall', field: 'customSources[1].name' }],
    alone: true,
  },
  {
    name: 'a custom source name too long once the class code is appended',
    edit: (c) => c.replace('securitylake.yaml', '  - name: windows-sysmon', '  - name: windows-sysmon-dc1'),
    expect: [
      {
        rule: 'securitylake.custom-source-name', file: 'securitylake.yaml', at: 'windows-sysmon-dc1', field: 'customSources[0].name',
        found: /"windows-sysmon-dc1-proc" \(23 characters\).*"windows-sysmon-dc1-net" \(22 characters\).*"windows-sysmon-dc1-file".*"windows-sysmon-dc1-dns"/,
        hint: /shorten "windows-sysmon-dc1" to 15 characters/,
      },
    ],
    alone: true,
  },
  {
    name: 'a mapping file that does not exist',
    edit: (c) => c.replace('securitylake.yaml', 'mapping: builtin:aws-network-firewall', 'mapping: mappings/firewall.json'),
    expect: [{ rule: 'securitylake.mapping-missing', file: 'securitylake.yaml', at: 'mappings/firewall.json', field: 'customSources[1].mapping', hint: /builtin:aws-network-firewall/ }],
    alone: true,
  },
  {
    name: 'a builtin mapping that Rampart does not ship',
    edit: (c) => c.replace('securitylake.yaml', 'mapping: builtin:aws-network-firewall', 'mapping: builtin:aws-nfw'),
    expect: [{ rule: 'securitylake.mapping-missing', file: 'securitylake.yaml', at: 'builtin:aws-nfw', field: 'customSources[1].mapping' }],
    alone: true,
  },
  {
    name: 'a mapping file that is not valid JSON',
    edit: (c) =>
      c
        .write('mappings/firewall.json', '{ "custom_source_events": { "ocsf_mapping": { } }, }\n')
        .replace('securitylake.yaml', 'mapping: builtin:aws-network-firewall', 'mapping: mappings/firewall.json'),
    expect: [{ rule: 'securitylake.mapping-json', file: 'securitylake.yaml', at: 'mappings/firewall.json', field: 'customSources[1].mapping', found: /not valid JSON/ }],
    alone: true,
  },
  {
    name: 'a mapping file of the wrong shape',
    edit: (c) =>
      c
        .write('mappings/firewall.json', JSON.stringify({ source_name: 'firewall', mappings: [] }))
        .replace('securitylake.yaml', 'mapping: builtin:aws-network-firewall', 'mapping: mappings/firewall.json'),
    expect: [{ rule: 'securitylake.mapping-shape', file: 'securitylake.yaml', at: 'mappings/firewall.json', field: 'customSources[1].mapping', found: /without custom_source_events\.ocsf_mapping/ }],
    alone: true,
  },

  // Service control policies
  {
    name: 'an SCP file that does not exist',
    edit: (c) => c.replace('organization.yaml', 'file: scp/deny-public-s3.json', 'file: scp/deny-public-s4.json'),
    expect: [{ rule: 'scp.file-missing', file: 'organization.yaml', at: 'scp/deny-public-s4.json', field: 'serviceControlPolicies[1].file' }],
    alone: true,
  },
  {
    name: 'an SCP file that is not valid JSON',
    edit: (c) => c.write('scp/deny-public-s3.json', c.read('scp/deny-public-s3.json').replace('"Resource": "*"', '"Resource": "*",')),
    expect: [{ rule: 'scp.json', file: 'organization.yaml', at: 'scp/deny-public-s3.json', field: 'serviceControlPolicies[1].file', found: /not valid JSON/ }],
    alone: true,
  },
  {
    name: 'an SCP document that is not a policy',
    edit: (c) => c.write('scp/deny-public-s3.json', JSON.stringify({ Statement: [] })),
    expect: [{ rule: 'scp.shape', file: 'organization.yaml', at: 'scp/deny-public-s3.json', field: 'serviceControlPolicies[1].file' }],
    alone: true,
  },
  {
    name: 'an SCP over the 5,120-character quota',
    edit: (c) => c.write('scp/deny-public-s3.json', oversizedScp),
    expect: [{ rule: 'scp.size', file: 'organization.yaml', at: 'scp/deny-public-s3.json', field: 'serviceControlPolicies[1].file', found: new RegExp(`^${oversizedScp.length} characters`) }],
    alone: true,
  },
  {
    name: 'six SCPs on the PCI OU, counting FullAWSAccess and the two PCI guardrails',
    edit: (c) => c.replace('organization.yaml', '\n\n# Rampart generates', `${inlineScp('DenyA')}${inlineScp('DenyB')}${inlineScp('DenyC')}\n\n# Rampart generates`),
    expect: [{
      rule: 'scp.per-target', file: 'organization.yaml', at: 'Workloads/Pci]\n\n# Rampart', field: 'serviceControlPolicies[4].targets.organizationalUnits[0]',
      found: /^6 SCPs on OU Workloads\/Pci \(FullAWSAccess, RampartPciGuardrails, RampartPciRegionRestriction, DenyA, DenyB, DenyC\)/,
    }],
    alone: true,
  },

  // Governance
  {
    name: 'an expired exception (a warning; the configuration stays valid)',
    edit: (c) => c.replace('governance.yaml', 'expires: "2027-03-31"', 'expires: "2026-11-30"'),
    expect: [{ rule: 'evidence.exception-expired', severity: 'warning', file: 'governance.yaml', at: '"2026-11-30"', field: 'evidence.exceptions[0].expires', found: /expired on 2026-11-30/ }],
    alone: true,
  },
  {
    name: 'an unknown drift type in the remediation policy',
    edit: (c) => c.replace('governance.yaml', '{ drift: ScpDetached, mode: auto }', '{ drift: ScpDetatched, mode: auto }'),
    expect: [{ rule: 'schema.enum', file: 'governance.yaml', at: 'ScpDetatched', field: 'remediation.policies[0].drift', hint: /did you mean "ScpDetached"/ }],
    alone: true,
  },
  {
    name: 'automatic repair of moved accounts',
    edit: (c) => c.replace('governance.yaml', '{ drift: AccountMovedOu, mode: approve }', '{ drift: AccountMovedOu, mode: auto }'),
    expect: [{ rule: 'remediation.never-auto', file: 'governance.yaml', at: 'auto }\n\nevidence', field: 'remediation.policies[13].mode' }],
    alone: true,
  },
  {
    name: 'two remediation policies for one drift type',
    edit: (c) => c.replace('governance.yaml', '    - { drift: ScpUpdated, mode: auto }', '    - { drift: ScpDetached, mode: report }'),
    expect: [{ rule: 'unique', file: 'governance.yaml', at: 'ScpDetached, mode: report', field: 'remediation.policies[1].drift' }],
    alone: true,
  },
  {
    name: 'an unknown evidence framework',
    edit: (c) => c.replace('governance.yaml', 'frameworks: [pci-dss-4.0, nist-800-53-r5]', 'frameworks: [pci-dss-4.0, nist-800-53-r4]'),
    expect: [{ rule: 'evidence.framework', file: 'governance.yaml', at: 'nist-800-53-r4', field: 'evidence.frameworks[1]', found: /"nist-800-53-r4"/ }],
    alone: true,
  },

  // YAML, files and includes
  {
    name: 'a YAML syntax error',
    edit: (c) => c.replace('security.yaml', '  delegatedAdmin: security-tooling', '  delegatedAdmin: [security-tooling'),
    expect: [{ rule: 'yaml.syntax', file: 'security.yaml', at: '[security-tooling', found: /Flow sequence/, hint: /close the bracket opened here/ }],
    alone: true,
  },
  {
    name: 'an unclosed quote',
    edit: (c) => c.replace('organization.yaml', 'id: "555555555551"', 'id: "555555555551'),
    expect: [{ rule: 'yaml.syntax', file: 'organization.yaml', at: '"555555555551', lineOnly: true, found: /^Missing closing "quote/ }],
    alone: true,
  },
  {
    name: 'a key given twice in one mapping',
    edit: (c) => c.append('global.yaml', 'homeRegion: us-east-2\n'),
    expect: [{ rule: 'yaml.syntax', file: 'global.yaml', at: 'homeRegion: us-east-2', hint: /remove or rename the repeated key/ }],
    alone: true,
  },
  {
    name: 'a configuration file that is missing',
    edit: (c) => c.remove('governance.yaml'),
    expect: [{ rule: 'file.unreadable', file: 'governance.yaml', line: 1, col: 1, found: /no such file/ }],
    alone: true,
  },
  {
    name: 'an !include of a file that does not exist',
    edit: (c) => c.write('organization.yaml', c.read('organization.yaml').replace(/\npciGuardrails:[\s\S]*$/, '\npciGuardrails: !include pci/guardrails.yaml\n')),
    expect: [{ rule: 'yaml.include-missing', file: 'organization.yaml', at: 'pci/guardrails.yaml', field: 'pciGuardrails', hint: /create pci\/guardrails\.yaml/ }],
    alone: true,
  },
  {
    name: 'a typo inside an included file, located in that file',
    edit: (c) =>
      c
        .write('pci/guardrails.yaml', 'ou: Workloads/Pci\ndenyLeaveOrganisation: true\n')
        .write('organization.yaml', c.read('organization.yaml').replace(/\npciGuardrails:[\s\S]*$/, '\npciGuardrails: !include pci/guardrails.yaml\n')),
    expect: [{ rule: 'schema.unknown-key', file: 'pci/guardrails.yaml', line: 2, col: 1, field: 'pciGuardrails.denyLeaveOrganisation', hint: /did you mean "denyLeaveOrganization"/ }],
    alone: true,
  },
  {
    name: 'an include cycle',
    edit: (c) =>
      c
        .write('pci/guardrails.yaml', 'ou: Workloads/Pci\ndenyLeaveOrganization: !include more.yaml\n')
        .write('pci/more.yaml', 'again: !include guardrails.yaml\n')
        .write('organization.yaml', c.read('organization.yaml').replace(/\npciGuardrails:[\s\S]*$/, '\npciGuardrails: !include pci/guardrails.yaml\n')),
    expect: [{
      rule: 'yaml.include-cycle', file: 'pci/more.yaml', at: 'guardrails.yaml', field: 'pciGuardrails.denyLeaveOrganization.again',
      found: /organization\.yaml -> pci\/guardrails\.yaml -> pci\/more\.yaml -> pci\/guardrails\.yaml/,
    }],
    alone: true,
  },
  {
    name: 'an unknown {{ var }}',
    edit: (c) => c.replace('organization.yaml', 'email: aws-analytics@{{ orgDomain }}', 'email: aws-analytics@{{ orgDomian }}'),
    expect: [{ rule: 'yaml.unknown-var', file: 'organization.yaml', at: 'aws-analytics@{{ orgDomian }}', field: 'accounts[6].email', hint: /did you mean "orgDomain"/ }],
    alone: true,
  },
  {
    name: 'a typo in replacements.yaml, which the other files depend on',
    edit: (c) => c.replace('replacements.yaml', 'vars:', 'var:'),
    expect: [{ rule: 'schema.unknown-key', file: 'replacements.yaml', at: 'var:', field: 'var', hint: /did you mean "vars"/ }],
    alone: true,
  },
];

describe('broken configurations: each names the right rule, file, line, column and field', () => {
  it('has at least 40 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const copy = new ExampleCopy();
    try {
      testCase.edit(copy);
      const result = loadConfig(copy.dir, { now: today });
      expectWellFormed(result.issues);
      for (const expected of testCase.expect) {
        const position = expected.at ? copy.positionOf(expected.file, expected.at) : { line: expected.line, col: expected.col };
        expect(result.issues).toContainEqual(
          expect.objectContaining({
            rule: expected.rule,
            file: expected.file,
            severity: expected.severity ?? 'error',
            line: position.line,
            ...(expected.lineOnly ? {} : { col: position.col }),
            ...(expected.field !== undefined ? { field: expected.field } : {}),
            ...(expected.found ? { found: expect.stringMatching(expected.found) } : {}),
            ...(expected.hint ? { hint: expect.stringMatching(expected.hint) } : {}),
          }),
        );
      }
      const errorsExpected = testCase.expect.filter((e) => e.severity !== 'warning').length;
      if (testCase.alone) expect(result.issues.filter((i) => i.severity === 'error').map(formatIssue)).toHaveLength(errorsExpected);
      if (errorsExpected > 0) expect(result.config).toBeUndefined();
      else expect(result.config).toBeDefined();
    } finally {
      copy.dispose();
    }
  });

  it('reports a missing configuration directory without throwing', () => {
    const result = loadConfig('/nonexistent/rampart-config');
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'file.no-directory', file: '/nonexistent/rampart-config', line: 1, col: 1 })]);
    expect(result.config).toBeUndefined();
  });
});

describe('all errors at once', () => {
  it('reports independent mistakes in every file in one run', () => {
    const copy = new ExampleCopy();
    try {
      copy
        .replace('global.yaml', '  - us-east-2', '  - us-est-2')
        .replace('organization.yaml', '    ou: Sandbox', '    ou: Sandbx')
        .replace('organization.yaml', 'id: "555555555552"', 'id: "555555555551"')
        .write('scp/deny-public-s3.json', oversizedScp)
        .replace('security.yaml', '  delegatedAdmin: security-tooling', '  delegatedAdmin: management')
        .replace('securitylake.yaml', '  - name: windows-sysmon', '  - name: windows-sysmon-dc1')
        .replace('governance.yaml', '  maxActionsPerRun: 25', '  maxActionPerRun: 25');
      const result = loadConfig(copy.dir, { now: today });
      const found = result.issues.map((i) => `${i.file} ${i.rule} ${i.field}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'global.yaml schema.enum enabledRegions[1]',
          'organization.yaml ref.ou accounts[7].ou',
          'organization.yaml unique accounts[6].id',
          'organization.yaml scp.size serviceControlPolicies[1].file',
          'security.yaml delegated-admin.management securityHub.delegatedAdmin',
          'securitylake.yaml securitylake.custom-source-name customSources[0].name',
          'governance.yaml schema.unknown-key remediation.maxActionPerRun',
        ]),
      );
      // global.yaml failed its schema, so the checks that read it wait: they are listed, not lost.
      expect(result.skippedChecks).toContainEqual({ title: 'Regions named in security.yaml', waitsFor: ['global.yaml'] });
      expect(result.skippedChecks.every((s) => s.waitsFor.join() === 'global.yaml' || s.waitsFor.join() === 'governance.yaml' || s.waitsFor.join() === 'global.yaml,governance.yaml')).toBe(true);
      expect(result.issues.map((i) => [i.file, i.line])).toEqual([...result.issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line).map((i) => [i.file, i.line]));
    } finally {
      copy.dispose();
    }
  });

  it('a typo in governance.yaml does not hide a dangling OU in organization.yaml', () => {
    const copy = new ExampleCopy();
    try {
      copy.replace('governance.yaml', '  schedule: rate(1 hour)', '  schedul: rate(1 hour)').replace('organization.yaml', '    ou: Sandbox', '    ou: Sandbx');
      const result = loadConfig(copy.dir, { now: today });
      expect(result.issues.map((i) => `${i.file} ${i.rule} ${i.field}`)).toEqual(['governance.yaml schema.unknown-key drift.schedul', 'organization.yaml ref.ou accounts[7].ou']);
      expect(result.skippedChecks.length).toBeGreaterThan(0);
      expect(result.skippedChecks.every((s) => s.waitsFor.join() === 'governance.yaml')).toBe(true);
    } finally {
      copy.dispose();
    }
  });

  it('checks that read only healthy files run when another file is missing', () => {
    const copy = new ExampleCopy();
    try {
      copy.remove('security.yaml').replace('securitylake.yaml', '  - region: us-east-1', '  - region: eu-west-1');
      const result = loadConfig(copy.dir, { now: today });
      expect(result.issues.map((i) => `${i.file} ${i.rule}`)).toEqual(['security.yaml file.unreadable', 'securitylake.yaml ref.region']);
      expect(result.skippedChecks.map((s) => s.title)).toContain('PCI DSS on the PCI OU in the Security Hub configuration policies');
    } finally {
      copy.dispose();
    }
  });
});

describe('limits hold at their boundary', () => {
  it('five SCPs on the PCI OU, counting FullAWSAccess and the guardrails, are allowed', () => {
    const copy = new ExampleCopy();
    try {
      copy.replace('organization.yaml', '\n\n# Rampart generates', `${inlineScp('DenyA')}${inlineScp('DenyB')}\n\n# Rampart generates`);
      const result = loadConfig(copy.dir, { now: today });
      expect(result.issues.map(formatIssue)).toEqual([]);
    } finally {
      copy.dispose();
    }
  });

  it('an SCP of exactly 5,120 characters is allowed and one more is not', () => {
    const copy = new ExampleCopy();
    try {
      const document = (length: number) => {
        const base = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:X', Resource: '*', Sid: '' }] };
        base.Statement[0].Sid = 'S'.repeat(length - JSON.stringify(base).length);
        return JSON.stringify(base, null, 2);
      };
      copy.write('scp/deny-public-s3.json', document(5120));
      expect(loadConfig(copy.dir, { now: today }).issues).toEqual([]);
      copy.write('scp/deny-public-s3.json', document(5121));
      expect(loadConfig(copy.dir, { now: today }).issues.map((i) => i.rule)).toEqual(['scp.size']);
    } finally {
      copy.dispose();
    }
  });

  it('a custom source name of exactly 20 characters is allowed', () => {
    const copy = new ExampleCopy();
    try {
      copy.replace('securitylake.yaml', '  - name: network-firewall', '  - name: network-firewall-log').replace('securitylake.yaml', 'VPC_FLOW, network-firewall]', 'VPC_FLOW, network-firewall-log]');
      expect(loadConfig(copy.dir, { now: today }).issues).toEqual([]);
    } finally {
      copy.dispose();
    }
  });

  it('an exception expiring tomorrow is current, one expiring today is expired', () => {
    const copy = new ExampleCopy();
    try {
      copy.replace('governance.yaml', 'expires: "2027-03-31"', 'expires: "2026-12-05"');
      expect(loadConfig(copy.dir, { now: today }).issues).toEqual([]);
      copy.replace('governance.yaml', 'expires: "2026-12-05"', 'expires: "2026-12-04"');
      expect(loadConfig(copy.dir, { now: today }).issues.map((i) => `${i.severity} ${i.rule}`)).toEqual(['warning evidence.exception-expired']);
    } finally {
      copy.dispose();
    }
  });
});

/** Every issue is located and explained, and none carries a stack trace. */
function expectWellFormed(issues: ConfigIssue[]): void {
  for (const issue of issues) {
    const text = formatIssue(issue);
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.col).toBeGreaterThanOrEqual(1);
    expect(issue.found.length).toBeGreaterThan(0);
    expect(issue.expected.length).toBeGreaterThan(0);
    expect(issue.hint.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
    expect(text).not.toContain('\n');
  }
}
