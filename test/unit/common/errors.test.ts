import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../../../common/errors.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (['node_modules', '.pulse-data', '.git', 'test'].includes(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('error codes', () => {
  it('every code used in the sources is declared in ERROR_CODES, with a doc and an HTTP status', () => {
    const used = new Set<string>();
    for (const f of sourceFiles(ROOT)) for (const m of readFileSync(f, 'utf8').matchAll(/'(PULSE_ERR_[A-Z_]+)'/g)) used.add(m[1] ?? '');
    for (const code of used) {
      expect(errors.ERROR_CODES[code], `${code} is used but not in ERROR_CODES`).toBeDefined();
      expect(errors.ERROR_CODES[code]?.doc.length).toBeGreaterThan(5);
      expect(errors.ERROR_CODES[code]?.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('each error class has its own code', () => {
    const instances: errors.PulseError[] = [
      new errors.ConfigError('k', 'm'),
      new errors.ValidationError('a.b', 'm'),
      new errors.DecodeError('r', 'm'),
      new errors.InputError('--x', 'm'),
      new errors.SinkWriteError('t', 'm'),
      new errors.KafkaError('op', 'm'),
      new errors.MigrationError('1', 'm'),
      new errors.ModelLoadError('v', 'm'),
      new errors.AuthError(),
      new errors.ForbiddenError('write'),
      new errors.NotFoundError('pool', 'x'),
      new errors.PayloadTooLargeError(1, 2, 'bytes'),
      new errors.UnavailableError('kafka', 'm'),
      new errors.StackError('kafka', 'm'),
      new errors.DockerError('build', 'm'),
    ];
    const codes = instances.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of instances) {
      expect(e).toBeInstanceOf(errors.PulseError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(e.constructor.name);
    }
  });

  it('every code is documented in the README error table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const code of Object.keys(errors.ERROR_CODES)) expect(readme, `README lacks ${code}`).toContain(code);
  });

  it('carries details, cause and retriability', () => {
    const cause = new Error('boom');
    const e = new errors.ValidationError('combination.2', 'bad item', { cause });
    expect(e.fieldPath).toBe('combination.2');
    expect(e.details.field).toBe('combination.2');
    expect(e.cause).toBe(cause);
    expect(e.retriable).toBe(false);
    expect(new errors.SinkWriteError('t', 'x').retriable).toBe(true);
    expect(errors.asPulseError(new TypeError('x')).code).toBe('PULSE_ERR_INTERNAL');
    expect(e.toJSON()).toEqual({ code: 'PULSE_ERR_VALIDATION', message: 'combination.2: bad item', details: { field: 'combination.2' } });
  });
});
