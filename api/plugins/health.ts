/** `GET /healthz` (the process is up) and `GET /readyz` (every dependency reachable in time). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { UnavailableError } from '../../common/errors.js';

/** One dependency check (Kafka, ClickHouse, model…): resolves when reachable, throws otherwise. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const Ready = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) });

async function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Registers the health routes. */
export function registerHealth(app: FastifyInstance, checks: readonly ReadinessCheck[], timeoutMs = 3000): void {
  app.get(
    '/healthz',
    { schema: { tags: ['ops'], summary: 'process is up', response: { 200: Type.Object({ status: Type.String() }) } } },
    () => Promise.resolve({ status: 'ok' }),
  );
  app.get('/readyz', { schema: { tags: ['ops'], summary: 'dependencies reachable', response: { 200: Ready } } }, async () => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await withTimeout(c.check(), timeoutMs);
          return [c.name, 'ok'] as const;
        } catch (err) {
          return [c.name, `down: ${err instanceof Error ? err.message : String(err)}`] as const;
        }
      }),
    );
    const status = Object.fromEntries(results);
    const down = results.filter(([, s]) => s !== 'ok').map(([n]) => n);
    if (down.length > 0) throw new UnavailableError(down.join(', '), 'readiness check failed', { details: { checks: status } });
    return { status: 'ready', checks: status };
  });
}
