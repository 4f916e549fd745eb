import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isAlive, livePid, processStartTime, stopByPidFile, writePidFile } from '../../../deploy/stack/proc.js';

const dir = mkdtempSync(join(tmpdir(), 'pulse-pids-'));
const children: ChildProcess[] = [];

function sleeper(): number {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('could not start sleep');
  return child.pid;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stack pid files', () => {
  it('record the pid with its start time and find that process again', () => {
    const pid = sleeper();
    const file = join(dir, 'a.pid');
    writePidFile(file, pid);
    expect(processStartTime(pid)).toMatch(/^\d+$/);
    expect(livePid(file)).toBe(pid);
  });

  it('never take a live process with another start time (a reused pid) for ours, and never stop it', async () => {
    const pid = sleeper();
    const file = join(dir, 'reused.pid');
    writeFileSync(file, `${pid} 1\n`);
    expect(livePid(file)).toBeUndefined();
    writeFileSync(file, `${pid} 1\n`);
    await expect(stopByPidFile(file, 500)).resolves.toBe(false);
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('stop the recorded process and remove the file', async () => {
    const pid = sleeper();
    const file = join(dir, 'stop.pid');
    writePidFile(file, pid);
    await expect(stopByPidFile(file, 2000)).resolves.toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('read files of older runs (pid only) and drop files of dead processes', () => {
    const pid = sleeper();
    const file = join(dir, 'old.pid');
    writeFileSync(file, `${pid}\n`);
    expect(livePid(file)).toBe(pid);
    const child = children[0];
    child?.kill('SIGKILL');
    writeFileSync(file, 'not-a-pid\n');
    expect(livePid(file)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });
});
