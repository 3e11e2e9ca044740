import { lambdaStepContext } from './lambdaContext';
import { record } from './steps';

/** Lambda entry of the access-resolution step `record`. */
export const handler = (input: Parameters<typeof record>[0]) => record(input, lambdaStepContext());
