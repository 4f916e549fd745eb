/**
 * The demo's child processes: each part runs as its own `node common/cli/pulse.mjs <command>` process,
 * as in production, logging to `<dataDir>/logs/demo/<name>.log`. A child that exits while the demo
 * still needs it is a crash, reported to the demo (which then fails loudly with the log's tail).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from '../../common/retry.js';
import { tail } from '../stack/proc.js';

/** The `pulse` entry point run by every child. */
export const PULSE_BIN = resolve(new URL('../../common/cli/pulse.mjs', import.meta.url).pathname);

/** How a child ended. */
export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the demo asked it to stop (or it is a one-shot task that finished). */
  expected: boolean;
  log: string;
}

/** One running part. */
export interface DemoChild {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ChildExit>;
  /** True while the process runs. */
  running(): boolean;
  /**
   * SIGTERM to its process group; a second SIGTERM after half of `graceMs` (parts such as the agent
   * finish running work on the first and cancel it on the second); SIGKILL after `graceMs`.
   * Resolves when it has exited.
   */
  stop(graceMs?: number): Promise<ChildExit>;
  /** Last lines of its log. */
  tail(lines?: number): string;
}

/** Options of {@link startChild}. */
export interface StartChildOptions {
  name: string;
  /** Arguments after `pulse` (command, flags). */
  args: readonly string[];
  logDir: string;
  env?: NodeJS.ProcessEnv;
  /** A one-shot task: exiting with code 0 is expected, not a crash. */
  oneShot?: boolean;
}

/** Starts a part; `onUnexpectedExit` is called when it exits without being asked to (or a one-shot task fails). */
export function startChild(o: StartChildOptions, onUnexpectedExit: (exit: ChildExit) => void): DemoChild {
  mkdirSync(o.logDir, { recursive: true });
  const log = join(o.logDir, `${o.name}.log`);
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    // Own process group: Ctrl-C in the terminal reaches only the demo, which then stops the parts in order.
    child = spawn(process.execPath, [PULSE_BIN, ...o.args], { detached: true, stdio: ['ignore', fd, fd], env: o.env ?? process.env });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid ?? -1;
  let stopping = false;
  let alive = pid > 0;
  const exited = new Promise<ChildExit>((resolveExit) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      alive = false;
      const expected = stopping || (o.oneShot === true && code === 0);
      const exit: ChildExit = { name: o.name, code, signal, expected, log };
      if (!expected) onUnexpectedExit(exit);
      resolveExit(exit);
    };
    child.once('exit', done);
    child.once('error', () => done(null, null));
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch (err) {
      // ESRCH: the group is already gone.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  return {
    name: o.name,
    pid,
    log,
    exited,
    running: () => alive,
    async stop(graceMs = 20_000) {
      stopping = true;
      const within = (ms: number): Promise<boolean> => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
      if (alive) {
        signalGroup('SIGTERM');
        if (!(await within(graceMs / 2)) && alive) {
          signalGroup('SIGTERM');
          if (!(await within(graceMs / 2)) && alive) signalGroup('SIGKILL');
        }
      }
      const exit = await exited;
      // Grandchildren (e.g. a Docker build helper) that outlived the part.
      signalGroup('SIGKILL');
      return exit;
    },
    tail: (lines = 20) => tail(log, lines),
  };
}
