/**
 * Structured logging: pino, JSON lines on stderr (stdout stays clean for `--json` output).
 * A logger is created once per process and passed down; modules take `logger.child({ component })`.
 */
import { destination, pino, stdTimeFunctions, type Logger as PinoLogger } from 'pino';

/** The logger type every component receives. */
export type Logger = PinoLogger;

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** Base fields added to every line (e.g. the process role). */
  base?: Record<string, unknown>;
  /** Destination file descriptor (default 2, stderr). */
  fd?: number;
}

/** Creates the process logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? 'info', base: { pid: process.pid, ...options.base }, timestamp: stdTimeFunctions.isoTime },
    destination({ fd: options.fd ?? 2, sync: true }),
  );
}

/** A logger that drops everything (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
