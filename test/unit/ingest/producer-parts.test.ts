import { describe, expect, it } from 'vitest';
import { createCapacity } from '../../../ingest/producer/index.js';
import { createSchemaSet, FAMILIES, keyFor, topicFor, type Family } from '../../../ingest/index.js';

describe('producer routing', () => {
  const schemas = createSchemaSet();
  it.each(FAMILIES.map((f) => [f]))('%s has a topic under the prefix and a key', (family: Family) => {
    const v = schemas.type(family).random() as never;
    expect(topicFor('t1', family, v)).toMatch(/^t1\.(events\.|jobs$|directives\.|alerts$)/);
    expect(typeof keyFor(family, v)).toBe('string');
  });
  it('keys follow DESIGN.md', () => {
    const rnd = <F extends Family>(f: F): Record<string, unknown> => schemas.type(f).random() as unknown as Record<string, unknown>;
    const build = { ...rnd('build'), pool: 'p9' };
    expect(keyFor('build', build as never)).toBe('p9');
    expect(keyFor('resource', { ...rnd('resource'), executor: 'x3' } as never)).toBe('x3');
    expect(keyFor('test', { ...rnd('test'), combination: ['base@1', 'node@20'] } as never)).toBe('base@1;node@20');
    expect(keyFor('sbom', { ...rnd('sbom'), image_digest: 'sha256:1' } as never)).toBe('sha256:1');
    expect(keyFor('alert', { ...rnd('alert'), alert_key: 'k' } as never)).toBe('k');
    expect(topicFor('f', 'directive', { ...rnd('directive'), kind: 'CACHE_WARM' } as never)).toBe('f.directives.cache-warm');
    expect(topicFor('f', 'directive', { ...rnd('directive'), kind: 'SCALING' } as never)).toBe('f.directives.scaling');
  });
});

describe('producer capacity (backpressure)', () => {
  it('blocks when messages or bytes are full and wakes waiters in order', async () => {
    const cap = createCapacity(2, 100);
    await cap.acquire(10);
    await cap.acquire(10);
    const order: number[] = [];
    const third = cap.acquire(10).then(() => order.push(3));
    const fourth = cap.acquire(10).then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    cap.release(1, 10);
    await third;
    expect(order).toEqual([3]);
    cap.release(1, 10);
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(cap.pendingMessages).toBe(2);
  });
  it('bounds bytes, but lets one oversized message through when idle', async () => {
    const cap = createCapacity(100, 50);
    await cap.acquire(40);
    let admitted = false;
    const p = cap.acquire(20).then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
    cap.release(1, 40);
    await p;
    cap.release(1, 20);
    await cap.acquire(500);
    expect(cap.pendingBytes).toBe(500);
  });
});
