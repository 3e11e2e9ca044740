import { lambdaStepContext } from './lambdaContext';
import { confirm } from './steps';

/** Lambda entry of the access-resolution step `confirm`. */
export const handler = (input: Parameters<typeof confirm>[0]) => confirm(input, lambdaStepContext());
