/**
 * Resource sampling of the executor host from /proc: CPU utilisation (busy share of all cores between two
 * samples of /proc/stat), memory (/proc/meminfo: total − available), disk and network throughput
 * (/proc/diskstats, /proc/net/dev deltas). Builds run as containers on this host's engine with host
 * networking, so the host's numbers are the executor's. Parsers are pure and exported for unit tests.
 */
import { readFile } from 'node:fs/promises';
import { sleep } from '../../common/retry.js';

/** One sample, rates over the time since the previous sample. */
export interface ResourceSample {
  /** 0..1 of all cores. */
  cpuUtil: number;
  /** 0..1. */
  memoryUtil: number;
  memoryBytes: number;
  diskReadBps: number;
  diskWriteBps: number;
  netRxBps: number;
  netTxBps: number;
  /** 1-minute load average. */
  load1: number;
}

/** Jiffies of all CPUs: busy and total. */
export function parseProcStat(text: string): { busy: number; total: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return { busy: 0, total: 0 };
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/** Memory total and available, bytes. */
export function parseMeminfo(text: string): { total: number; available: number } {
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  const total = kb('MemTotal');
  const available = kb('MemAvailable') || kb('MemFree') + kb('Buffers') + kb('Cached');
  return { total, available };
}

const DISK_RE = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/;

/** Bytes read and written by whole disks (partitions and virtual devices skipped). */
export function parseDiskstats(text: string): { read: number; written: number } {
  let read = 0;
  let written = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !DISK_RE.test(f[2] ?? '')) continue;
    read += Number(f[5] ?? 0) * 512;
    written += Number(f[9] ?? 0) * 512;
  }
  return { read, written };
}

/** Bytes received and sent on every interface but loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n')) {
    const [name, rest] = line.split(':');
    if (rest === undefined || name === undefined || name.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return { rx, tx };
}

/** Samples the host. */
export interface ResourceSampler {
  sample(): Promise<ResourceSample>;
}

/** Dependencies of {@link createResourceSampler} (both default to the real host). */
export interface ResourceSamplerDeps {
  read?: (path: string) => Promise<string>;
  clock?: () => number;
}

interface Counters {
  at: number;
  cpu: { busy: number; total: number };
  disk: { read: number; written: number };
  net: { rx: number; tx: number };
}

const FIRST_WINDOW_MS = 250;

/** Creates a sampler; rates cover the time since the previous sample (the first one waits 250 ms). */
export function createResourceSampler(deps: ResourceSamplerDeps = {}): ResourceSampler {
  const read = deps.read ?? ((p: string) => readFile(p, 'utf8'));
  const now = deps.clock ?? Date.now;
  const optional = async (path: string): Promise<string> => read(path).catch(() => '');
  const counters = async (): Promise<Counters> => ({
    at: now(),
    cpu: parseProcStat(await read('/proc/stat')),
    disk: parseDiskstats(await optional('/proc/diskstats')),
    net: parseNetDev(await optional('/proc/net/dev')),
  });
  let previous: Counters | undefined;

  return {
    async sample() {
      if (!previous) {
        previous = await counters();
        await sleep(FIRST_WINDOW_MS);
      }
      const before = previous;
      const after = await counters();
      previous = after;
      const mem = parseMeminfo(await read('/proc/meminfo'));
      const load1 = Number((await optional('/proc/loadavg')).split(' ')[0]) || 0;
      const seconds = Math.max(0.001, (after.at - before.at) / 1000);
      const dTotal = after.cpu.total - before.cpu.total;
      const rate = (a: number, b: number): number => Math.max(0, (a - b) / seconds);
      return {
        cpuUtil: dTotal > 0 ? Math.min(1, Math.max(0, (after.cpu.busy - before.cpu.busy) / dTotal)) : 0,
        memoryUtil: mem.total > 0 ? (mem.total - mem.available) / mem.total : 0,
        memoryBytes: Math.max(0, mem.total - mem.available),
        diskReadBps: rate(after.disk.read, before.disk.read),
        diskWriteBps: rate(after.disk.written, before.disk.written),
        netRxBps: rate(after.net.rx, before.net.rx),
        netTxBps: rate(after.net.tx, before.net.tx),
        load1,
      };
    },
  };
}
