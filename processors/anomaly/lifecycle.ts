/**
 * Alert lifecycle with hysteresis, one per series: FIRING when the score is ≥ `fireScore` for
 * `fireCount` consecutive points (or ≥ `fireImmediately` once), RESOLVED when it stays below
 * `resolveScore` for `resolveCount` consecutive points. While firing, the same alert (same key,
 * same start) is kept: repeated high scores never raise a second alert (deduplication).
 */
import type { DetectorKind, PointScore } from './detectors/score.js';

/** Hysteresis thresholds. */
export interface LifecycleOptions {
  /** Score that counts towards firing (default 0.7). */
  fireScore?: number;
  /** Consecutive points at or above `fireScore` needed (default 2). */
  fireCount?: number;
  /** Score that fires on a single point (default 0.9). */
  fireImmediately?: number;
  /** Score below which a point counts towards resolving (default 0.3). */
  resolveScore?: number;
  /** Consecutive points below `resolveScore` needed (default 3). */
  resolveCount?: number;
}

/** Severity of an alert from its peak score. */
export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';

/** A state change of the alert of one series. */
export interface AlertTransition {
  state: 'FIRING' | 'RESOLVED';
  /** Detector that fired (kept until resolved). */
  detector: DetectorKind;
  severity: Severity;
  /** Event time the alert started (first point of the firing streak). */
  startedAt: number;
  /** Event time of this transition. */
  at: number;
  /** Highest score seen while firing. */
  peakScore: number;
  /** The point that caused the transition. */
  point: PointScore;
  value: number;
  /** Points the alert was firing (for RESOLVED). */
  points: number;
}

/** The lifecycle of one series' alert. */
export interface AlertLifecycle {
  /** Feeds one scored point; returns the transition it caused, if any. */
  step(t: number, value: number, point: PointScore): AlertTransition | undefined;
  /** Whether an alert is currently firing. */
  readonly firing: boolean;
}

/** Maps a peak score to a severity. */
export function severityOf(score: number): Severity {
  return score >= 0.97 ? 'CRITICAL' : score >= 0.85 ? 'WARNING' : 'INFO';
}

/** Creates the lifecycle state machine of one series. */
export function createAlertLifecycle(options: LifecycleOptions = {}): AlertLifecycle {
  const fireScore = options.fireScore ?? 0.7;
  const fireCount = options.fireCount ?? 2;
  const fireImmediately = options.fireImmediately ?? 0.9;
  const resolveScore = options.resolveScore ?? 0.3;
  const resolveCount = options.resolveCount ?? 3;
  let firing = false;
  let above = 0;
  let firstAboveAt = 0;
  let below = 0;
  let detector: DetectorKind = 'spike';
  let startedAt = 0;
  let peak = 0;
  let points = 0;

  return {
    get firing() {
      return firing;
    },
    step(t, value, point) {
      if (!firing) {
        if (point.score >= fireScore) {
          if (above === 0) firstAboveAt = t;
          above++;
        } else above = 0;
        if (point.score >= fireImmediately || (above >= fireCount && point.score >= fireScore)) {
          firing = true;
          detector = point.kind;
          startedAt = above > 0 ? firstAboveAt : t;
          peak = point.score;
          points = 1;
          below = 0;
          above = 0;
          return { state: 'FIRING', detector, severity: severityOf(peak), startedAt, at: t, peakScore: peak, point, value, points };
        }
        return undefined;
      }
      points++;
      peak = Math.max(peak, point.score);
      below = point.score < resolveScore ? below + 1 : 0;
      if (below >= resolveCount) {
        firing = false;
        below = 0;
        return { state: 'RESOLVED', detector, severity: severityOf(peak), startedAt, at: t, peakScore: peak, point, value, points };
      }
      return undefined;
    },
  };
}
