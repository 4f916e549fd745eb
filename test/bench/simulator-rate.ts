/**
 * Ingest benchmarks (numbers only, never a pass/fail threshold):
 *   1. `pulse simulate --pools 4 --rate 5000 --duration 10 --seed 1 --json` as a child process on its
 *      own topic prefix: achieved vs target rate, wall time, CPU of the process.
 *   2. `pulse import builds` of a generated 300k-row CSV: time, rows/s, peak RSS, rejected rows.
 * Usage: npx tsx test/bench/simulator-rate.ts [--json] [--quick|--scale N] [--skip-import]
 */
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger } from '../../common/logger.js';
import { TOPIC_SPECS, topicName } from '../../common/topics.js';
import { writeSampleHistoryCsv } from '../../ingest/import/index.js';
import { createKafka } from '../../sinks/index.js';
import { isolatedConfig, uniqueName } from '../helpers/env.js';
import { benchFlags, progress, r, report } from './lib/bench-io.js';

const ROOT = resolve(import.meta.dirname, '../..');
const flags = benchFlags();
const skipImport = process.argv.includes('--skip-import');
const prefix = uniqueName('bench_ingest');
const config = isolatedConfig(prefix, { logLevel: 'warn' });

interface Child {
  stdout: string;
  wallSec: number;
  cpuSec: number;
  maxRssMb: number;
}

/** Runs the CLI as a child process, sampling its CPU time and peak RSS from /proc. */
function pulse(args: string[]): Promise<Child> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'common/cli/pulse.mjs'), ...args], {
      env: { ...process.env, PULSE_TOPIC_PREFIX: prefix, PULSE_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let cpuSec = 0;
    let maxRssMb = 0;
    const sample = setInterval(() => {
      void import('node:fs/promises').then(async (fs) => {
        const s = await fs.readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => '');
        const status = await fs.readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
        const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
        if (fields.length > 14) cpuSec = (Number(fields[11]) + Number(fields[12])) / 100;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) maxRssMb = Math.max(maxRssMb, Number(hwm[1]) / 1024);
      });
    }, 200);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(sample);
      if (code !== 0) fail(new Error(`pulse ${args.join(' ')} exited with ${code}`));
      else done({ stdout, wallSec: (performance.now() - started) / 1000, cpuSec, maxRssMb });
    });
  });
}

async function main(): Promise<void> {
  const rate = 5000;
  const duration = Math.max(2, Math.round(10 * flags.scale));
  progress(`simulate: --pools 4 --rate ${rate} --duration ${duration} --seed 1 on prefix ${prefix}`);
  const sim = await pulse(['simulate', '--pools', '4', '--rate', String(rate), '--duration', String(duration), '--seed', '1', '--json']);
  const simReport = JSON.parse(sim.stdout) as { events: number; elapsedSec: number; achievedRate: number; topics: Record<string, number> };
  const result: Record<string, unknown> = {
    simulate: {
      targetRate: rate,
      durationSec: duration,
      events: simReport.events,
      sendSec: simReport.elapsedSec,
      achievedRate: simReport.achievedRate,
      ratio: r(simReport.achievedRate / rate, 3),
      processWallSec: r(sim.wallSec, 2),
      processCpuSec: r(sim.cpuSec, 2),
      topics: simReport.topics,
    },
  };
  const human = [
    `simulate: ${simReport.events} events in ${simReport.elapsedSec} s = ${simReport.achievedRate}/s (target ${rate}/s, ${r((100 * simReport.achievedRate) / rate)}%)`,
    `  process: ${r(sim.wallSec, 2)} s wall (incl. start-up), ${r(sim.cpuSec, 2)} s CPU`,
  ];

  if (!skipImport) {
    const rows = Math.round(300_000 * flags.scale);
    const file = join(tmpdir(), `${prefix}-history.csv`);
    progress(`import: generating ${rows} rows into ${file}`);
    const gen = await writeSampleHistoryCsv(file, { rows, seed: 1 });
    const size = (await stat(file)).size;
    progress(`import: pulse import builds (${r(size / 1048576)} MiB)`);
    const imp = await pulse(['import', 'builds', '--input', file, '--json']);
    const impReport = JSON.parse(imp.stdout) as {
      rows: number;
      imported: number;
      rejected: number;
      events: number;
      elapsedSec: number;
      rowsPerSec: number;
      maxRssMb: number;
    };
    await rm(file, { force: true });
    result.import = {
      ...impReport,
      errors: undefined,
      fileMiB: r(size / 1048576),
      badRowsGenerated: gen.bad,
      processWallSec: r(imp.wallSec, 2),
      processCpuSec: r(imp.cpuSec, 2),
    };
    human.push(
      `import: ${impReport.rows} rows (${r(size / 1048576)} MiB) → ${impReport.imported} imported / ${impReport.rejected} rejected (${gen.bad} bad generated), ${impReport.events} events`,
      `  ${impReport.elapsedSec} s = ${impReport.rowsPerSec} rows/s, peak RSS ${impReport.maxRssMb} MiB, ${r(imp.cpuSec, 2)} s CPU`,
    );
  }

  const kafka = createKafka(config, createLogger({ level: 'error' }), 'bench-cleanup');
  const admin = kafka.admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: TOPIC_SPECS.map((t) => topicName(prefix, t.id)) })
    .catch((err: unknown) => progress(`cleanup: ${String(err)}`));
  await admin.disconnect();
  report(flags, result, human);
}

await main();
