/** The API read model over ClickHouse: every value bound through `sql`/`escapeValue` (sinks). */
import { UnavailableError } from '../../common/errors.js';
import type { ClickHouseClient } from '../../sinks/index.js';
import { alertQueries } from './alert-queries.js';
import { directiveQueries } from './directive-queries.js';
import { featureQueries } from './feature-queries.js';
import { modelQueries } from './model-queries.js';
import type { ApiStore } from './types.js';

/** Dependencies of {@link createClickHouseStore}. */
export interface ClickHouseStoreDeps {
  clickhouse: ClickHouseClient;
  database: string;
}

/** Creates the ClickHouse-backed store. */
export function createClickHouseStore(deps: ClickHouseStoreDeps): ApiStore {
  const { clickhouse, database } = deps;
  return {
    ...featureQueries(clickhouse, database),
    ...alertQueries(clickhouse, database),
    ...directiveQueries(clickhouse, database),
    ...modelQueries(clickhouse, database),
    async check() {
      const r = await clickhouse.ping();
      if (!r.success) throw new UnavailableError('clickhouse', r.error.message, { cause: r.error });
    },
  };
}
