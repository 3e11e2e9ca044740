import { lambdaStepContext } from './lambdaContext';
import { assess } from './steps';

/** Lambda entry of the access-resolution step `assess`. */
export const handler = (input: Parameters<typeof assess>[0]) => assess(input, lambdaStepContext());
