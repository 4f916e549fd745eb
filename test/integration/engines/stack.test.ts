// The local stack CLI: status --json shows all three services with versions; a second `stack up` is a no-op.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackStatus } from '../../../deploy/index.js';

const CLI = resolve(import.meta.dirname, '../../../common/cli/pulse.mjs');
const run = (...args: string[]): string => execFileSync('node', [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('pulse stack', () => {
  it('status --json reports kafka, clickhouse and docker up (or external) with versions', () => {
    const s = JSON.parse(run('stack', 'status', '--json')) as StackStatus;
    expect(s.services.map((x) => x.name).sort()).toEqual(['clickhouse', 'docker', 'kafka']);
    for (const x of s.services) {
      expect(['up', 'external']).toContain(x.state);
      expect(x.version).toBeTruthy();
    }
  });

  it('a second stack up changes nothing (same pids, still ready)', () => {
    const before = JSON.parse(run('stack', 'status', '--json')) as StackStatus;
    const after = JSON.parse(run('stack', 'up', '--json', '--quiet')) as StackStatus;
    expect(after.services.map((x) => [x.name, x.state, x.pid])).toEqual(before.services.map((x) => [x.name, x.state, x.pid]));
  });
});
