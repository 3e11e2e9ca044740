import { AccessClients } from '../../aws/accessClients';
import type { AccessResolutionSettings } from '../../engine/accessResolution';
import type { StepContext } from './steps';

/** Environment of the access-resolution Lambdas, set by workflows/access/accessResolution.ts. */
export const ACCESS_ENV = { topicArn: 'RAMPART_TOPIC_ARN', recordBucket: 'RAMPART_RECORD_BUCKET', recordPrefix: 'RAMPART_RECORD_PREFIX' } as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the access-resolution stack sets it`);
  return value;
}

let clients: AccessClients | undefined;

/** The step context of a Lambda: its own role in the security-tooling account, clients kept across warm invocations. */
export function lambdaStepContext(): StepContext {
  return {
    clients(settings: AccessResolutionSettings): AccessClients {
      clients ??= new AccessClients({ homeAccountId: settings.analyzer.accountId, homeRegion: settings.analyzer.region, executionRoleName: settings.executionRoleName });
      return clients;
    },
    topicArn: required(ACCESS_ENV.topicArn),
    recordBucket: required(ACCESS_ENV.recordBucket),
    recordPrefix: process.env[ACCESS_ENV.recordPrefix] ?? '',
    now: () => new Date(),
  };
}
