export { FakeAws, AwsError, type FakeAwsOptions, type Identity, type ClientConfigOptions, type InProcessClientConfig, type HttpClientConfig, type FakeAwsServer } from './fakeAws';
export type { CallRecord, CallFilter } from './callLog';
export type { FaultScope, FaultHandle } from './realism/faults';
export type { LatencyModel, LatencyDistribution } from './realism/latency';
export { AWS_RATE_LIMITS, type RateLimit } from './realism/rateLimits';
export { SandboxState, defineSlot, type StateSlot } from './state/sandboxState';
export type { TaskOutcome, WaitingTask } from './state/taskTokens';
