import type { Caller } from '../auth/credentials';
import type { Clock } from '../clock';
import { AwsError } from '../errors';
import type { ServiceModel } from '../models/serviceModel';
import { violationMessage, type Violation } from '../models/validate';
import type { SeededRandom } from '../random';
import type { SandboxState } from '../state/sandboxState';
import type { TaskTokenRegistry } from '../state/taskTokens';

/** What a handler knows about the call it serves. */
export interface CallContext {
  readonly caller: Caller;
  /** The caller's account: the account whose resources the call acts on. */
  readonly account: string;
  /** The Region of the request's credential scope (`us-east-1` for global services). */
  readonly region: string;
  /** Botocore service name. */
  readonly service: string;
  readonly operation: string;
  readonly requestId: string;
  readonly state: SandboxState;
  readonly clock: Clock;
  /** Seeded randomness for ids and tokens. */
  readonly random: SeededRandom;
  /** Waiting Step Functions task tokens (approvals). */
  readonly taskTokens: TaskTokenRegistry;
  /** True when the request came over the loopback HTTP server rather than in-process. */
  readonly overHttp: boolean;
}

/**
 * A handler: typed input in (the SDK's `<Operation>Request` shape), plain output out (the SDK's
 * `<Operation>Response`, Dates as Date). Throw AwsError for service errors.
 */
export type OperationHandler = (input: never, ctx: CallContext) => unknown;

/** How a service words the errors every operation can answer. */
export interface ServiceErrors {
  accessDenied(message: string): AwsError;
  throttling(): AwsError;
  validation(violations: Violation[]): AwsError;
  unavailable(): AwsError;
}

export interface ServiceDefinition {
  model: ServiceModel;
  /** IAM action prefix, used in messages and policy evaluation: `organizations:ListAccounts`. */
  actionPrefix: string;
  /** IAM, Organizations and STS's global endpoint: resources do not belong to a Region. */
  global: boolean;
  errors: ServiceErrors;
  operations: Record<string, OperationHandler>;
  /** Runs before every handler (after validation); throws to refuse the call. */
  authorize?(ctx: CallContext): void;
  /**
   * Runs after every successful call to any service, so a service can follow changes made through
   * another (Access Analyzer re-analyzes trust policies after IAM changes them).
   */
  observe?(ctx: CallContext): void;
}

/** The common errors of each protocol family, as AWS services of that family answer them. */
export function protocolErrors(protocol: ServiceModel['metadata']['protocol']): ServiceErrors {
  switch (protocol) {
    case 'query':
      return {
        accessDenied: (message) => new AwsError('AccessDenied', message, { status: 403 }),
        throttling: () => new AwsError('Throttling', 'Rate exceeded', { status: 400 }),
        validation: (violations) => new AwsError('ValidationError', violationMessage(violations), { status: 400 }),
        unavailable: () => new AwsError('ServiceUnavailable', 'Service is unable to handle request.', { status: 503 }),
      };
    case 'rest-xml':
      return {
        accessDenied: (message) => new AwsError('AccessDenied', message, { status: 403 }),
        throttling: () => new AwsError('SlowDown', 'Please reduce your request rate.', { status: 503 }),
        validation: (violations) => new AwsError('InvalidArgument', violationMessage(violations), { status: 400 }),
        unavailable: () => new AwsError('ServiceUnavailable', 'Service is unable to handle request.', { status: 503 }),
      };
    case 'rest-json':
      return {
        accessDenied: (message) => new AwsError('AccessDeniedException', message, { status: 403 }),
        throttling: () => new AwsError('ThrottlingException', 'Rate exceeded', { status: 429 }),
        validation: (violations) => new AwsError('ValidationException', violationMessage(violations), { status: 400 }),
        unavailable: () => new AwsError('ServiceUnavailableException', 'Service is unable to handle request.', { status: 503 }),
      };
    default:
      return {
        accessDenied: (message) => new AwsError('AccessDeniedException', message, { status: 400 }),
        throttling: () => new AwsError('ThrottlingException', 'Rate exceeded', { status: 400 }),
        validation: (violations) => new AwsError('ValidationException', violationMessage(violations), { status: 400 }),
        unavailable: () => new AwsError('ServiceUnavailableException', 'Service is unable to handle request.', { status: 503 }),
      };
  }
}

/** `User: <arn> is not authorized to perform: <action> [on resource: <arn>] [because ...]` */
export function notAuthorized(ctx: CallContext, action: string, resource?: string, reason?: string): string {
  return `User: ${ctx.caller.arn} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''}${reason ? ` ${reason}` : ''}`;
}
