/**
 * Local Docker engine (Debian's docker.io): `dockerd --bridge=none --iptables=false --ip-masq=false`,
 * its own data root and socket under the project data folder; builds use host networking.
 * The base image is a busybox-static rootfs imported with `docker import` (no registry needed).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Docker from 'dockerode';
import { StackError } from '../../common/errors.js';
import { isAlive, livePid, startDetached, waitReady } from './proc.js';
import type { Progress, StackPaths } from './paths.js';

/** Applets linked in the base image; module build steps may use only these. */
export const BASE_IMAGE_APPLETS = [
  'sh',
  'ls',
  'cat',
  'echo',
  'mkdir',
  'dd',
  'head',
  'tail',
  'sleep',
  'true',
  'false',
  'rm',
  'cp',
  'mv',
  'wc',
  'sha256sum',
  'seq',
  'printf',
  'test',
  'yes',
  'tr',
  'sed',
  'awk',
  'gzip',
  'tar',
  'find',
  'xargs',
  'date',
  'env',
  'touch',
  'chmod',
  'ln',
  'du',
  'grep',
  'sort',
  'uniq',
  'cut',
  'expr',
  'md5sum',
];

/** Path of a unix socket from a `unix://` DOCKER_HOST. */
export function socketPath(host: string): string {
  if (!host.startsWith('unix://')) throw new StackError('docker', `only unix:// hosts are supported here, got ${host}`);
  return host.slice('unix://'.length);
}

/** Starts dockerd unless our pid is alive. */
export function startDocker(paths: StackPaths): number {
  if (paths.dockerSocket.length > 100)
    throw new StackError(
      'docker',
      `socket path ${paths.dockerSocket} is too long for a unix socket; set PULSE_DATA_DIR to a shorter folder`,
    );
  mkdirSync(paths.dockerRoot, { recursive: true });
  mkdirSync(paths.dockerExec, { recursive: true });
  mkdirSync(dirname(paths.dockerSocket), { recursive: true });
  return (
    livePid(paths.dockerPid) ??
    startDetached({
      service: 'docker',
      command: '/usr/sbin/dockerd',
      args: [
        '--bridge=none',
        '--iptables=false',
        '--ip-masq=false',
        '--ip6tables=false',
        `--data-root=${paths.dockerRoot}`,
        `--exec-root=${paths.dockerExec}`,
        `--pidfile=${join(paths.dockerExec, 'dockerd.pid')}`,
        `--host=unix://${paths.dockerSocket}`,
      ],
      pidFile: paths.dockerPid,
      logFile: paths.dockerLog,
    })
  );
}

/** `docker info`; resolves with the server version. */
export async function probeDocker(host: string): Promise<string> {
  const docker = new Docker({ socketPath: socketPath(host), timeout: 3000 });
  const info = (await docker.info()) as { ServerVersion?: string };
  return info.ServerVersion ?? 'unknown';
}

/** Waits until `docker info` answers. */
export function waitDocker(host: string, timeoutMs: number, logFile: string, pid?: number): Promise<string> {
  return waitReady('docker', () => probeDocker(host), timeoutMs, logFile, pid === undefined ? undefined : () => isAlive(pid));
}

/** Imports the busybox-static base image unless the engine has it already. */
export async function ensureBaseImage(host: string, image: string, progress: Progress): Promise<void> {
  const docker = new Docker({ socketPath: socketPath(host) });
  try {
    await docker.getImage(image).inspect();
    return;
  } catch {
    // not there yet: import below
  }
  progress(`importing base image ${image} (busybox-static rootfs)`);
  const root = mkdtempSync(join(tmpdir(), 'pulse-rootfs-'));
  try {
    for (const d of ['bin', 'tmp', 'etc', 'opt', 'var', 'work']) mkdirSync(join(root, d), { recursive: true });
    copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const a of BASE_IMAGE_APPLETS) symlinkSync('busybox', join(root, 'bin', a));
    const r = spawnSync('sh', ['-c', `tar -C "${root}" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - ${image}`], {
      env: { ...process.env, DOCKER_HOST: `unix://${socketPath(host)}` },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new StackError('docker', `docker import of ${image} failed: ${r.stderr}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
