import { lambdaStepContext } from './lambdaContext';
import { notify } from './steps';

/** Lambda entry of the access-resolution step `notify`. */
export const handler = (input: Parameters<typeof notify>[0]) => notify(input, lambdaStepContext());
