import type * as Sfn from '@aws-sdk/client-sfn';
import generated from '../models/stepfunctions.json';
import { serviceModel } from '../models/serviceModel';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('stepfunctions', generated);

/**
 * AWS Step Functions callbacks: answers to tasks waiting on a task token (`.waitForTaskToken`),
 * registered by the local workflow runner through `fake.taskTokens.register(...)`.
 */
export const stepFunctionsService: ServiceDefinition = {
  model,
  actionPrefix: 'states',
  global: false,
  errors: protocolErrors('json'),
  operations: {
    SendTaskSuccess(input: Sfn.SendTaskSuccessInput, ctx: CallContext): Sfn.SendTaskSuccessOutput {
      ctx.taskTokens.succeed(input.taskToken as string, input.output as string, ctx.account, ctx.region);
      return {};
    },
    SendTaskFailure(input: Sfn.SendTaskFailureInput, ctx: CallContext): Sfn.SendTaskFailureOutput {
      ctx.taskTokens.fail(input.taskToken as string, ctx.account, ctx.region, input.error, input.cause);
      return {};
    },
    SendTaskHeartbeat(input: Sfn.SendTaskHeartbeatInput, ctx: CallContext): Sfn.SendTaskHeartbeatOutput {
      ctx.taskTokens.heartbeat(input.taskToken as string, ctx.account, ctx.region);
      return {};
    },
  },
};
