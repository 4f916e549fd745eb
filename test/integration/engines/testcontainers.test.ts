// testcontainers against the real engine, with a locally imported image only (no registry here).
import { describe, expect, it } from 'vitest';
import { hasLocalImage, startLocalContainer } from '../../helpers/containers.js';
import { testConfig, waitFor } from '../../helpers/env.js';

describe('testcontainers (local images, host network)', () => {
  const config = testConfig();

  it('runs a throwaway HTTP peer from the local base image and reaches it on loopback', async () => {
    expect(await hasLocalImage(config, config.docker.baseImage)).toBe(true);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const container = await startLocalContainer(config, {
      image: config.docker.baseImage,
      command: [
        'sh',
        '-c',
        `mkdir -p /www && echo pulse-ok > /www/index.html && echo serving && exec /bin/busybox httpd -f -p 127.0.0.1:${port} -h /www`,
      ],
      readyLog: /serving/,
    });
    try {
      const body = await waitFor('httpd answer', async () => {
        const r = await fetch(`http://127.0.0.1:${port}/index.html`);
        return r.ok ? r.text() : undefined;
      });
      expect(body.trim()).toBe('pulse-ok');
    } finally {
      await container.stop();
    }
  });
});
