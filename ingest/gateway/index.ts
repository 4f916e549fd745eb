/** HTTP ingest gateway (fastify plugin) and its body formats. */
export { ingestGateway, type GatewayAuthorize, type IngestAccepted, type IngestGatewayOptions } from './plugin.js';
export { AVRO_BATCH_CONTENT_TYPE, AVRO_CONTENT_TYPE, decodeAvroEvents, frameAvroBatch, splitAvroBatch } from './avro-body.js';
export { fillDefaults, parseJsonEvents } from './json-body.js';
