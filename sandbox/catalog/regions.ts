/**
 * The commercial AWS Regions (aws partition), for operations that name "all Regions" (Security
 * Hub's ALL_REGIONS linking, Config's AllAwsRegions). From the AWS General Reference, "AWS
 * service endpoints" Region table.
 */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

const REGION_SET = new Set(AWS_REGIONS);

export function isAwsRegion(region: string): boolean {
  return REGION_SET.has(region);
}
