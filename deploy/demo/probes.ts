/** Readiness probes for the demo's parts: each resolves when the part is ready and throws on timeout. */
import { readFileSync } from 'node:fs';
import { StackError } from '../../common/errors.js';
import { sleep } from '../../common/retry.js';
import type { DemoChild } from './children.js';

/** Resolves when the part is ready. */
export type Probe = (child: DemoChild) => Promise<void>;

/** Ready when the process is still running after `ms` (parts with no better signal). */
export function aliveFor(ms: number): Probe {
  return async (child) => {
    await sleep(ms);
    if (!child.running()) throw new StackError('demo', `${child.name} exited during start-up; see ${child.log}:\n${child.tail()}`);
  };
}

/** Ready when `url` answers 2xx. */
export function httpOk(url: string): Probe {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    if (!res.ok) throw new StackError('demo', `${url} answered ${res.status}`);
  };
}

/** Ready when the part's log has a line matching `re`. */
export function logMatches(re: RegExp): Probe {
  return (child) => {
    let text = '';
    try {
      text = readFileSync(child.log, 'utf8');
    } catch (err) {
      throw new StackError('demo', `cannot read ${child.log}: ${(err as Error).message}`);
    }
    if (!re.test(text))
      return Promise.reject(new StackError('demo', `${child.name} not ready yet (waiting for ${re.source} in ${child.log})`));
    return Promise.resolve();
  };
}

/** Polls `probe` until it passes, the child exits (crash), or `timeoutMs` passes. */
export async function waitUntilReady(child: DemoChild, probe: Probe, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (!child.running()) throw new StackError('demo', `${child.name} exited during start-up; see ${child.log}:\n${child.tail()}`);
    try {
      await probe(child);
      return;
    } catch (err) {
      last = err;
    }
    await sleep(500);
  }
  throw new StackError(
    'demo',
    `${child.name} not ready after ${timeoutMs} ms (${last instanceof Error ? last.message : String(last)}); see ${child.log}:\n${child.tail()}`,
  );
}
