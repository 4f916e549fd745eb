/**
 * Champion/challenger rule: a new version becomes the champion only if, on the same held-out window,
 * the sum of its relative improvements over the champion in duration MAE and failure log-loss is
 * positive and neither gets worse by more than 2 %.
 */
import type { Comparison } from './evaluate.js';

/** The decision and why. */
export interface Decision {
  promote: boolean;
  reason: string;
}

/** Decides whether `challenger` replaces `champion` (both scored on the same rows). */
export function decideChampion(challenger: Comparison, champion: Comparison | undefined): Decision {
  if (!champion) return { promote: true, reason: 'no champion yet' };
  const dMae = (champion.model.duration_mae_ms - challenger.model.duration_mae_ms) / champion.model.duration_mae_ms;
  const dLoss = (champion.model.failure_log_loss - challenger.model.failure_log_loss) / champion.model.failure_log_loss;
  const text = `duration MAE ${(dMae * 100).toFixed(1)} % better, failure log-loss ${(dLoss * 100).toFixed(1)} % better than the champion`;
  if (!Number.isFinite(dMae) || !Number.isFinite(dLoss)) return { promote: false, reason: `not comparable (${text})` };
  if (dMae < -0.02 || dLoss < -0.02) return { promote: false, reason: `worse on one model: ${text}` };
  if (dMae + dLoss <= 0) return { promote: false, reason: `no net improvement: ${text}` };
  return { promote: true, reason: text };
}
