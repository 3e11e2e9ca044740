import type { RampartConfig } from '../../config/model';

/** The StackSet that puts an AWS Config recorder and delivery channel into every member account × enabled Region. */
export const CONFIG_RECORDER_STACKSET_NAME = 'Rampart-ConfigRecorder';
/** AWS Config's service-linked role, which the member recorders use. */
export const CONFIG_SERVICE_LINKED_ROLE = 'AWSServiceRoleForConfig';
/** Recorder and delivery channel name; AWS Config allows one of each per account and Region. */
export const CONFIG_RECORDER_NAME = 'default';

/** The central Config bucket in the log-archive account (home Region); member delivery channels name it. */
export const configDeliveryBucketName = (logArchiveAccountId: string, homeRegion: string) => `rampart-config-${logArchiveAccountId}-${homeRegion}`;

/**
 * Ensures AWSServiceRoleForConfig exists before the recorder names it: IAM has no idempotent create,
 * and the role is shared by the stack instances of every Region, so an existing role (created by
 * another Region, a console set-up or another service) counts as done, and the function waits until
 * IAM shows the role. Delete leaves the role: other Regions' recorders still use it.
 */
export const SERVICE_LINKED_ROLE_FUNCTION = `import json, time, urllib.request
import boto3

ROLE = '${CONFIG_SERVICE_LINKED_ROLE}'


def respond(event, context, status, reason):
    body = json.dumps({
        'Status': status, 'Reason': reason[:900], 'PhysicalResourceId': ROLE,
        'StackId': event['StackId'], 'RequestId': event['RequestId'], 'LogicalResourceId': event['LogicalResourceId'], 'Data': {},
    }).encode()
    request = urllib.request.Request(event['ResponseURL'], data=body, method='PUT', headers={'Content-Type': '', 'Content-Length': str(len(body))})
    urllib.request.urlopen(request, timeout=30).read()


def exists(iam, name):
    try:
        iam.get_role(RoleName=name)
        return True
    except iam.exceptions.NoSuchEntityException:
        return False


def ensure_role(iam):
    if exists(iam, ROLE):
        return 'already present'
    try:
        created = iam.create_service_linked_role(AWSServiceName='config.amazonaws.com')['Role']['RoleName']
    except iam.exceptions.EntityAlreadyExistsException:
        return 'already present'
    except iam.exceptions.InvalidInputException as error:
        # IAM's answer when another Region's stack instance created the role a moment ago.
        if 'has been taken' not in str(error):
            raise
        return 'already present'
    for _ in range(30):
        if exists(iam, created):
            return 'created'
        time.sleep(2)
    raise RuntimeError(created + ' was created but IAM does not show it after 60 seconds')


def handler(event, context):
    try:
        outcome = 'left in place' if event['RequestType'] == 'Delete' else ensure_role(boto3.client('iam'))
        print(json.dumps({'level': 'INFO', 'message': ROLE + ' ' + outcome}))
        respond(event, context, 'SUCCESS', ROLE + ' ' + outcome)
    except Exception as error:
        print(json.dumps({'level': 'ERROR', 'message': str(error)}))
        respond(event, context, 'FAILED', str(error))
`;

type Json = Record<string, unknown>;

/**
 * The CloudFormation template the recorder StackSet deploys into each member account × enabled
 * Region: AWS Config's recorder on the service-linked role, recording every supported resource type
 * (global ones, such as IAM, only in `globalRegion`), and a delivery channel to the central bucket.
 */
export function configRecorderTemplate(config: Pick<RampartConfig, 'global' | 'security'>, bucketName: string): Json {
  const globalRegion = config.security.config.recorder.includeGlobalResourceTypesIn ?? config.global.homeRegion;
  const roleArn = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/${CONFIG_SERVICE_LINKED_ROLE}` };
  const tags = Object.entries(config.global.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Rampart: AWS Config recorder and delivery channel (deployed by the ${CONFIG_RECORDER_STACKSET_NAME} StackSet)`,
    Conditions: { RecordsGlobalResources: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, globalRegion] } },
    Resources: {
      ServiceLinkedRoleFunctionLogs: {
        Type: 'AWS::Logs::LogGroup',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { RetentionInDays: 365 },
      },
      ServiceLinkedRoleFunctionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `Creates ${CONFIG_SERVICE_LINKED_ROLE} for the Rampart Config recorder`,
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          Policies: [{
            PolicyName: 'CreateConfigServiceLinkedRole',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: roleArn, Condition: { StringEquals: { 'iam:AWSServiceName': 'config.amazonaws.com' } } },
                { Effect: 'Allow', Action: 'iam:GetRole', Resource: roleArn },
                { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['ServiceLinkedRoleFunctionLogs', 'Arn'] } },
              ],
            },
          }],
          Tags: tags,
        },
      },
      ServiceLinkedRoleFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Description: `Rampart: ensures ${CONFIG_SERVICE_LINKED_ROLE} exists for the Config recorder`,
          Runtime: 'python3.13',
          Handler: 'index.handler',
          Timeout: 120,
          MemorySize: 128,
          Role: { 'Fn::GetAtt': ['ServiceLinkedRoleFunctionRole', 'Arn'] },
          LoggingConfig: { LogGroup: { Ref: 'ServiceLinkedRoleFunctionLogs' }, LogFormat: 'Text' },
          Code: { ZipFile: SERVICE_LINKED_ROLE_FUNCTION },
          Tags: tags,
        },
      },
      ConfigServiceLinkedRole: {
        Type: 'Custom::RampartConfigServiceLinkedRole',
        Properties: { ServiceToken: { 'Fn::GetAtt': ['ServiceLinkedRoleFunction', 'Arn'] } },
      },
      ConfigurationRecorder: {
        Type: 'AWS::Config::ConfigurationRecorder',
        DependsOn: 'ConfigServiceLinkedRole',
        Properties: {
          Name: CONFIG_RECORDER_NAME,
          RoleARN: roleArn,
          RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { 'Fn::If': ['RecordsGlobalResources', true, false] } },
        },
      },
      DeliveryChannel: {
        Type: 'AWS::Config::DeliveryChannel',
        DependsOn: 'ConfigurationRecorder',
        Properties: {
          Name: CONFIG_RECORDER_NAME,
          S3BucketName: bucketName,
          ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
        },
      },
    },
  };
}
