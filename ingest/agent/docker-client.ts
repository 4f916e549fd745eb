/** dockerode client for the configured engine. */
import Docker from 'dockerode';
import type { Config } from '../../common/config.js';

/** A dockerode client for `config.docker.host` (`unix:///path` or `tcp://127.0.0.1:PORT`). */
export function dockerFromConfig(config: Config): Docker {
  const host = config.docker.host;
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port), protocol: 'http' });
}
