import { lambdaStepContext } from './lambdaContext';
import { apply } from './steps';

/** Lambda entry of the access-resolution step `apply`. */
export const handler = (input: Parameters<typeof apply>[0]) => apply(input, lambdaStepContext());
