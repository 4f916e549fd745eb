/** Request metrics and `GET /metrics` (the process's one prom-client registry). */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../common/metrics.js';

/** Times every request and serves the registry in the Prometheus text format. */
export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  const duration = metrics.histogram(
    'api_request_duration_seconds',
    'API request duration by route and status',
    ['method', 'route', 'status'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
