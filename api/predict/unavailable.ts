/** A predictor for when no model can serve: every call is a 503 naming the reason. */
import { UnavailableError } from '../../common/errors.js';
import type { Predictor } from './predictor.js';

/** Creates a predictor that always reports the model as unavailable. */
export function unavailablePredictor(reason: string): Predictor {
  const fail = (): Promise<never> => Promise.reject(new UnavailableError('model', reason));
  return { predict: fail, check: fail };
}
