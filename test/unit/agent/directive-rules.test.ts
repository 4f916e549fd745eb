// Directive validation: expired, malformed, wrong kind/pool, superseded directives are rejected with a reason.
import { describe, expect, it } from 'vitest';
import { checkDirective, type DirectiveContext } from '../../../ingest/agent/directive-rules.js';
import type { Directive } from '../../../ingest/contracts/types.js';

const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);
const scaling = (over: Partial<Directive> = {}): Directive => ({
  event_id: 'e1',
  event_time: NOW,
  producer_id: 'engine',
  seq: 1,
  directive_id: 'd-1',
  pool: 'p1',
  kind: 'SCALING',
  issued_at: NOW - 1000,
  valid_until: NOW + 60_000,
  reason: { queue_wait_p95_ms: 90_000 },
  reason_text: 'queue wait above SLO',
  desired_slots: 4,
  warm: [],
  ...over,
});
const warm = (over: Partial<Directive> = {}): Directive =>
  scaling({
    kind: 'CACHE_WARM',
    desired_slots: null,
    warm: [{ combination: ['base@1', 'zlib@1.3.1'], expected_saving_ms: 1200 }],
    ...over,
  });
const ctx = (over: Partial<DirectiveContext> = {}): DirectiveContext => ({
  pool: 'p1',
  topicKind: 'SCALING',
  now: NOW,
  maxSlots: 16,
  ...over,
});

describe('checkDirective', () => {
  it('accepts a current scaling directive and a current cache-warm directive', () => {
    expect(checkDirective(scaling(), ctx())).toEqual({ ok: true });
    expect(checkDirective(warm(), ctx({ topicKind: 'CACHE_WARM' }))).toEqual({ ok: true });
    expect(checkDirective(scaling({ desired_slots: 0 }), ctx())).toEqual({ ok: true });
  });

  it.each([
    ['expired', scaling({ valid_until: NOW - 1 }), ctx(), /^expired: valid_until 2026-11-27T02:59:59.999Z/],
    ['valid_until before issued_at', scaling({ issued_at: NOW, valid_until: NOW - 10 }), ctx(), /^valid_until:/],
    ['issued in the future', scaling({ issued_at: NOW + 3_600_000, valid_until: NOW + 7_200_000 }), ctx(), /^issued_at: .* future/],
    ['other pool', scaling({ pool: 'p2' }), ctx(), /^pool: .*"p2"/],
    ['kind on the wrong topic', scaling(), ctx({ topicKind: 'CACHE_WARM' }), /^kind: SCALING directive on the CACHE_WARM topic/],
    ['missing desired_slots', scaling({ desired_slots: null }), ctx(), /^desired_slots: missing/],
    ['negative slots', scaling({ desired_slots: -1 }), ctx(), /^desired_slots: -1 is not an integer in \[0, 16\]/],
    ['too many slots', scaling({ desired_slots: 17 }), ctx(), /^desired_slots: 17/],
    ['scaling with warm targets', scaling({ warm: [{ combination: ['base@1'], expected_saving_ms: 0 }] }), ctx(), /^warm:/],
    ['empty id', scaling({ directive_id: ' ' }), ctx(), /^directive_id: is empty/],
    ['superseded', scaling({ issued_at: NOW - 5000 }), ctx({ lastAppliedIssuedAt: NOW - 2000 }), /^superseded:/],
    ['warm without targets', warm({ warm: [] }), ctx({ topicKind: 'CACHE_WARM' }), /^warm: no combinations/],
    ['warm with slots', warm({ desired_slots: 3 }), ctx({ topicKind: 'CACHE_WARM' }), /^desired_slots: a CACHE_WARM/],
    [
      'warm with an unknown module',
      warm({ warm: [{ combination: ['base@1', 'cobol@85'], expected_saving_ms: 0 }] }),
      ctx({ topicKind: 'CACHE_WARM' }),
      /^warm\[0\]\.combination\[1\]: "cobol@85"/,
    ],
    [
      'warm with a repeated module',
      warm({
        warm: [
          { combination: ['base@1'], expected_saving_ms: 0 },
          { combination: ['base@1', 'base@2'], expected_saving_ms: 0 },
        ],
      }),
      ctx({ topicKind: 'CACHE_WARM' }),
      /^warm\[1\]\.combination\[1\]: module "base" appears twice/,
    ],
    [
      'too many warm targets',
      warm({ warm: Array.from({ length: 5 }, () => ({ combination: ['base@1'], expected_saving_ms: 0 })) }),
      ctx({ topicKind: 'CACHE_WARM', maxWarmTargets: 4 }),
      /^warm: 5 targets exceed the limit of 4/,
    ],
  ])('rejects %s', (_name, d, c, reason) => {
    const v = checkDirective(d, c);
    expect(v.ok).toBe(false);
    expect(v.ok ? '' : v.reason).toMatch(reason);
  });

  it('accepts a directive issued slightly in the future (clock skew) and equal issued_at', () => {
    expect(checkDirective(scaling({ issued_at: NOW + 60_000, valid_until: NOW + 120_000 }), ctx()).ok).toBe(true);
    expect(checkDirective(scaling({ issued_at: NOW - 2000 }), ctx({ lastAppliedIssuedAt: NOW - 2000 })).ok).toBe(true);
  });
});
