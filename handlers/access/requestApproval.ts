import { lambdaStepContext } from './lambdaContext';
import { requestApproval } from './steps';

/** Lambda entry of the access-resolution step `requestApproval`. */
export const handler = (input: Parameters<typeof requestApproval>[0]) => requestApproval(input, lambdaStepContext());
