/**
 * Whether an agent may apply a directive. Rejected (and acknowledged as such, never applied): expired
 * (`valid_until` < now), issued in the future beyond clock skew, valid_until before issued_at, the wrong
 * kind for the topic it came on, another pool, a scaling directive without a whole `desired_slots` in
 * range, a cache-warm directive without targets or with combinations the catalogue does not know, and
 * directives older than one already applied for the same kind (superseded).
 */
import type { Directive } from '../contracts/types.js';
import { findModuleVersion } from '../catalogue.js';

/** The verdict on a directive. */
export type DirectiveVerdict = { ok: true } | { ok: false; reason: string };

/** What the verdict depends on besides the directive. */
export interface DirectiveContext {
  pool: string;
  /** Kind implied by the topic the directive came on. */
  topicKind: Directive['kind'];
  now: number;
  /** Largest slot count this agent accepts. */
  maxSlots: number;
  /** `issued_at` of the last applied directive of the same kind, if any. */
  lastAppliedIssuedAt?: number;
  /** Tolerated clock skew between directive engine and agent, ms (default 5 minutes). */
  maxSkewMs?: number;
  /** Most warm targets accepted (default 64). */
  maxWarmTargets?: number;
}

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
const reject = (reason: string): DirectiveVerdict => ({ ok: false, reason });

/** Checks a decoded directive; the reason names the offending field. */
export function checkDirective(d: Directive, ctx: DirectiveContext): DirectiveVerdict {
  const skew = ctx.maxSkewMs ?? 5 * 60_000;
  if (d.directive_id.trim() === '') return reject('directive_id: is empty');
  if (d.pool !== ctx.pool) return reject(`pool: directive is for pool "${d.pool}", this agent serves "${ctx.pool}"`);
  if (d.kind !== ctx.topicKind) return reject(`kind: ${d.kind} directive on the ${ctx.topicKind} topic`);
  if (d.valid_until < d.issued_at) return reject(`valid_until: ${iso(d.valid_until)} is before issued_at ${iso(d.issued_at)}`);
  if (d.valid_until < ctx.now) return reject(`expired: valid_until ${iso(d.valid_until)} is before now ${iso(ctx.now)}`);
  if (d.issued_at > ctx.now + skew) return reject(`issued_at: ${iso(d.issued_at)} is in the future (now ${iso(ctx.now)})`);
  if (ctx.lastAppliedIssuedAt !== undefined && d.issued_at < ctx.lastAppliedIssuedAt)
    return reject(`superseded: issued_at ${iso(d.issued_at)} is older than the applied directive's ${iso(ctx.lastAppliedIssuedAt)}`);

  if (d.kind === 'SCALING') {
    if (d.desired_slots === null) return reject('desired_slots: missing on a SCALING directive');
    if (!Number.isInteger(d.desired_slots) || d.desired_slots < 0 || d.desired_slots > ctx.maxSlots)
      return reject(`desired_slots: ${d.desired_slots} is not an integer in [0, ${ctx.maxSlots}]`);
    if (d.warm.length > 0) return reject('warm: a SCALING directive carries no warm targets');
    return { ok: true };
  }

  const maxWarm = ctx.maxWarmTargets ?? 64;
  if (d.desired_slots !== null) return reject('desired_slots: a CACHE_WARM directive carries no slot count');
  if (d.warm.length === 0) return reject('warm: no combinations to warm');
  if (d.warm.length > maxWarm) return reject(`warm: ${d.warm.length} targets exceed the limit of ${maxWarm}`);
  for (const [i, target] of d.warm.entries()) {
    if (target.combination.length === 0) return reject(`warm[${i}].combination: is empty`);
    const names = new Set<string>();
    for (const [j, item] of target.combination.entries()) {
      if (!findModuleVersion(item)) return reject(`warm[${i}].combination[${j}]: "${item}" is not in the module catalogue`);
      const name = item.split('@')[0] ?? item;
      if (names.has(name)) return reject(`warm[${i}].combination[${j}]: module "${name}" appears twice`);
      names.add(name);
    }
  }
  return { ok: true };
}
