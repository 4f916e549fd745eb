import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_SPEC, loadConfig, localDockerSocket, redactConfig } from '../../../common/config.js';
import { ConfigError } from '../../../common/errors.js';

const file = (content: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-cfg-'));
  const p = join(dir, 'pulse.json');
  writeFileSync(p, content);
  return p;
};

describe('loadConfig', () => {
  it('uses the local stack defaults when no endpoint is given', () => {
    const c = loadConfig({ env: {} });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.kafka.external).toBe(false);
    expect(c.clickhouse.url).toBe('http://127.0.0.1:8123');
    expect(c.clickhouse.external).toBe(false);
    expect(c.docker.host).toBe(`unix://${localDockerSocket(c.dataDir)}`);
    expect(c.kafka.topicPrefix).toBe('factory');
  });

  it('marks endpoints given by env as external (the stack then starts nothing)', () => {
    const c = loadConfig({
      env: { KAFKA_BROKERS: 'k1:9092, k2:9093', CLICKHOUSE_URL: 'http://ch:8123/', DOCKER_HOST: 'unix:///var/run/docker.sock' },
    });
    expect(c.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(c.kafka.external).toBe(true);
    expect(c.clickhouse.url).toBe('http://ch:8123');
    expect(c.clickhouse.external).toBe(true);
    expect(c.docker.external).toBe(true);
  });

  it.each([
    [{ KAFKA_BROKERS: 'no-port' }, 'kafka.brokers'],
    [{ CLICKHOUSE_URL: 'ftp://x' }, 'clickhouse.url'],
    [{ PULSE_API_PORT: '70000' }, 'api.port'],
    [{ PULSE_API_PORT: 'abc' }, 'api.port'],
    [{ PULSE_LOG_LEVEL: 'loud' }, 'logLevel'],
    [{ PULSE_TOPIC_PREFIX: 'bad prefix' }, 'kafka.topicPrefix'],
    [{ CLICKHOUSE_DATABASE: 'x; DROP' }, 'clickhouse.database'],
    [{ PULSE_NO_SUCH_OPTION: '1' }, 'PULSE_NO_SUCH_OPTION'],
    [{ DOCKER_HOST: 'tcp://203.0.113.5:2375' }, 'docker.host'],
  ])('rejects %o naming %s', (env, key) => {
    let err: unknown;
    try {
      loadConfig({ env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('PULSE_ERR_CONFIG');
    expect((err as ConfigError).message).toContain(key);
  });

  it('reads a config file, env wins over file, flags win over env', () => {
    const p = file(JSON.stringify({ kafka: { topicPrefix: 'fromfile', partitions: 4 }, api: { port: 9000 } }));
    const c = loadConfig({ env: { PULSE_API_PORT: '9100' }, file: p, overrides: { 'kafka.partitions': 5 } });
    expect(c.kafka.topicPrefix).toBe('fromfile');
    expect(c.api.port).toBe(9100);
    expect(c.kafka.partitions).toBe(5);
  });

  it('rejects unknown keys and bad JSON in the file, naming them', () => {
    expect(() => loadConfig({ env: {}, file: file('{"kafka":{"brokerz":"x:1"}}') })).toThrow(/kafka\.brokerz/);
    expect(() => loadConfig({ env: {}, file: file('{not json') })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ env: {}, file: '/nonexistent/pulse.json' })).toThrow(/cannot read config file/);
  });

  it('freezes the result and redacts secrets', () => {
    const c = loadConfig({ env: { CLICKHOUSE_PASSWORD: 's3cret' } });
    expect(Object.isFrozen(c.clickhouse)).toBe(true);
    expect(JSON.stringify(redactConfig(c))).not.toContain('s3cret');
  });

  it('declares every option once with a doc line', () => {
    const keys = CONFIG_SPEC.map((s) => s.key);
    const envs = CONFIG_SPEC.map((s) => s.env);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(envs).size).toBe(envs.length);
    for (const s of CONFIG_SPEC) expect(s.doc.length).toBeGreaterThan(5);
  });

  it('keeps the docker socket path within the unix socket limit', () => {
    expect(localDockerSocket('/tmp/x')).toBe('/tmp/x/docker/docker.sock');
    const deep = `/tmp/${'d'.repeat(120)}`;
    expect(localDockerSocket(deep).length).toBeLessThanOrEqual(100);
    expect(localDockerSocket(deep)).toBe(localDockerSocket(deep));
  });
});

describe('README configuration table', () => {
  it('documents every option by its environment variable', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const s of CONFIG_SPEC) expect(readme, `README lacks ${s.env}`).toContain(`\`${s.env}\``);
  });
});
