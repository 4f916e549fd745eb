/**
 * What every CLI command receives: lazily built config, logger and metrics (one each per process),
 * and a way to parse command flags into validated values.
 */
import { Option, type Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { InputError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { createOutput, type Output } from './output.js';

/** Shared, lazily created collaborators of one CLI process. */
export interface CliContext {
  config(): Config;
  logger(): Logger;
  metrics(): Metrics;
  /** Output for a command, honouring its `--json` and the global `--quiet`. */
  output(flags: { json?: boolean }): Output;
}

/** Global flags, set on the root program. */
export interface GlobalFlags {
  config?: string;
  logLevel?: string;
  quiet?: boolean;
}

/** Builds the context from the root program's global flags (read at first use). */
export function createCliContext(program: Command): CliContext {
  let config: Config | undefined;
  let logger: Logger | undefined;
  let metrics: Metrics | undefined;
  const globals = (): GlobalFlags => program.opts<GlobalFlags>();
  return {
    config() {
      config ??= loadConfig({ file: globals().config, overrides: { logLevel: globals().logLevel } });
      return config;
    },
    logger() {
      logger ??= createLogger({ level: this.config().logLevel });
      return logger;
    },
    metrics() {
      metrics ??= createMetrics();
      return metrics;
    },
    output(flags) {
      return createOutput({ json: flags.json, quiet: globals().quiet });
    },
  };
}

/** `--json` option shared by every command that reports numbers. */
export function jsonOption(): Option {
  return new Option('--json', 'print the result as one JSON document on stdout');
}

/** Parses an integer flag, throwing an InputError that names the flag. */
export function intFlag(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${name}`, `"${value}" is not an integer in [${min}, ${max}]`);
    return n;
  };
}

/** Parses a number flag, throwing an InputError that names the flag. */
export function numberFlag(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InputError(`--${name}`, `"${value}" is not a number in [${min}, ${max}]`);
    return n;
  };
}
