import { lambdaStepContext } from './lambdaContext';
import { deadLetter } from './steps';

/** Lambda entry of the access-resolution step `deadLetter`. */
export const handler = (input: Parameters<typeof deadLetter>[0]) => deadLetter(input, lambdaStepContext());
