/**
 * `npm run bench [-- --json] [-- --quick] [-- --only NAME,...]`: runs every benchmark script in this folder
 * one after another (each measures a candidate and its reference in the same run), prints a table of the
 * figures, and with --json one object holding all of them. A benchmark never fails on a threshold; the
 * exit code is 1 only when a benchmark could not run at all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

/** A benchmark script and what it compares. */
interface Bench {
  name: string;
  script: string;
  what: string;
  /** Extra arguments of the script. */
  args?: readonly string[];
}

const BENCHES: readonly Bench[] = [
  { name: 'processor', script: 'processor.ts', what: 'pulse process vs Kafka Streams vs bare kafkajs; Avro decode' },
  { name: 'sink', script: 'sink.ts', what: 'ClickHouse sink vs bare client.insert' },
  { name: 'freshness', script: 'freshness.ts', what: 'produce → feature row visible, p50/p99 at several rates' },
  { name: 'simulator', script: 'simulator-rate.ts', what: 'pulse simulate sustained rate vs target' },
  { name: 'api', script: 'api.ts', what: '/v1/predict vs bare fastify route (autocannon)' },
  { name: 'models', script: 'models.ts', what: 'batch scoring rows/s, one-row latency, training time' },
  {
    name: 'model-quality',
    script: 'models.ts',
    args: ['--quality'],
    what: 'models vs last-5 median / previous outcome on the fleet simulator (fixed seed): hold-out and backtest',
  },
  { name: 'policies', script: 'policies.ts', what: 'predictive vs reactive scaling; predictive-warm vs lru vs belady' },
  { name: 'cache-warm', script: 'cache-warm.ts', what: 'real build hit ratio and time before/after a cache-warm directive' },
];

/**
 * The JSON document a script printed last (an array is returned as `{ rows }`): its whole stdout when
 * that is one (pretty-printed) document, else its last line (scripts may print progress on stdout before it). Undefined when neither parses.
 */
function lastJsonDocument(stdout: string): Record<string, unknown> | undefined {
  const text = stdout.trim();
  for (const candidate of [
    text,
    text.slice(Math.max(text.lastIndexOf('\n{'), text.lastIndexOf('\n[')) + 1),
    text.split('\n').pop() ?? '',
  ]) {
    try {
      const v: unknown = JSON.parse(candidate);
      if (Array.isArray(v)) return { rows: v as unknown[] };
      if (v !== null && typeof v === 'object') return v as Record<string, unknown>;
    } catch {
      // not this candidate: try the next
    }
  }
  return undefined;
}

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const passThrough = argv.filter((a) => a === '--quick' || a.startsWith('--scale'));
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? new Set((argv[onlyIdx + 1] ?? '').split(',')) : undefined;
if (only)
  for (const n of only)
    if (!BENCHES.some((b) => b.name === n))
      throw new Error(`--only: unknown benchmark "${n}" (known: ${BENCHES.map((b) => b.name).join(', ')})`);

const here = import.meta.dirname;
const results: Record<string, unknown> = {};
let failed = 0;
for (const b of BENCHES) {
  if (only && !only.has(b.name)) continue;
  const file = resolve(here, b.script);
  if (!existsSync(file)) {
    results[b.name] = { error: 'not available in this build' };
    continue;
  }
  process.stderr.write(`\n== ${b.name}: ${b.what}\n`);
  const t0 = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, ...(b.args ?? []), '--json', ...passThrough], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  });
  const parsed = lastJsonDocument(run.stdout);
  if (parsed) results[b.name] = { ...parsed, wallSeconds: Math.round((Date.now() - t0) / 100) / 10 };
  else {
    failed++;
    results[b.name] = { error: `exit ${run.status ?? run.signal}: ${run.stdout.trim().slice(-300)}` };
  }
}

const machine = {
  date: new Date().toISOString().slice(0, 10),
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
if (json) process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
else {
  process.stdout.write(
    `\nbenchmarks on ${machine.date}, ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}\n`,
  );
  for (const [name, r] of Object.entries(results)) process.stdout.write(`\n${name}\n${JSON.stringify(r, null, 2)}\n`);
}
process.exitCode = failed > 0 ? 1 : 0;
