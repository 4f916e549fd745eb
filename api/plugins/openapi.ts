/** OpenAPI document (`GET /docs/json`) and Swagger UI (`GET /docs`), assets served from node_modules. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Registers the OpenAPI generator; call before any route is added. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Factory Pulse API',
        version,
        description:
          'Features, predictions, alerts, directives and model versions of a container build factory. ' +
          'Errors are `{ code, message, details }` with stable codes (see README "Errors").',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'read', description: 'needs a token with scope read' },
        { name: 'write', description: 'needs a token with scope write (rate limited)' },
        { name: 'ops', description: 'health, readiness, metrics (no token)' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
