/**
 * Global setup of the integration and fault projects: make sure the real engines are reachable.
 * `npm run test:integration` starts the local stack first; this only verifies (and starts it when a
 * test file is run directly with vitest), failing fast with the service's log file.
 */
import { loadConfig } from '../../common/config.js';
import { stackStatus, stackUp } from '../../deploy/index.js';
import { applySchema } from '../../sinks/index.js';
import { createLogger } from '../../common/logger.js';

export default async function setup(): Promise<void> {
  const config = loadConfig();
  let status = await stackStatus(config);
  if (status.services.some((s) => s.state === 'down')) {
    status = await stackUp(config, (m) => process.stderr.write(`[stack] ${m}\n`));
    await applySchema(config, createLogger({ level: 'warn' }));
  }
  const down = status.services.filter((s) => s.state === 'down');
  if (down.length > 0)
    throw new Error(`engines not reachable: ${down.map((s) => `${s.name} (${s.error ?? ''}; log ${s.log ?? '-'})`).join(', ')}`);
}
