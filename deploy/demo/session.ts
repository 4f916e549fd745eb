/**
 * One demo run's set of parts: starts them, remembers the first crash (a part that exits while it is
 * still needed), and stops everything in reverse start order.
 */
import { StackError } from '../../common/errors.js';
import { startChild, type ChildExit, type DemoChild } from './children.js';
import { waitUntilReady, type Probe } from './probes.js';

/** Collaborators of {@link createSession}. */
export interface SessionDeps {
  logDir: string;
  progress: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The running parts of one demo. */
export interface DemoSession {
  /** Starts a long-running part and waits until `probe` says it is ready. */
  service(name: string, args: readonly string[], probe: Probe, readyTimeoutMs?: number): Promise<DemoChild>;
  /** Runs a one-shot task to completion; a non-zero exit is a crash. */
  task(name: string, args: readonly string[]): Promise<ChildExit>;
  /** Resolves with the first crash (never resolves when nothing crashes). */
  readonly crashed: Promise<ChildExit>;
  /** The first crash so far, if any. */
  crash(): ChildExit | undefined;
  /** Stops every part, newest first. */
  stopAll(): Promise<void>;
  /** Last lines of a part's log. */
  tailOf(name: string): string;
}

/** The error thrown for a crashed part (code PULSE_ERR_STACK; exit code 1). */
export function crashError(exit: ChildExit, tailText: string): StackError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return new StackError('demo', `part "${exit.name}" ${how}; see ${exit.log}:\n${tailText}`, {
    details: { part: exit.name, log: exit.log },
  });
}

/** Creates an empty session. */
export function createSession(deps: SessionDeps): DemoSession {
  const children: DemoChild[] = [];
  let closed = false;
  const refuseWhenClosed = (name: string): void => {
    if (closed) throw new StackError('demo', `not starting ${name}: the demo is stopping`);
  };
  let first: ChildExit | undefined;
  let onCrash: (exit: ChildExit) => void = () => undefined;
  const crashed = new Promise<ChildExit>((resolve) => (onCrash = resolve));
  const report = (exit: ChildExit): void => {
    if (first) return;
    first = exit;
    deps.progress(`demo: PART CRASHED: ${exit.name} (${exit.signal ?? `exit code ${exit.code}`}), log ${exit.log}`);
    onCrash(exit);
  };
  return {
    async service(name, args, probe, readyTimeoutMs = 120_000) {
      refuseWhenClosed(name);
      const child = startChild({ name, args, logDir: deps.logDir, env: deps.env }, report);
      children.push(child);
      deps.progress(`demo: starting ${name} (pid ${child.pid}): pulse ${args.join(' ')}`);
      const t0 = Date.now();
      await waitUntilReady(child, probe, readyTimeoutMs);
      deps.progress(`demo: ${name} ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return child;
    },
    async task(name, args) {
      refuseWhenClosed(name);
      const child = startChild({ name, args, logDir: deps.logDir, env: deps.env, oneShot: true }, report);
      children.push(child);
      deps.progress(`demo: running ${name} (pid ${child.pid}): pulse ${args.join(' ')}`);
      const exit = await child.exited;
      if (exit.code !== 0) throw crashError(exit, child.tail());
      deps.progress(`demo: ${name} done`);
      return exit;
    },
    crashed,
    crash: () => first,
    tailOf: (name) => children.find((c) => c.name === name)?.tail() ?? '(no such part)',
    async stopAll() {
      closed = true;
      for (const child of [...children].reverse()) {
        if (!child.running()) continue;
        deps.progress(`demo: stopping ${child.name}`);
        const exit = await child.stop();
        if (exit.code !== 0 && exit.code !== null && exit.signal === null)
          deps.progress(`demo: ${child.name} exited with code ${exit.code} while stopping (log ${child.log})`);
      }
    },
  };
}
