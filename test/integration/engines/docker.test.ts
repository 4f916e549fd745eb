// dockerode against the real Docker engine: build a two-step Dockerfile twice; the second build uses the cache.
import { afterAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { pack } from './tar.js';
import { socketPath } from '../../../deploy/index.js';
import { testConfig, uniqueName } from '../../helpers/env.js';

async function build(docker: Docker, dockerfile: string, tag: string): Promise<string[]> {
  const stream = await docker.buildImage(pack({ Dockerfile: dockerfile }), { t: tag, networkmode: 'host', version: '1', rm: true });
  const events = await new Promise<{ stream?: string; error?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: { stream?: string; error?: string }[]) =>
      err ? reject(err) : resolve(res),
    ),
  );
  const failed = events.find((e) => e.error);
  if (failed) throw new Error(failed.error);
  return events.map((e) => e.stream ?? '').filter((s) => s.trim() !== '');
}

describe('docker engine (real dockerd, classic builder)', () => {
  const config = testConfig();
  const docker = new Docker({ socketPath: socketPath(config.docker.host) });
  const tag = `pulse-engine-test:${uniqueName('t')}`;

  afterAll(async () => {
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('reports cache use on the second build of the same two-step Dockerfile', async () => {
    const marker = uniqueName('m');
    const dockerfile = [
      `FROM ${config.docker.baseImage}`,
      `RUN mkdir -p /opt/${marker} && echo ${marker} > /opt/${marker}/id`,
      `RUN dd if=/dev/zero of=/opt/${marker}/blob bs=1k count=64`,
      '',
    ].join('\n');
    const first = await build(docker, dockerfile, tag);
    expect(first.filter((l) => l.includes('Using cache'))).toHaveLength(0);
    expect(first.some((l) => l.includes('Running in'))).toBe(true);
    const second = await build(docker, dockerfile, tag);
    expect(second.filter((l) => l.includes('Using cache'))).toHaveLength(2);
    const info = await docker.getImage(tag).inspect();
    expect(info.RootFS?.Layers?.length).toBeGreaterThanOrEqual(3);
  });
});
