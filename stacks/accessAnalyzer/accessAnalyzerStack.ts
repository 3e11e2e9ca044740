import { Stack, type StackProps } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import type { AccountDirectory } from '../accountDirectory';
import { inBatches } from '../batches';

/** Access Analyzer accepts at most 20 values in one filter criterion. */
const VALUES_PER_CRITERION = 20;

export interface AccessAnalyzerStackProps extends StackProps {
  config: RampartConfig;
  accounts: AccountDirectory;
}

/**
 * IAM Access Analyzer's organization analyzer in one enabled Region of the delegated
 * administrator account. Each configured trusted principal becomes an archive rule, so access
 * the platform team has reviewed (e.g. the QSA's read-only role) is archived, not reported.
 */
export class AccessAnalyzerStack extends Stack {
  readonly analyzer: accessanalyzer.CfnAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzerStackProps) {
    super(scope, id, props);
    const settings = props.config.security.accessAnalyzer;
    const archiveRules: accessanalyzer.CfnAnalyzer.ArchiveRuleProperty[] = [];
    settings.trustedPrincipals.forEach((trusted, index) => {
      const principalFilter = { property: trusted.principal.endsWith('.amazonaws.com') ? 'principal.Service' : 'principal.AWS', eq: [trusted.principal] };
      const accountIds = trusted.accounts?.map((name) => props.accounts.idOf(name, `Access Analyzer archive rule for ${trusted.principal}`));
      const accountChunks = accountIds ? inBatches(accountIds, VALUES_PER_CRITERION) : [undefined];
      accountChunks.forEach((ids, part) => {
        archiveRules.push({
          ruleName: `rampart-trusted-${index + 1}${accountChunks.length > 1 ? `-${part + 1}` : ''}`,
          filter: [principalFilter, ...(ids ? [{ property: 'resourceOwnerAccount', eq: ids }] : [])],
        });
      });
    });
    this.analyzer = new accessanalyzer.CfnAnalyzer(this, 'OrganizationAnalyzer', {
      analyzerName: settings.analyzerName,
      type: 'ORGANIZATION',
      archiveRules,
    });
    this.analyzer.addMetadata('RampartTrustedPrincipalReasons', Object.fromEntries(settings.trustedPrincipals.map((t, i) => [`rampart-trusted-${i + 1}`, t.reason])));
  }
}

