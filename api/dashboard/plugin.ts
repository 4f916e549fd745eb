/**
 * The dashboard as a fastify plugin: the page (GET /dashboard), its files (GET /dashboard/static/*),
 * its data (GET /dashboard/api/snapshot) and live updates as Server-Sent Events (GET /dashboard/events).
 * Routes are absolute: register the plugin without a prefix.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/logger.js';
import type { ClickHouseClient } from '../../sinks/index.js';
import { createLiveHub, type LiveHub } from './live-hub.js';
import { DEFAULT_RANGE, RANGES, RANGE_IDS } from './ranges.js';
import { buildSnapshot } from './snapshot.js';
import { loadStaticFiles, staticFileFor } from './static-files.js';
import type { Snapshot } from './types.js';

/** Options of {@link dashboardPlugin}. */
export interface DashboardOptions {
  /** Client used for reads (the writer client is fine: the dashboard only runs SELECTs). */
  clickhouse: ClickHouseClient;
  /** Process config; `clickhouse.database` names the database read. */
  config: Config;
  logger: Logger;
  /** Interval of live updates (default 2000 ms). */
  refreshMs?: number;
  /** Clock (default Date.now). */
  now?: () => number;
}

const RangeQuery = Type.Object(
  { range: Type.Optional(Type.Union(RANGE_IDS.map((r) => Type.Literal(r)))) },
  { additionalProperties: false },
);
type RangeQueryT = Static<typeof RangeQuery>;
const FileParams = Type.Object({ file: Type.String({ maxLength: 64 }) });
type FileParamsT = Static<typeof FileParams>;

const SSE_HEARTBEAT_MS = 15_000;

/**
 * Registers the dashboard routes. Usage in `buildApp`: `await app.register(dashboardPlugin, { clickhouse, config, logger })`.
 * The routes only read ClickHouse; they need no token (serve behind a proxy to restrict them).
 */
export const dashboardPlugin: FastifyPluginAsync<DashboardOptions> = async (app: FastifyInstance, opts: DashboardOptions) => {
  const files = await loadStaticFiles();
  const now = opts.now ?? Date.now;
  const logger = opts.logger.child({ component: 'dashboard' });
  const hub: LiveHub = createLiveHub({
    build: (range) => buildSnapshot({ clickhouse: opts.clickhouse, database: opts.config.clickhouse.database, logger, now }, RANGES[range]),
    refreshMs: opts.refreshMs ?? 2000,
    logger,
    now,
  });
  const streams = new Set<FastifyReply>();

  const sendFile = (reply: FastifyReply, name: string): FastifyReply => {
    const f = files.get(name);
    if (!f) return reply.code(404).type('text/plain').send(`no such dashboard file: ${name}`);
    return reply.type(f.contentType).header('cache-control', 'no-cache').send(f.body);
  };

  app.get('/dashboard', async (_req, reply) => sendFile(reply, 'index.html'));
  app.get('/dashboard/', async (_req, reply) => sendFile(reply, 'index.html'));
  app.get<{ Params: FileParamsT }>('/dashboard/static/:file', { schema: { params: FileParams } }, async (req, reply) =>
    sendFile(reply, staticFileFor(req.params.file) ?? `static/${req.params.file}`),
  );

  app.get<{ Querystring: RangeQueryT }>(
    '/dashboard/api/snapshot',
    { schema: { querystring: RangeQuery } },
    async (req): Promise<Snapshot> => hub.snapshot(req.query.range ?? DEFAULT_RANGE),
  );

  app.get<{ Querystring: RangeQueryT }>('/dashboard/events', { schema: { querystring: RangeQuery } }, async (req, reply) => {
    const range = req.query.range ?? DEFAULT_RANGE;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const send = (snap: Snapshot): void => {
      res.write(`event: snapshot\ndata: ${JSON.stringify(snap)}\n\n`);
    };
    streams.add(reply);
    const unsubscribe = hub.subscribe(range, send);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(reply);
    };
    req.raw.on('close', stop);
    res.on('close', stop);
    try {
      send(await hub.snapshot(range));
    } catch (err) {
      logger.warn({ err }, 'dashboard: first snapshot failed');
    }
  });

  app.addHook('onClose', (_instance, done) => {
    hub.close();
    for (const s of streams) s.raw.end();
    streams.clear();
    done();
  });
};
