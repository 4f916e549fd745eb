/**
 * Merges the partial aggregates of every source of a window into its feature row. Partials are merged
 * in source order so floating-point sums come out bit-identical whoever merges; the row version is the
 * sum of the partial versions (= events folded in), so a more complete row always wins in FINAL.
 */
import { deserializeAggregate, emptyAggregate, mergeInto, type SerializedAggregate } from './aggregate.js';
import { identityColumns, type EntityType } from './entities.js';
import { featureMetrics } from './feature-row.js';
import type { Row } from './raw-rows.js';
import type { PartialRow } from './store.js';

/** Feature rows for the windows whose partials are given (any number of sources per window). */
export function mergePartials(type: EntityType, sizeMs: number, partials: readonly PartialRow[]): Row[] {
  const byWindow = new Map<string, PartialRow[]>();
  for (const p of partials) {
    const id = `${p.startSec}|${p.entity}`;
    const list = byWindow.get(id);
    if (list) list.push(p);
    else byWindow.set(id, [p]);
  }
  const rows: Row[] = [];
  for (const list of byWindow.values()) {
    list.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    const first = list[0];
    if (!first) continue;
    const agg = emptyAggregate();
    let version = 0;
    for (const p of list) {
      mergeInto(agg, deserializeAggregate(JSON.parse(p.state) as SerializedAggregate));
      version += p.version;
    }
    rows.push({
      ...identityColumns(type, first.entity),
      window_start: first.startSec,
      window_end: first.startSec + sizeMs / 1000,
      version,
      ...featureMetrics(agg),
    });
  }
  return rows;
}
