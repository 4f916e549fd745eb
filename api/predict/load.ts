/**
 * The predictor `pulse serve` / `pulse direct` use: the models part's scoring function (champion model,
 * hot-reloaded; baselines until a champion exists), its feature state warmed from ClickHouse history.
 */
import type { Config } from '../../common/config.js';
import { UnavailableError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import { createPredictor, createRegistry } from '../../models/index.js';
import { createClickHouse } from '../../sinks/index.js';
import { adaptModelPredictor } from './models-adapter.js';
import type { Predictor } from './predictor.js';

/** Dependencies of {@link loadPredictor}. */
export interface LoadPredictorDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
}

/** Loads the serving predictor; `close()` stops hot reload and releases the model and client. */
export async function loadPredictor(
  deps: LoadPredictorDeps,
): Promise<{ predictor: Predictor; version: string | undefined; close(): Promise<void> }> {
  const { config, logger, metrics } = deps;
  const log = logger.child({ component: 'api-predictor' });
  const clickhouse = createClickHouse(config);
  const registry = createRegistry({ clickhouse, database: config.clickhouse.database, dataDir: config.dataDir });
  const model = createPredictor({ registry, logger, metrics, clickhouse, config });
  try {
    await model.loadChampion();
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'no champion model loaded; serving baselines until one is registered');
  }
  try {
    await model.warm();
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'feature state not warmed from ClickHouse');
  }
  model.startHotReload();
  const check = async (): Promise<void> => {
    try {
      await registry.champion();
    } catch (err) {
      throw new UnavailableError('model', `model registry unreachable: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    predictor: adaptModelPredictor(model, check),
    version: model.version,
    async close() {
      model.close();
      await clickhouse.close();
    },
  };
}
