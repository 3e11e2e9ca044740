import * as securitylake from 'aws-cdk-lib/aws-securitylake';
import { Construct, type IDependable } from 'constructs';
import type { AccountDirectory } from '../accountDirectory';
import type { RegionalSubscription } from './subscriptions';

export interface LakeSubscribersProps {
  dataLakeArn: string;
  /** The subscriptions of this Region. */
  subscriptions: readonly RegionalSubscription[];
  accounts: AccountDirectory;
  /** Resources the subscribers need first (the custom sources they read). */
  dependsOn: IDependable[];
}

/**
 * The subscribers of one data lake. A LAKEFORMATION subscriber gets query access: Security Lake
 * shares the sources' tables with the subscriber account through Lake Formation, where the
 * subscriber's query stack (`LakeQueryStack`) links them, grants them and builds the views.
 */
export class LakeSubscribers extends Construct {
  readonly subscribers = new Map<string, securitylake.CfnSubscriber>();

  constructor(scope: Construct, id: string, props: LakeSubscribersProps) {
    super(scope, id);
    for (const { subscriber, awsSources, customSources } of props.subscriptions) {
      const sources: securitylake.CfnSubscriber.SourceProperty[] = [
        ...awsSources.map(({ source, version }) => ({ awsLogSource: { sourceName: source, sourceVersion: version } })),
        ...customSources.map((source) => ({ customLogSource: { sourceName: source.sourceName, sourceVersion: source.version } })),
      ];
      const resource = new securitylake.CfnSubscriber(this, `Subscriber ${subscriber.name}`, {
        subscriberName: subscriber.name,
        subscriberDescription: `Rampart ${subscriber.accessType === 'LAKEFORMATION' ? 'query' : 'S3'} subscriber ${subscriber.name}`,
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
