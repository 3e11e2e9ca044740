import { identify, type Caller } from './auth/credentials';
import { readSignedScope, type SignedScope } from './auth/sigv4';
import type { CallLog } from './callLog';
import type { Clock } from './clock';
import { AwsError, isAwsError } from './errors';
import type { OperationModel } from './models/serviceModel';
import { validateInput } from './models/validate';
import { decodeAwsChunked, isAwsChunked } from './protocols/awsChunked';
import { protocolFor, type WireRequest, type WireResponse } from './protocols';
import type { SeededRandom } from './random';
import type { FaultInjector, FaultOutcome } from './realism/faults';
import { latencyFor, sampleLatency, type LatencyModel } from './realism/latency';
import type { RateLimiter } from './realism/rateLimits';
import type { ServiceRegistry } from './services/registry';
import { notAuthorized, type CallContext, type ServiceDefinition } from './services/service';
import type { SandboxState } from './state/sandboxState';
import type { TaskTokenRegistry } from './state/taskTokens';

/** What the per-call pipeline needs from the sandbox. */
export interface SandboxCore {
  readonly state: SandboxState;
  readonly clock: Clock;
  readonly calls: CallLog;
  readonly faults: FaultInjector;
  readonly services: ServiceRegistry;
  readonly taskTokens: TaskTokenRegistry;
  /** Randomness for latency and faults, apart from the id stream so enabling them keeps ids stable. */
  readonly realismRandom: SeededRandom;
  rateLimiter: RateLimiter | undefined;
  latency: LatencyModel | undefined;
}

export type Transport = 'in-process' | 'http';

let requestCounter = 0;

function nextRequestId(): string {
  requestCounter += 1;
  const hex = requestCounter.toString(16).padStart(12, '0');
  return `fa4e0000-0000-4000-8000-${hex}`;
}

/** Turns an aws-chunked upload into its payload, with the trailing checksums as headers. */
function normalize(request: WireRequest): WireRequest {
  if (!isAwsChunked(request.headers)) return request;
  const { payload, trailers } = decodeAwsChunked(request.body);
  const encodings = (request.headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked');
  const headers: Record<string, string> = { ...request.headers, ...trailers, 'content-length': String(payload.length) };
  if (encodings.length) headers['content-encoding'] = encodings.join(',');
  else delete headers['content-encoding'];
  return { ...request, headers, body: payload };
}

function unidentified(): WireResponse {
  const message = 'FakeAws could not tell which AWS service this request is for. Sign requests with SigV4: the credential scope names the service.';
  return {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedServiceException' },
    body: Buffer.from(JSON.stringify({ __type: 'UnrecognizedServiceException', message })),
  };
}

/** How each protocol family answers a request it cannot authenticate. */
function authenticationError(service: ServiceDefinition, problem: 'missing' | 'unknown-key' | 'expired' | 'bad-token'): AwsError {
  const protocol = service.model.metadata.protocol;
  if (problem === 'missing') {
    if (protocol === 'rest-xml') return new AwsError('AccessDenied', 'Access Denied', { status: 403 });
    return protocol === 'query'
      ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', { status: 403 })
      : new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', { status: 403 });
  }
  if (problem === 'expired') {
    return protocol === 'query' || protocol === 'rest-xml'
      ? new AwsError(service.model.shapes.ExpiredTokenException ? 'ExpiredTokenException' : 'ExpiredToken', 'The security token included in the request is expired', { status: 400 })
      : new AwsError('ExpiredTokenException', 'The security token included in the request is expired', { status: 400 });
  }
  if (protocol === 'rest-xml') {
    return problem === 'bad-token'
      ? new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', { status: 400 })
      : new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { status: 403 });
  }
  return protocol === 'query'
    ? new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', { status: 403 })
    : new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', { status: 400 });
}

function faultError(service: ServiceDefinition, fault: FaultOutcome, ctx: CallContext): AwsError {
  switch (fault.kind) {
    case 'accessDenied':
      return service.errors.accessDenied(notAuthorized(ctx, `${service.actionPrefix}:${ctx.operation}`, undefined, 'with an explicit deny in a service control policy'));
    case 'regionOutage':
      return service.errors.unavailable();
    case 'throttling':
      return service.errors.throttling();
    case 'failure': {
      const error = fault.error ?? { code: 'InternalFailure', status: 500, message: 'Internal failure' };
      return new AwsError(error.code, error.message, { status: error.status });
    }
  }
}

function authenticate(core: SandboxCore, service: ServiceDefinition, scope: SignedScope | undefined, operation: string): Caller {
  if (!scope) throw authenticationError(service, 'missing');
  const identification = identify(core.state, scope.accessKeyId, scope.sessionToken, core.clock.nowMs());
  if ('problem' in identification && identification.problem !== 'role-deleted') throw authenticationError(service, identification.problem);
  if ('problem' in identification) {
    const caller = identification.caller;
    throw service.errors.accessDenied(`User: ${caller.arn} is not authorized to perform: ${service.actionPrefix}:${operation} because the role ${caller.roleName} no longer exists`);
  }
  return identification.caller;
}

/**
 * The per-call pipeline: find the service and operation, authenticate, read the input, apply
 * injected faults and rate limits, validate against the model, run the handler, write the
 * answer in the service's protocol, wait the simulated latency, log the call.
 */
export async function dispatch(core: SandboxCore, raw: WireRequest, transport: Transport): Promise<WireResponse> {
  const started = performance.now();
  const requestId = nextRequestId();
  let request: WireRequest;
  const scope = readSignedScope(raw.headers, raw.query);
  const service = core.services.resolve(scope?.service, raw);
  if (!service) return unidentified();
  const { model } = service;
  const protocol = protocolFor(model);
  let operation: OperationModel | undefined;
  let caller: Caller | undefined;
  let response: WireResponse;
  let outcome = 'ok';
  const region = scope?.region ?? 'us-east-1';
  try {
    request = normalize(raw);
    operation = protocol.route(request, model);
    caller = authenticate(core, service, scope, operation.name);
    const ctx: CallContext = {
      caller, account: caller.account, region, service: model.name, operation: operation.name, requestId,
      state: core.state, clock: core.clock, random: core.state.random, taskTokens: core.taskTokens, overHttp: transport === 'http',
    };
    const input = protocol.parseInput(request, model, operation);
    const fault = core.faults.check({ service: model.name, operation: operation.name, account: caller.account, region }, core.realismRandom);
    if (fault) throw faultError(service, fault, ctx);
    if (core.rateLimiter && !core.rateLimiter.take(service.actionPrefix, operation.name, caller.account, region, core.clock.nowMs())) {
      throw service.errors.throttling();
    }
    if (operation.input) {
      const violations = validateInput(input, operation.input, model);
      if (violations.length) throw service.errors.validation(violations);
    }
    service.authorize?.(ctx);
    const handler = service.operations[operation.name];
    if (!handler) throw new AwsError('NotImplemented', `FakeAws has a model for ${model.name}:${operation.name} but no handler.`, { status: 501 });
    const output = (await handler(input as never, ctx)) as Record<string, unknown> | undefined;
    core.services.notify(ctx);
    response = protocol.serializeOutput(output ?? {}, model, operation, requestId);
  } catch (error) {
    const awsError = isAwsError(error)
      ? error
      : new AwsError('InternalFailure', `FakeAws failed to serve the request: ${error instanceof Error ? error.message : String(error)}`, { status: 500 });
    outcome = awsError.code;
    response = protocol.serializeError(awsError, model, raw, requestId);
  }
  let latencyMs = performance.now() - started;
  const distribution = operation && latencyFor(core.latency, service.actionPrefix, operation.name);
  if (distribution) {
    const simulated = sampleLatency(distribution, core.realismRandom);
    if (simulated >= 1) await new Promise((resolve) => setTimeout(resolve, simulated));
    latencyMs += simulated;
  }
  core.calls.add({
    at: core.clock.nowMs(),
    service: model.name,
    operation: operation?.name ?? '(unknown)',
    account: caller?.account ?? '-',
    region,
    principal: caller?.arn ?? '-',
    latencyMs,
    status: response.status,
    outcome,
    transport,
  });
  return response;
}
