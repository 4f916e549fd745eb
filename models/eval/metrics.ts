/**
 * Evaluation metrics (pure functions over arrays; each checked against hand-computed cases in
 * test/unit/models/metrics.test.ts).
 */

type Nums = ArrayLike<number>;

/** Mean absolute error. */
export function mae(actual: Nums, predicted: Nums): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs((actual[i] as number) - (predicted[i] as number));
  return actual.length > 0 ? s / actual.length : NaN;
}

/** Median absolute percentage error (as a fraction; rows with actual 0 are skipped). */
export function medianApe(actual: Nums, predicted: Nums): number {
  const e: number[] = [];
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    if (a !== 0) e.push(Math.abs(a - (predicted[i] as number)) / Math.abs(a));
  }
  if (e.length === 0) return NaN;
  e.sort((x, y) => x - y);
  const mid = e.length >> 1;
  return e.length % 2 === 1 ? (e[mid] as number) : ((e[mid - 1] as number) + (e[mid] as number)) / 2;
}

/** Share of actual values inside [low, high]. */
export function coverage(actual: Nums, low: Nums, high: Nums): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    if (a >= (low[i] as number) && a <= (high[i] as number)) inside++;
  }
  return actual.length > 0 ? inside / actual.length : NaN;
}

/** ROC-AUC (Mann–Whitney; tied scores count one half). NaN when a class is missing. */
export function rocAuc(labels: Nums, scores: Nums): number {
  const idx = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (labels[idx[k] as number] === 1) {
        pos++;
        rankSum += avgRank;
      }
    i = j + 1;
  }
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * PR-AUC as average precision: Σ (R_k − R_{k−1}) · P_k over distinct score thresholds, highest first
 * (tied scores enter together). NaN when there is no positive.
 */
export function prAuc(labels: Nums, scores: Nums): number {
  const idx = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let totalPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) totalPos++;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    let newTp = 0;
    for (let k = i; k <= j; k++) if (labels[idx[k] as number] === 1) newTp++;
    tp += newTp;
    seen += j - i + 1;
    ap += (newTp / totalPos) * (tp / seen);
    i = j + 1;
  }
  return ap;
}

/** Precision, recall and F1 of `scores >= threshold`. */
export function classification(labels: Nums, scores: Nums, threshold: number): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = (scores[i] as number) >= threshold;
    const y = labels[i] === 1;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Expected calibration error over `bins` equal-width probability bins. */
export function calibrationError(labels: Nums, probs: Nums, bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b] = (count[b] as number) + 1;
    sumP[b] = (sumP[b] as number) + p;
    sumY[b] = (sumY[b] as number) + (labels[i] as number);
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if ((count[b] as number) > 0) e += Math.abs((sumP[b] as number) - (sumY[b] as number));
  return labels.length > 0 ? e / labels.length : NaN;
}

/** Mean binary log-loss (probabilities clipped to [1e-7, 1 − 1e-7]). */
export function logLoss(labels: Nums, probs: Nums): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, probs[i] as number));
    s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length > 0 ? s / labels.length : NaN;
}

/** The threshold in `candidates` (default 0.05…0.95) with the best F1. */
export function bestF1Threshold(labels: Nums, scores: Nums, candidates?: readonly number[]): number {
  const cs = candidates ?? Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1));
  let best = 0.5;
  let bestF1 = -1;
  for (const t of cs) {
    const { f1 } = classification(labels, scores, t);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = t;
    }
  }
  return best;
}
