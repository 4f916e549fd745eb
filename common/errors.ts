/**
 * Typed errors with stable codes. Every error a caller may need to react to is a subclass of
 * {@link PulseError}; branch on `instanceof` or `code`, never on the message text.
 * Codes are listed in {@link ERROR_CODES} (a unit test checks they are unique and documented in README).
 */

/** Options shared by every Pulse error. */
export interface PulseErrorOptions {
  /** The lower-level error that caused this one. */
  cause?: unknown;
  /** Whether repeating the same operation may succeed (read by `retry()`). */
  retriable?: boolean;
  /** Structured details that are safe to show to a caller (field path, key, file, line…). */
  details?: Record<string, unknown>;
}

/** Base class of all Factory Pulse errors. */
export class PulseError extends Error {
  /** Stable machine-readable code, e.g. `PULSE_ERR_CONFIG`. */
  readonly code: string;
  /** Whether the operation may succeed if retried. */
  readonly retriable: boolean;
  /** Structured details (never secrets). */
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: PulseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }

  /** A JSON-safe view used by the API error handler and `--json` CLI output. */
  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Thrown at start-up when a config key (env var, file key or CLI flag) is unknown or invalid. */
export class ConfigError extends PulseError {
  constructor(key: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_CONFIG', `config ${key}: ${message}`, {
      ...options,
      details: { key, ...options.details },
    });
  }
}

/** Thrown when a value does not match its contract (Avro record, HTTP body, CSV row); names the field path. */
export class ValidationError extends PulseError {
  readonly fieldPath: string;
  constructor(fieldPath: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_VALIDATION', fieldPath ? `${fieldPath}: ${message}` : message, {
      ...options,
      details: { field: fieldPath, ...options.details },
    });
    this.fieldPath = fieldPath;
  }
}

/** Thrown when bytes cannot be decoded (bad Avro magic, unknown writer fingerprint, truncated payload). */
export class DecodeError extends PulseError {
  constructor(reason: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_DECODE', message, { ...options, details: { reason, ...options.details } });
  }
}

/** Thrown when a file or CLI argument supplied by the user is unusable (missing file, bad flag value). */
export class InputError extends PulseError {
  constructor(what: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_INPUT', `${what}: ${message}`, { ...options, details: { input: what, ...options.details } });
  }
}

/** Thrown when a write to ClickHouse fails; `retriable` tells whether the sink should back off and retry. */
export class SinkWriteError extends PulseError {
  constructor(table: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_SINK_WRITE', `write to ${table} failed: ${message}`, {
      retriable: true,
      ...options,
      details: { table, ...options.details },
    });
  }
}

/** Thrown when a Kafka produce or admin call fails. */
export class KafkaError extends PulseError {
  constructor(operation: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_KAFKA', `kafka ${operation}: ${message}`, {
      retriable: true,
      ...options,
      details: { operation, ...options.details },
    });
  }
}

/** Thrown when a schema migration cannot be applied. */
export class MigrationError extends PulseError {
  constructor(migration: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_MIGRATION', `migration ${migration}: ${message}`, {
      ...options,
      details: { migration, ...options.details },
    });
  }
}

/** Thrown when a model artefact cannot be loaded or does not match its metadata. */
export class ModelLoadError extends PulseError {
  constructor(version: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_MODEL_LOAD', `model ${version}: ${message}`, {
      ...options,
      details: { version, ...options.details },
    });
  }
}

/** Thrown when a request has no valid credentials (HTTP 401). */
export class AuthError extends PulseError {
  constructor(message = 'missing or invalid API token') {
    super('PULSE_ERR_AUTH', message);
  }
}

/** Thrown when valid credentials lack the scope a route needs (HTTP 403). */
export class ForbiddenError extends PulseError {
  constructor(scope: string) {
    super('PULSE_ERR_FORBIDDEN', `token lacks scope "${scope}"`, { details: { scope } });
  }
}

/** Thrown when a requested entity does not exist (HTTP 404). */
export class NotFoundError extends PulseError {
  constructor(what: string, id: string) {
    super('PULSE_ERR_NOT_FOUND', `${what} ${id} not found`, { details: { what, id } });
  }
}

/** Thrown when a payload exceeds a configured size or batch limit (HTTP 413). */
export class PayloadTooLargeError extends PulseError {
  constructor(limit: number, actual: number, unit: string) {
    super('PULSE_ERR_TOO_LARGE', `payload of ${actual} ${unit} exceeds the limit of ${limit} ${unit}`, {
      details: { limit, actual, unit },
    });
  }
}

/** Thrown by the API when a client exceeds the request rate allowed on a route (HTTP 429). */
export class RateLimitedError extends PulseError {
  constructor(limit: number, windowMs: number, retryAfterMs: number) {
    super('PULSE_ERR_RATE_LIMITED', `rate limit of ${limit} requests per ${windowMs} ms exceeded; retry in ${retryAfterMs} ms`, {
      retriable: true,
      details: { limit, windowMs, retryAfterMs },
    });
  }
}

/** Thrown when a dependency (Kafka, ClickHouse, Docker, model) is not reachable in time (HTTP 503). */
export class UnavailableError extends PulseError {
  constructor(service: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_UNAVAILABLE', `${service} unavailable: ${message}`, {
      retriable: true,
      ...options,
      details: { service, ...options.details },
    });
  }
}

/** Thrown by the local stack (install, start, readiness) with the log file to look at. */
export class StackError extends PulseError {
  constructor(service: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_STACK', `${service}: ${message}`, { ...options, details: { service, ...options.details } });
  }
}

/** Thrown when a Docker build or engine call fails. */
export class DockerError extends PulseError {
  constructor(operation: string, message: string, options: PulseErrorOptions = {}) {
    super('PULSE_ERR_DOCKER', `docker ${operation}: ${message}`, {
      ...options,
      details: { operation, ...options.details },
    });
  }
}

/** Every stable error code with the HTTP status the API maps it to and what it means. */
export const ERROR_CODES: Readonly<Record<string, { status: number; doc: string }>> = {
  PULSE_ERR_CONFIG: { status: 500, doc: 'a config key is unknown or has an invalid value' },
  PULSE_ERR_VALIDATION: { status: 400, doc: 'a value does not match its contract; details.field names it' },
  PULSE_ERR_DECODE: { status: 400, doc: 'bytes are not a decodable Avro single-object message' },
  PULSE_ERR_INPUT: { status: 400, doc: 'a file or CLI argument is unusable' },
  PULSE_ERR_SINK_WRITE: { status: 503, doc: 'a ClickHouse write failed' },
  PULSE_ERR_KAFKA: { status: 503, doc: 'a Kafka produce or admin call failed' },
  PULSE_ERR_MIGRATION: { status: 500, doc: 'a schema migration could not be applied' },
  PULSE_ERR_MODEL_LOAD: { status: 503, doc: 'a model artefact could not be loaded' },
  PULSE_ERR_AUTH: { status: 401, doc: 'missing or invalid API token' },
  PULSE_ERR_FORBIDDEN: { status: 403, doc: 'the token lacks the scope the route needs' },
  PULSE_ERR_NOT_FOUND: { status: 404, doc: 'the requested entity does not exist' },
  PULSE_ERR_TOO_LARGE: { status: 413, doc: 'body or batch exceeds its limit' },
  PULSE_ERR_UNAVAILABLE: { status: 503, doc: 'a dependency is not reachable' },
  PULSE_ERR_RATE_LIMITED: { status: 429, doc: 'too many requests on a rate-limited (write) route; details.retryAfterMs' },
  PULSE_ERR_STACK: { status: 500, doc: 'the local stack failed to install, start or become ready' },
  PULSE_ERR_DOCKER: { status: 502, doc: 'a Docker engine call or build failed' },
  PULSE_ERR_INTERNAL: { status: 500, doc: 'an unexpected error (a bug): see the logs' },
};

/** Wraps anything thrown into a PulseError (unknown errors keep their message under PULSE_ERR_INTERNAL). */
export function asPulseError(err: unknown): PulseError {
  if (err instanceof PulseError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PulseError('PULSE_ERR_INTERNAL', message, { cause: err });
}
