/**
 * Policy benchmark (acceptance of issue 11), run with `npx tsx test/bench/policies.ts [--json] [--record]`:
 * on the fleet simulator trace (diurnal + bursts) and on the trace built from real docker build timings
 * (api/pool-sim/data/docker-recording.json, or measured now with --record), prints predictive vs reactive
 * p95 queue wait at equal or lower executor-hours, and predictive-warm's hit ratio vs belady and lru.
 */
import { compareOnTrace, formatComparison, type TraceComparison } from '../../api/pool-sim/compare.js';
import { generateFleetTrace } from '../../api/pool-sim/trace-fleet.js';
import { DEFAULT_RECORDING, readRecording, recordDockerTimings, traceFromRecording } from '../../api/pool-sim/trace-docker.js';
import { loadConfig } from '../../common/config.js';
import { createLogger } from '../../common/logger.js';

const json = process.argv.includes('--json');
const progress = (m: string): void => void process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  const results: TraceComparison[] = [];
  results.push(compareOnTrace(generateFleetTrace(), {}, progress));
  let recording;
  if (process.argv.includes('--record')) {
    const config = loadConfig({});
    recording = await recordDockerTimings({
      dockerHost: config.docker.host,
      baseImage: config.docker.baseImage,
      logger: createLogger({ level: 'warn' }),
      progress,
    });
  } else {
    recording = await readRecording(DEFAULT_RECORDING);
  }
  results.push(compareOnTrace(traceFromRecording(recording), { hitCostRatio: Math.max(0.01, recording.hitCostRatio) }, progress));
  process.stdout.write(json ? `${JSON.stringify(results, null, 2)}\n` : `${formatComparison(results)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
