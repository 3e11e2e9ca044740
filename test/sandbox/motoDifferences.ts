/**
 * Where moto 5.2.1 departs from the AWS API reference in the differential call sequences, and
 * FakeAws follows the reference. Each entry is documented in docs/FAKEAWS.md under its id; the
 * differential test fails when moto and FakeAws differ anywhere else, or no longer differ here.
 */
export interface KnownDifference {
  id: string;
  sequence: 'organizations' | 'iam-sts' | 's3' | 'sns-events';
  step: string;
  /** As the differential test words it: a shape path (`X: only fakeaws`) or `error: moto A, fakeaws B`. */
  difference: string;
  /** What the reference says, briefly. */
  reference: string;
}

const paths = (id: string, steps: string[], difference: string, reference: string, sequence: KnownDifference['sequence']): KnownDifference[] =>
  steps.map((step, i) => ({ id: steps.length > 1 ? `${id}.${i + 1}` : id, sequence, step, difference, reference }));

export const MOTO_DIFFERENCES: KnownDifference[] = [
  ...paths('ORG-OU-PATH', ['CreateOrganizationalUnit', 'DescribeOrganizationalUnit', 'UpdateOrganizationalUnit'], 'OrganizationalUnit.Path: only fakeaws',
    'OrganizationalUnit has a Path member (o-…/r-…/ou-…/); moto 5.2.1 does not return it.', 'organizations'),
  { id: 'ORG-OU-PATH.4', sequence: 'organizations', step: 'ListOrganizationalUnitsForParent', difference: 'OrganizationalUnits[].Path: only fakeaws', reference: 'As ORG-OU-PATH.' },
  ...paths('ORG-ACCOUNT-PATHS', ['ListAccounts', 'ListAccountsForParent'], 'Accounts[].Paths: only fakeaws',
    'Account has a Paths member; moto 5.2.1 does not return it.', 'organizations'),
  { id: 'ORG-ACCOUNT-PATHS.3', sequence: 'organizations', step: 'DescribeAccount', difference: 'Account.Paths: only fakeaws', reference: 'As ORG-ACCOUNT-PATHS.' },
  {
    id: 'ORG-DUPLICATE-OU', sequence: 'organizations', step: 'CreateOrganizationalUnit duplicate name',
    difference: 'error: moto ok, fakeaws DuplicateOrganizationalUnitException',
    reference: 'CreateOrganizationalUnit lists DuplicateOrganizationalUnitException: an OU with the same name already exists under the parent.',
  },
  {
    id: 'ORG-CREATE-ACCOUNT-ASYNC.1', sequence: 'organizations', step: 'CreateAccount', difference: 'CreateAccountStatus.AccountId: only moto',
    reference: 'CreateAccount is asynchronous: the response carries State IN_PROGRESS; the account id comes from DescribeCreateAccountStatus once SUCCEEDED. moto answers as if already complete.',
  },
  {
    id: 'ORG-CREATE-ACCOUNT-ASYNC.2', sequence: 'organizations', step: 'CreateAccount', difference: 'CreateAccountStatus.CompletedTimestamp: only moto',
    reference: 'As ORG-CREATE-ACCOUNT-ASYNC.1.',
  },
  {
    id: 'ORG-MOVE-SOURCE-PARENT', sequence: 'organizations', step: 'MoveAccount missing source parent',
    difference: 'error: moto ParentNotFoundException, fakeaws SourceParentNotFoundException',
    reference: 'MoveAccount lists SourceParentNotFoundException and DestinationParentNotFoundException, not ParentNotFoundException.',
  },
  {
    id: 'ORG-DUPLICATE-ATTACHMENT', sequence: 'organizations', step: 'AttachPolicy again',
    difference: 'error: moto ok, fakeaws DuplicatePolicyAttachmentException',
    reference: 'AttachPolicy lists DuplicatePolicyAttachmentException: the policy is already attached to the target.',
  },
  {
    id: 'ORG-SECURITYHUB-DELEGATION', sequence: 'organizations', step: 'RegisterDelegatedAdministrator securityhub',
    difference: 'error: moto InvalidInputException, fakeaws ok',
    reference: 'Security Hub supports a delegated administrator through Organizations; moto 5.2.1 leaves securityhub.amazonaws.com out of its list of services that do.',
  },
  {
    id: 'ORG-SECURITYHUB-DELEGATION.2', sequence: 'organizations', step: 'DeregisterDelegatedAdministrator securityhub',
    difference: 'error: moto AccountNotRegisteredException, fakeaws ok', reference: 'Follows from ORG-SECURITYHUB-DELEGATION.',
  },
  {
    id: 'ORG-DELETE-NONEMPTY-OU', sequence: 'organizations', step: 'DeleteOrganizationalUnit not empty',
    difference: 'error: moto ok, fakeaws OrganizationalUnitNotEmptyException',
    reference: 'DeleteOrganizationalUnit: you must first remove all accounts and child OUs (OrganizationalUnitNotEmptyException).',
  },
  {
    id: 'ORG-DELETE-NONEMPTY-OU.2', sequence: 'organizations', step: 'DeleteOrganizationalUnit',
    difference: 'error: moto OrganizationalUnitNotFoundException, fakeaws ok', reference: 'Follows from ORG-DELETE-NONEMPTY-OU: moto already deleted the OU.',
  },
  {
    id: 'IAM-CREATE-ROLE-LAST-USED', sequence: 'iam-sts', step: 'CreateRole', difference: 'Role.RoleLastUsed: only moto',
    reference: 'The CreateRole response example carries no RoleLastUsed; GetRole reports it (empty until the role is used).',
  },
  {
    id: 'IAM-MALFORMED-TRUST', sequence: 'iam-sts', step: 'CreateRole malformed trust policy',
    difference: 'error: moto ok, fakeaws MalformedPolicyDocumentException',
    reference: 'CreateRole lists MalformedPolicyDocumentException for a trust policy that is not valid policy JSON.',
  },
  {
    id: 'STS-PACKED-POLICY-SIZE', sequence: 'iam-sts', step: 'AssumeRole', difference: 'PackedPolicySize: only moto',
    reference: 'PackedPolicySize reports the size of the session policies and tags passed in the request; the call passed none.',
  },
  {
    id: 'STS-ASSUME-MISSING-ROLE', sequence: 'iam-sts', step: 'AssumeRole of a missing role',
    difference: 'error: moto ok, fakeaws AccessDenied',
    reference: 'AWS refuses AssumeRole (AccessDenied, not authorized to perform sts:AssumeRole) for a role that does not exist or does not trust the caller; moto does not check.',
  },
  {
    id: 'S3-LOCK-RETENTION-UNIT', sequence: 's3', step: 'GetObjectLockConfiguration',
    difference: 'ObjectLockConfiguration.Rule.DefaultRetention.Years: only moto',
    reference: 'DefaultRetention takes Days or Years, not both; the bucket was configured with Days only.',
  },
  ...paths('S3-SSE-HEADER', ['PutObject with retention', 'GetObject', 'HeadObject', 'PutObject second'], 'ServerSideEncryption: only fakeaws',
    'Every bucket encrypts new objects with SSE-S3 by default (since January 2023); S3 answers x-amz-server-side-encryption: AES256.', 's3'),
  ...paths('S3-CHECKSUM-TYPE', ['PutObject with retention', 'GetObject', 'PutObject second'], 'ChecksumType: only fakeaws',
    'Responses that carry an object checksum carry x-amz-checksum-type (FULL_OBJECT for single-part uploads).', 's3'),
  {
    id: 'S3-CHECKSUM-TYPE.4', sequence: 's3', step: 'ListObjectsV2 with delimiter', difference: 'Contents[].ChecksumType: only fakeaws',
    reference: 'Object in ListObjectsV2 carries ChecksumType for objects stored with a checksum.',
  },
  {
    id: 'SNS-SYNC-DELIVERY', sequence: 'sns-events', step: 'Publish with attributes',
    difference: 'error: moto AWS.SimpleQueueService.NonExistentQueue, fakeaws ok',
    reference: 'Publish returns a MessageId once SNS has the message; delivery to subscriptions is asynchronous. moto delivers synchronously and fails the call when a subscribed queue does not exist.',
  },
  {
    id: 'EVENTS-SYNC-DELIVERY', sequence: 'sns-events', step: 'PutEvents',
    difference: 'error: moto SyntaxError, fakeaws ok',
    reference: 'PutEvents accepts the event and delivers to targets asynchronously. moto 5.2.1 delivers synchronously and answers HTTP 500 (not JSON, so the SDK reports SyntaxError) when delivery through the SNS target fails.',
  },
];
