import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '../../../sinks/index.js';
import { silentLogger } from '../../../common/logger.js';
import { loadConfig } from '../../../common/config.js';
import { dashboardPlugin } from '../../../api/dashboard/index.js';
import { STATIC_FILES } from '../../../api/dashboard/static-files.js';

// Static routes and input validation never touch ClickHouse: a client whose every use fails proves it.
const unusedClickHouse = new Proxy({} as ClickHouseClient, {
  get: () => {
    throw new Error('ClickHouse must not be used by this route');
  },
});

async function app() {
  const a = Fastify();
  await a.register(dashboardPlugin, { clickhouse: unusedClickHouse, config: loadConfig({ overrides: {} }), logger: silentLogger() });
  return a;
}

describe('dashboard routes', () => {
  it('serves the page and its files with their content types, and nothing else', async () => {
    const a = await app();
    const page = await a.inject('/dashboard');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/dashboard/static/app.js');
    for (const name of Object.keys(STATIC_FILES).filter((n) => n !== 'index.html')) {
      const url = `/dashboard/static/${name.replace('vendor/', '')}`;
      const res = await a.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe(STATIC_FILES[name]);
    }
    expect((await a.inject('/dashboard/static/..%2Fplugin.ts')).statusCode).toBe(404);
    expect((await a.inject('/dashboard/static/index.html')).statusCode).toBe(404);
    await a.close();
  });

  it('references no external asset', async () => {
    const a = await app();
    for (const name of Object.keys(STATIC_FILES)) {
      const url = name === 'index.html' ? '/dashboard' : `/dashboard/static/${name.replace('vendor/', '')}`;
      const body = (await a.inject(url)).body;
      expect(body, name).not.toMatch(/(src|href)\s*=\s*["']https?:/i);
      expect(body, name).not.toMatch(/@import|url\(\s*["']?https?:/i);
    }
    await a.close();
  });

  it('rejects an unknown range with 400 before any query', async () => {
    const a = await app();
    expect((await a.inject('/dashboard/api/snapshot?range=1y')).statusCode).toBe(400);
    expect((await a.inject('/dashboard/events?range=bogus')).statusCode).toBe(400);
    await a.close();
  });
});
