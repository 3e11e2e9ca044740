/** The subset of botocore's service model FakeAws reads (see generate.ts). */

export type Location = 'header' | 'headers' | 'querystring' | 'uri' | 'statusCode';

export interface ShapeRef {
  shape: string;
  location?: Location;
  locationName?: string;
  flattened?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  xmlAttribute?: boolean;
  timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
  streaming?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  members?: Record<string, ShapeRef>;
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  flattened?: boolean;
  locationName?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
  streaming?: boolean;
  timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  xmlNamespace?: { uri: string; prefix?: string };
  union?: boolean;
  document?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: string;
  output?: string;
  resultWrapper?: string;
  errors: string[];
  paginator?: { input_token?: string | string[]; output_token?: string | string[]; limit_key?: string; result_key?: string | string[]; more_results?: string };
  /** Items per page when the caller asks for none, and the most a page may hold. */
  pageSize?: { default: number; max?: number };
}

export interface ServiceModel {
  /** Botocore service name, e.g. `organizations`. */
  name: string;
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: 'json' | 'rest-json' | 'query' | 'rest-xml';
    jsonVersion?: string;
    targetPrefix?: string;
    signingName?: string;
    serviceId: string;
    xmlNamespace?: string;
    globalEndpoint?: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

interface GeneratedModel {
  metadata: ServiceModel['metadata'];
  operations: Record<string, Omit<OperationModel, 'name'>>;
  shapes: Record<string, Shape>;
}

/** Wraps a generated JSON model (imported statically so bundlers include it). */
export function serviceModel(name: string, generated: unknown): ServiceModel {
  const model = generated as GeneratedModel;
  const operations: Record<string, OperationModel> = {};
  for (const [opName, op] of Object.entries(model.operations)) operations[opName] = { name: opName, ...op };
  return { name, metadata: model.metadata, operations, shapes: model.shapes };
}

/** The name SigV4 signs with: `signingName`, else the endpoint prefix. */
export function signingName(model: ServiceModel): string {
  return model.metadata.signingName ?? model.metadata.endpointPrefix;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`${model.name}: the model has no shape ${name}; regenerate sandbox/models`);
  return shape;
}
