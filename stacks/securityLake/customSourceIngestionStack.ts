import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { resolveCustomSources, resolveMappingPath, type RampartConfig } from '../../config/model';
import { lookupAttribute } from '../../handlers/customResources/securityLakeCustomSourceLookup';
import type { AccountDirectory } from '../accountDirectory';
import { HandlerProvider } from '../customResourceProvider';
import { CustomSourceIngestion } from './customSourceIngestion';
import { customSourceReaderRoleName, providerExternalId } from './topology';

export interface CustomSourceIngestionStackProps extends StackProps {
  config: RampartConfig;
  accounts: AccountDirectory;
  /** The provider account (logical name) whose custom sources this stack ingests. */
  providerAccount: string;
}

/**
 * Ingestion of the custom sources a provider account other than the Security Lake administrator
 * writes, in that account and the custom-source Region: where the raw logs are and whose principal
 * the sources' provider roles trust. Where each source is written (its provider role and location)
 * is read at deployment from the administrator account, through its read-only reader role.
 */
export class CustomSourceIngestionStack extends Stack {
  readonly ingestion: CustomSourceIngestion;

  constructor(scope: Construct, id: string, props: CustomSourceIngestionStackProps) {
    super(scope, id, props);
    const { config, accounts, providerAccount } = props;
    const lake = config.securityLake;
    const entries = lake.customSources.filter((c) => c.providerAccount === providerAccount);
    const resolved = resolveCustomSources(config).filter((s) => s.providerAccount === providerAccount);
    const lakeAccount = accounts.idOf(lake.delegatedAdmin, 'custom sources of other provider accounts');
    const readerRoleArn = `arn:${this.partition}:iam::${lakeAccount}:role/${customSourceReaderRoleName(this.region)}`;

    const lookup = new HandlerProvider(this, 'CustomSourceLookupProvider', {
      purpose: 'custom source look-up',
      handler: 'securityLakeCustomSourceLookup',
      statements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [readerRoleArn] })],
    }).resource(this, 'CustomSources', 'RampartSecurityLakeCustomSourceLookup', {
      ReaderRoleArn: readerRoleArn,
      Region: this.region,
      Sources: resolved.map((s) => ({ SourceName: s.sourceName, SourceVersion: s.version })),
    });

    this.ingestion = new CustomSourceIngestion(this, 'CustomSourceIngestion', {
      deadLetterRetentionDays: lake.lifecycle.expirationDays,
      sources: entries.map((entry) => ({
        name: entry.name,
        ingestion: entry.ingestion,
        mapping: entry.mapping,
        mappingPath: resolveMappingPath(config.dir, entry.mapping),
        routes: resolved.flatMap((s, index) => (s.configName !== entry.name ? [] : [{
          sourceName: s.sourceName,
          classUid: s.classUid,
          roleArn: lookup.getAttString(lookupAttribute.roleArn(index)),
          location: lookup.getAttString(lookupAttribute.location(index)),
          externalId: providerExternalId(s.sourceName, this.account),
        }])),
      })),
    });
  }
}
