import * as securitylake from 'aws-cdk-lib/aws-securitylake';
import { Construct, type IDependable } from 'constructs';
import type { ResolvedCustomSource } from '../../config/model';
import { AWS_LOG_SOURCES, type SecurityLakeConfig } from '../../config/schema/securitylake';
import type { AccountDirectory } from '../accountDirectory';

export interface LakeSubscribersProps {
  dataLakeArn: string;
  lake: SecurityLakeConfig;
  customSources: readonly ResolvedCustomSource[];
  accounts: AccountDirectory;
  /** Resources the subscribers need first (the custom sources they read). */
  dependsOn: IDependable[];
}

/**
 * The query subscribers of one data lake. Kept apart so that Lake Formation grants and views
 * for each subscriber can be added next to it (`subscribers` maps configured name to resource).
 */
export class LakeSubscribers extends Construct {
  readonly subscribers = new Map<string, securitylake.CfnSubscriber>();

  constructor(scope: Construct, id: string, props: LakeSubscribersProps) {
    super(scope, id);
    const awsSourceVersion = new Map(props.lake.awsSources.map((s) => [s.source as string, s.version]));
    for (const subscriber of props.lake.subscribers) {
      const sources = subscriber.sources.flatMap((name): securitylake.CfnSubscriber.SourceProperty[] => {
        if ((AWS_LOG_SOURCES as readonly string[]).includes(name)) {
          return [{ awsLogSource: { sourceName: name, sourceVersion: awsSourceVersion.get(name) ?? '2.0' } }];
        }
        // A configured custom source may be registered as several sources, one per OCSF class.
        return props.customSources
          .filter((source) => source.configName === name || source.sourceName === name)
          .map((source) => ({ customLogSource: { sourceName: source.sourceName, sourceVersion: source.version } }));
      });
      const resource = new securitylake.CfnSubscriber(this, `Subscriber ${subscriber.name}`, {
        subscriberName: subscriber.name,
        subscriberDescription: `Rampart query subscriber ${subscriber.name}`,
        accessTypes: [subscriber.accessType],
        dataLakeArn: props.dataLakeArn,
        sources,
        subscriberIdentity: {
          principal: props.accounts.idOf(subscriber.account, `Security Lake subscriber ${subscriber.name}`),
          externalId: subscriber.externalId,
        },
      });
      for (const dependency of props.dependsOn) resource.node.addDependency(dependency);
      this.subscribers.set(subscriber.name, resource);
    }
  }
}
