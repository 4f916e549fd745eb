/**
 * Background processes of the local stack: started detached with a pid file and a log file,
 * so `stack down` stops exactly what `stack up` started, and a half-started run can be recovered.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleep } from '../../common/retry.js';
import { StackError } from '../../common/errors.js';

/** True when a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

/**
 * The kernel's start time of a process (clock ticks since boot, field 22 of /proc/PID/stat), or undefined
 * when it cannot be read. Together with the pid it names one process: a pid the kernel has reused for
 * another program after a reboot or a crash has a different start time.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in `pidFile` if that very process is still alive, else undefined (a stale file is
 * removed). The file holds the pid and the process's start time, so a pid reused by an unrelated
 * process is never taken for ours (and `stack down` never stops it).
 */
export function livePid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const [pidText = '', started] = readFileSync(pidFile, 'utf8').trim().split(/\s+/);
  const pid = Number(pidText);
  const same = started === undefined || processStartTime(pid) === started;
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && same) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}

/** Records `pid` (and its start time) in `pidFile`, the form {@link livePid} reads. */
export function writePidFile(pidFile: string, pid: number): void {
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, `${pid} ${processStartTime(pid) ?? ''}`.trim() + '\n');
}

/** Options for {@link startDetached}. */
export interface StartOptions {
  service: string;
  command: string;
  args: readonly string[];
  pidFile: string;
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts a long-running process detached from this one, logging to `logFile`; returns its pid. */
export function startDetached(o: StartOptions): number {
  mkdirSync(dirname(o.logFile), { recursive: true });
  const fd = openSync(o.logFile, 'a');
  try {
    const child = spawn(o.command, [...o.args], {
      cwd: o.cwd,
      env: o.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new StackError(o.service, `could not start ${o.command}; see ${o.logFile}`);
    child.unref();
    writePidFile(o.pidFile, child.pid);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Stops the process in `pidFile`: SIGTERM, then SIGKILL after `graceMs`. Returns true if one was running. */
export async function stopByPidFile(pidFile: string, graceMs = 20_000): Promise<boolean> {
  const pid = livePid(pidFile);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  rmSync(pidFile, { force: true });
  return true;
}

/** Runs a command to completion; throws a StackError with its output when it fails. */
export function runChecked(
  service: string,
  command: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer } = {},
): string {
  const r = spawnSync(command, [...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new StackError(service, `cannot run ${command}: ${r.error.message}`, { cause: r.error });
  if (r.status !== 0)
    throw new StackError(service, `${command} ${args.join(' ')} exited with ${r.status}:\n${(r.stderr || r.stdout).slice(-2000)}`);
  return r.stdout;
}

/** Last lines of a log file, for error messages. */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

/** Polls `probe` until it returns a value or `timeoutMs` passes; then throws a StackError pointing at `logFile`. */
export async function waitReady<T>(
  service: string,
  probe: () => Promise<T>,
  timeoutMs: number,
  logFile: string,
  alive?: () => boolean,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await probe();
    } catch (err) {
      last = err;
    }
    if (alive && !alive())
      throw new StackError(service, `process exited during start-up; see ${logFile}:\n${tail(logFile)}`, { details: { log: logFile } });
    await sleep(500);
  }
  throw new StackError(
    service,
    `not ready after ${timeoutMs} ms (${last instanceof Error ? last.message : String(last)}); see ${logFile}:\n${tail(logFile)}`,
    {
      cause: last,
      details: { log: logFile },
    },
  );
}
