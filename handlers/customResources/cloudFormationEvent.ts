/**
 * The custom-resource events CloudFormation sends through the provider framework
 * (aws-cdk-lib/custom-resources). CloudFormation passes every scalar property as a string.
 */
export interface CustomResourceEvent<P> {
  RequestType: 'Create' | 'Update' | 'Delete';
  LogicalResourceId: string;
  ResourceType: string;
  StackId: string;
  RequestId: string;
  PhysicalResourceId?: string;
  ResourceProperties: P & { ServiceToken: string };
  OldResourceProperties?: P;
}

export interface OnEventResponse {
  PhysicalResourceId?: string;
  Data?: Record<string, string>;
}

/** What isComplete receives: the original event plus what onEvent returned. */
export type IsCompleteEvent<P> = CustomResourceEvent<P> & OnEventResponse;

export interface IsCompleteResponse {
  IsComplete: boolean;
  Data?: Record<string, string>;
}

/** True when an SDK error carries one of the given exception names. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = (error as { name?: string } | null)?.name;
  return typeof name === 'string' && names.includes(name);
}
