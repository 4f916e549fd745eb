/** Binomial tail probabilities in log space (small counts, exact), for the proportion detectors. */

const logFact: number[] = [0];

function lf(n: number): number {
  for (let i = logFact.length; i <= n; i++) logFact.push((logFact[i - 1] ?? 0) + Math.log(i));
  return logFact[n] ?? 0;
}

function logTerm(n: number, k: number, p: number): number {
  return lf(n) - lf(k) - lf(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** −log10 P(X ≥ k) for X ~ Binomial(n, p): how surprising at least `k` successes are. */
export function upperTailSurprise(n: number, k: number, p: number): number {
  if (k <= 0 || n <= 0) return 0;
  if (k > n) return Infinity;
  const terms: number[] = [];
  for (let i = k; i <= n; i++) terms.push(logTerm(n, i, p));
  return Math.max(0, -logSumExp(terms) / Math.LN10);
}

/** −log10 P(X ≤ k) for X ~ Binomial(n, p): how surprising at most `k` successes are. */
export function lowerTailSurprise(n: number, k: number, p: number): number {
  if (n <= 0 || k >= n) return 0;
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) terms.push(logTerm(n, i, p));
  return Math.max(0, -logSumExp(terms) / Math.LN10);
}
