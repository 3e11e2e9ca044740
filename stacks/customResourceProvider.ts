import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { bundleHandler } from './handlerBundle';
import { acknowledge } from './nag';
import { letLogGroupsUse } from './logGroupKey';

/**
 * The newest Node.js runtime that both Lambda (through aws-cdk-lib) and cfn-lint 1.51 accept:
 * aws-cdk-lib also lists nodejs26.x, which cfn-lint rejects (E3030), so cdk-nag's
 * AwsSolutions-L1 is acknowledged on every function with this reason.
 */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;
const RUNTIME_REASON = `Runs ${HANDLER_RUNTIME.name}, the newest Node.js runtime that cfn-lint 1.51 accepts; nodejs26.x, which cdk-nag asks for, fails template validation (E3030)`;

/** Log retention of custom-resource handlers: a year, as PCI DSS 10.5.1 asks of audit trails. */
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export interface HandlerProviderProps {
  /** What the handler does, in a few words; used in names and acknowledgement reasons. */
  purpose: string;
  /** Handler file in handlers/customResources, without extension. It exports onEvent (and isComplete when asked). */
  handler: string;
  /** What the handler may call. */
  statements: iam.PolicyStatement[];
  /** Why a wildcard in `statements` cannot be narrowed, by cdk-nag finding (e.g. `Resource::*`). */
  wildcardReasons?: Record<string, string>;
  /** The handler exports isComplete: the provider framework polls it until the work is done. */
  isComplete?: boolean;
  /** Longest the whole operation may take (provider framework limit: one hour). */
  totalTimeout?: Duration;
}

/**
 * A custom-resource provider for one Rampart handler: the Lambda (bundled in-process by esbuild),
 * its least-privilege role, encrypted one-year logs, and the CDK provider framework (which
 * does the waiting when the handler has an isComplete step). Acknowledges, per resource, the
 * cdk-nag rules that do not fit a deployment-time handler, each with its reason.
 */
export class HandlerProvider extends Construct {
  readonly serviceToken: string;
  /** The handler's role (for grants outside IAM, such as Lake Formation permissions). */
  readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: HandlerProviderProps) {
    super(scope, id);
    const logKey = StackLogKey.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: LOG_RETENTION, encryptionKey: logKey.key, removalPolicy: RemovalPolicy.RETAIN });

    const policy = new iam.ManagedPolicy(this, 'Permissions', {
      description: `Rampart ${props.purpose} handler`,
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        ...props.statements,
      ],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rampart ${props.purpose} handler`,
      managedPolicies: [policy],
    });
    this.role = role;
    if (props.wildcardReasons) {
      acknowledge(policy, Object.fromEntries(Object.entries(props.wildcardReasons).map(([finding, reason]) => [`AwsSolutions-IAM5[${finding}]`, reason])));
    }

    const code = lambda.Code.fromAsset(bundleHandler(`customResources/${props.handler}`));
    const makeFunction = (fnId: string, exported: string) =>
      new lambda.Function(this, fnId, {
        code,
        handler: `index.${exported}`,
        runtime: HANDLER_RUNTIME,
        role: role.withoutPolicyUpdates(),
        logGroup,
        timeout: Duration.minutes(5),
        memorySize: 256,
        description: `Rampart ${props.purpose} (${exported})`,
      });
    const onEvent = makeFunction('OnEvent', 'onEvent');
    const isComplete = props.isComplete ? makeFunction('IsComplete', 'isComplete') : undefined;

    // The framework's own functions get roles with a managed policy of exactly what they call,
    // instead of the AWS-managed basic-execution policy and generated inline grants. The
    // onEvent side also starts the waiter, so it gets its own policy (one shared policy would
    // make a dependency cycle through the waiter state machine).
    const frameworkRole = (roleId: string) => {
      const policy = new iam.ManagedPolicy(this, `${roleId}Permissions`, {
        description: `Rampart ${props.purpose} provider framework`,
        statements: [
          new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
          new iam.PolicyStatement({
            actions: ['lambda:InvokeFunction', 'lambda:GetFunction'],
            resources: [onEvent.functionArn, ...(isComplete ? [isComplete.functionArn] : [])],
          }),
        ],
      });
      const role = new iam.Role(this, roleId, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Rampart ${props.purpose} provider framework`,
        managedPolicies: [policy],
      });
      return { policy, role: role.withoutPolicyUpdates() };
    };
    const frameworkOnEvent = frameworkRole('FrameworkOnEventRole');
    const frameworkComplete = isComplete ? frameworkRole('FrameworkCompleteRole') : undefined;

    const provider = new Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      frameworkOnEventRole: frameworkOnEvent.role,
      frameworkCompleteAndTimeoutRole: frameworkComplete?.role,
      totalTimeout: isComplete ? (props.totalTimeout ?? Duration.hours(1)) : undefined,
      queryInterval: isComplete ? Duration.seconds(30) : undefined,
      logGroup,
      ...(isComplete
        ? { disableWaiterStateMachineLogging: false, waiterStateMachineLogOptions: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false } }
        : {}),
    });
    const waiter = provider.node.tryFindChild('waiter-state-machine') as { stateMachineArn: string } | undefined;
    if (waiter) frameworkOnEvent.policy.addStatements(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [waiter.stateMachineArn] }));
    this.serviceToken = provider.serviceToken;
    acknowledgeHandlerResources(this, props.purpose);
  }

  /** A custom resource served by this provider. */
  resource(scope: Construct, id: string, resourceType: string, properties: Record<string, unknown>): CustomResource {
    return new CustomResource(scope, id, { serviceToken: this.serviceToken, resourceType: `Custom::${resourceType}`, properties });
  }
}

/** One KMS key per stack for the CloudWatch Logs of its handlers. */
export class StackLogKey extends Construct {
  static of(scope: IConstruct): StackLogKey {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild('HandlerLogKey') as StackLogKey | undefined) ?? new StackLogKey(stack, 'HandlerLogKey');
  }

  readonly key: kms.Key;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Rampart: encrypts the CloudWatch Logs of custom-resource handlers in this stack',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    letLogGroupsUse(this.key);
  }
}

/** cdk-nag rules that do not fit a handler CloudFormation invokes only while deploying. */
function acknowledgeHandlerResources(provider: HandlerProvider, purpose: string): void {
  for (const child of provider.node.findAll()) {
    if (child instanceof sfn.CfnStateMachine) {
      acknowledge(child, {
        'AwsSolutions-SF2': `The waiter state machine of the ${purpose} provider only polls its isComplete function; the provider framework has no tracing switch, and its execution history and logs (level ALL) cover diagnosis`,
      });
    }
    if (child instanceof iam.CfnPolicy && child.node.path.includes('/waiter-state-machine/')) {
      const reason = `Generated by the CDK provider framework for the waiter state machine of the ${purpose} provider, which cannot take a managed policy`;
      const findings: Record<string, string> = {
        'NIST.800.53.R5-IAMNoInlinePolicy': reason,
        'PCI.DSS.321-IAMNoInlinePolicy': reason,
        'AwsSolutions-IAM5[Resource::*]': `Step Functions log delivery to CloudWatch Logs (logs:CreateLogDelivery and related actions) accepts only Resource "*"; the role belongs to the waiter state machine of the ${purpose} provider`,
      };
      for (const fn of ['isComplete', 'onTimeout']) {
        const target = provider.node.findAll().find((c) => c instanceof lambda.Function && c.node.id === `framework-${fn}`) as lambda.Function | undefined;
        if (target) findings[`AwsSolutions-IAM5[Resource::<${Stack.of(child).getLogicalId(target.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`] =
          `The waiter state machine of the ${purpose} provider invokes the framework ${fn} function; CDK grants it every version of that one function`;
      }
      acknowledge(child, findings);
    }
    if (child instanceof lambda.CfnFunction) {
      const what = child.node.path.includes('/Provider/') ? `provider-framework function of the ${purpose} custom resource` : `${purpose} custom-resource handler`;
      acknowledge(child, {
        'AwsSolutions-L1': RUNTIME_REASON,
        'NIST.800.53.R5-LambdaConcurrency': `The ${what} runs only during CloudFormation deployments, one invocation per resource event; reserving concurrency would take capacity from the account for nothing`,
        'NIST.800.53.R5-LambdaDLQ': `The ${what} is invoked synchronously by the provider framework; a failure is returned to CloudFormation, which fails the deployment, so there is no event to park in a queue`,
        'PCI.DSS.321-LambdaDLQ': `The ${what} is invoked synchronously by the provider framework; a failure is returned to CloudFormation, which fails the deployment, so there is no event to park in a queue`,
        'NIST.800.53.R5-LambdaInsideVPC': `The ${what} calls only public AWS service endpoints and reaches no VPC resource; the security accounts have no workload VPC to place it in`,
        'PCI.DSS.321-LambdaInsideVPC': `The ${what} calls only public AWS service endpoints and reaches no VPC resource; the security accounts have no workload VPC to place it in`,
      });
    }
  }
}
