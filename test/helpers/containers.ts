/**
 * testcontainers, for machines without the local stack: starts a container from a LOCALLY available image
 * (no registry is reachable here), on the host network, with Ryuk disabled. Environment endpoints and
 * the local stack come first; this helper is for extra services a test needs (e.g. a throwaway HTTP peer).
 */
import Docker from 'dockerode';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { Config } from '../../common/config.js';
import { socketPath } from '../../deploy/index.js';

/** Options for {@link startLocalContainer}. */
export interface LocalContainerOptions {
  image: string;
  command: string[];
  /** A log line that tells the container is ready. */
  readyLog?: RegExp;
}

/** True when the engine has `image` locally (testcontainers would otherwise try to pull it). */
export async function hasLocalImage(config: Config, image: string): Promise<boolean> {
  const docker = new Docker({ socketPath: socketPath(config.docker.host) });
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Starts a container through testcontainers against the configured engine. */
export async function startLocalContainer(config: Config, o: LocalContainerOptions): Promise<StartedTestContainer> {
  process.env.DOCKER_HOST ??= config.docker.host;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // No bridge network here (dockerd --bridge=none): skip testcontainers' gateway lookup, everything is on loopback.
  process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
  let c = new GenericContainer(o.image).withNetworkMode('host').withCommand(o.command);
  if (o.readyLog) c = c.withWaitStrategy(Wait.forLogMessage(o.readyLog));
  return c.start();
}
