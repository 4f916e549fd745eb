/** Runs `pulse process` as a child process (the real CLI), for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Config } from '../../../../common/config.js';

const CLI = resolve(new URL('../../../../common/cli/pulse.mjs', import.meta.url).pathname);

/** A running child and its collected stderr. */
export interface Child {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns `node common/cli/pulse.mjs process --only features` against `config`'s topics and database. */
export function spawnProcessor(config: Config, groupId: string): Child {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULSE_TOPIC_PREFIX: config.kafka.topicPrefix,
    CLICKHOUSE_DATABASE: config.clickhouse.database,
    PULSE_PROCESSOR_GROUP: groupId,
    PULSE_FLUSH_INTERVAL_MS: String(config.processor.flushIntervalMs),
    PULSE_SESSION_TIMEOUT_MS: String(config.processor.sessionTimeoutMs),
    PULSE_LOG_LEVEL: 'warn',
  };
  const proc = spawn(process.execPath, [CLI, 'process', '--only', 'features', '--quiet'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  return { proc, stderr: () => err, exited };
}

/** SIGKILLs a child and waits for it to be gone. */
export async function killHard(child: Child): Promise<void> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await child.exited;
}
