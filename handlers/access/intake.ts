import { lambdaStepContext } from './lambdaContext';
import { intake } from './steps';

/** Lambda entry of the access-resolution step `intake`. */
export const handler = (input: Parameters<typeof intake>[0]) => intake(input, lambdaStepContext());
