import { signingName } from '../models/serviceModel';
import type { WireRequest } from '../protocols';
import { virtualHostBucket } from '../protocols/restXml';
import type { CallContext, ServiceDefinition } from './service';

/** Finds the service a request is for: by its SigV4 signing name, else its X-Amz-Target or host. */
export class ServiceRegistry {
  private readonly bySigningName = new Map<string, ServiceDefinition>();
  private readonly byTargetPrefix = new Map<string, ServiceDefinition>();
  private readonly byEndpointPrefix = new Map<string, ServiceDefinition>();
  private readonly byName = new Map<string, ServiceDefinition>();

  constructor(services: ServiceDefinition[]) {
    for (const service of services) this.add(service);
  }

  add(service: ServiceDefinition): void {
    const { metadata } = service.model;
    this.byName.set(service.model.name, service);
    this.bySigningName.set(signingName(service.model), service);
    this.byEndpointPrefix.set(metadata.endpointPrefix, service);
    if (metadata.targetPrefix) this.byTargetPrefix.set(metadata.targetPrefix, service);
  }

  get(name: string): ServiceDefinition | undefined {
    return this.byName.get(name);
  }

  all(): ServiceDefinition[] {
    return [...this.byName.values()];
  }

  /** Tells every service that observes others about a successful call. */
  notify(ctx: CallContext): void {
    for (const service of this.byName.values()) service.observe?.(ctx);
  }

  resolve(signing: string | undefined, request: WireRequest): ServiceDefinition | undefined {
    if (signing) return this.bySigningName.get(signing);
    const target = request.headers['x-amz-target'];
    if (target) return this.byTargetPrefix.get(target.slice(0, target.lastIndexOf('.')));
    if (virtualHostBucket(request.hostname)) return this.byEndpointPrefix.get('s3');
    return this.byEndpointPrefix.get(request.hostname.split('.')[0]);
  }
}
