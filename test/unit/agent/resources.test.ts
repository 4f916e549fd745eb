// /proc parsers and the sampler's rates, fed with recorded /proc text.
import { describe, expect, it } from 'vitest';
import { createResourceSampler, parseDiskstats, parseMeminfo, parseNetDev, parseProcStat } from '../../../ingest/agent/resources.js';

const stat = (user: number, idle: number) => `cpu  ${user} 0 100 ${idle} 10 0 5 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2 3\n`;
const meminfo = 'MemTotal:       24680000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\nBuffers:          100 kB\n';
const diskstats = [
  '   8       0 sda 100 0 2000 0 50 0 4000 0 0 0 0 0 0 0 0 0 0',
  '   8       1 sda1 90 0 1800 0 40 0 3000 0 0 0 0 0 0 0 0 0 0',
  '   7       0 loop0 5 0 10 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
  ' 259       0 nvme0n1 1 0 8 0 1 0 16 0 0 0 0 0 0 0 0 0 0',
].join('\n');
const netdev = `Inter-|   Receive |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 999999 10 0 0 0 0 0 0 999999 10 0 0 0 0 0 0
  eth0: 1000 10 0 0 0 0 0 0 500 5 0 0 0 0 0 0
`;

describe('/proc parsers', () => {
  it('reads cpu jiffies, memory, whole-disk bytes and non-loopback network bytes', () => {
    expect(parseProcStat(stat(300, 1000))).toEqual({ busy: 405, total: 1415 });
    expect(parseMeminfo(meminfo)).toEqual({ total: 24680000 * 1024, available: 20000000 * 1024 });
    expect(parseDiskstats(diskstats)).toEqual({ read: (2000 + 8) * 512, written: (4000 + 16) * 512 });
    expect(parseNetDev(netdev)).toEqual({ rx: 1000, tx: 500 });
    expect(parseProcStat('garbage')).toEqual({ busy: 0, total: 0 });
  });

  it('computes utilisation and rates between two samples', async () => {
    const files: Record<string, string[]> = {
      '/proc/stat': [stat(300, 1000), stat(600, 1100), stat(600, 1100)],
      '/proc/diskstats': [diskstats, diskstats.replace('sda 100 0 2000', 'sda 100 0 4000')],
      '/proc/net/dev': [netdev, netdev.replace('eth0: 1000', 'eth0: 3000')],
    };
    let t = 0;
    const sampler = createResourceSampler({
      read: (p) => {
        if (p === '/proc/meminfo') return Promise.resolve(meminfo);
        if (p === '/proc/loadavg') return Promise.resolve('1.50 1.00 0.50 2/300 1234');
        const list = files[p];
        return list && list.length > 0
          ? Promise.resolve(list.length > 1 ? (list.shift() as string) : (list[0] as string))
          : Promise.reject(new Error('ENOENT'));
      },
      clock: () => (t += 1000),
    });
    const s = await sampler.sample();
    expect(s.cpuUtil).toBeCloseTo(300 / 400);
    expect(s.memoryBytes).toBe((24680000 - 20000000) * 1024);
    expect(s.memoryUtil).toBeCloseTo((24680000 - 20000000) / 24680000);
    expect(s.diskReadBps).toBe(2000 * 512);
    expect(s.netRxBps).toBe(2000);
    expect(s.load1).toBe(1.5);
  });
});
