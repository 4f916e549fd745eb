/** Where the local stack keeps its files: everything under one data folder (git-ignored). */
import { join, resolve } from 'node:path';
import { localDockerSocket } from '../../common/config.js';

/** A progress callback (one line per step). */
export type Progress = (message: string) => void;

/** File layout of the local stack. */
export interface StackPaths {
  dataDir: string;
  deployDir: string;
  logs: string;
  run: string;
  kafkaLibs: string;
  kafkaData: string;
  kafkaConfig: string;
  kafkaLog: string;
  kafkaPid: string;
  clickhouseData: string;
  clickhouseConfigDir: string;
  clickhouseLog: string;
  clickhousePid: string;
  dockerRoot: string;
  dockerExec: string;
  dockerSocket: string;
  dockerLog: string;
  dockerPid: string;
}

/** Layout under `dataDir`. */
export function stackPaths(dataDir: string): StackPaths {
  const d = resolve(dataDir);
  const logs = join(d, 'logs');
  const run = join(d, 'run');
  return {
    dataDir: d,
    deployDir: resolve(new URL('..', import.meta.url).pathname),
    logs,
    run,
    kafkaLibs: join(d, 'kafka', 'libs'),
    kafkaData: join(d, 'kafka', 'data'),
    kafkaConfig: join(d, 'kafka', 'server.properties'),
    kafkaLog: join(logs, 'kafka.log'),
    kafkaPid: join(run, 'kafka.pid'),
    clickhouseData: join(d, 'clickhouse'),
    clickhouseConfigDir: join(d, 'clickhouse-etc'),
    clickhouseLog: join(logs, 'clickhouse.log'),
    clickhousePid: join(run, 'clickhouse.pid'),
    dockerRoot: join(d, 'docker', 'root'),
    dockerExec: join(d, 'docker', 'exec'),
    dockerSocket: localDockerSocket(d),
    dockerLog: join(logs, 'dockerd.log'),
    dockerPid: join(run, 'dockerd.pid'),
  };
}
