/* global document */
// Renders each section of the page from a snapshot (see api/dashboard/types.ts). Text from
// ClickHouse only ever goes through textContent.
import { fmtNumber, lineChart, sparkline } from './charts.js';

const COLORS = { actual: '#58a6ff', p95: '#d2a8ff', predicted: '#3fb950', bad: '#f85149', warn: '#d29922', slots: '#79c0ff' };

function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '' : String(c)));
  return e;
}

const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const ms = (v) => (v === null || v === undefined ? '–' : v >= 1000 ? `${fmtNumber(v / 1000)} s` : `${fmtNumber(v)} ms`);
const time = (t) => (t ? new Date(t).toLocaleTimeString([], { hour12: false }) : '–');
const last = (pts) => {
  for (let i = (pts || []).length - 1; i >= 0; i--) if (pts[i].v !== null) return pts[i].v;
  return null;
};

/** Shows a section's "no data yet" message (or clears it). */
export function setMessage(id, section) {
  document.getElementById(id).textContent = section.available ? '' : section.message || 'no data yet';
}

function card(key, label, text, raw) {
  return h('div', { class: 'card', 'data-testid': `fleet-${key}`, 'data-value': raw ?? '' }, h('div', { class: 'k' }, label), h('div', { class: 'v' }, text));
}

/** Fleet cards and the per-pool table (click a row to select the pool). */
export function renderFleet(snap, onPick) {
  const f = snap.fleet.data;
  const box = document.getElementById('fleet');
  box.replaceChildren();
  setMessage('fleet-msg', snap.pools.available ? snap.fleet : snap.pools);
  if (f) {
    const events = ['build_events', 'cache_events', 'resource_events', 'test_results', 'sbom_documents']
      .map((t) => f.row_counts[t] || 0)
      .reduce((a, b) => a + b, 0);
    box.append(
      card('pools', 'pools', f.pools, f.pools),
      card('builds', `builds finished (${snap.range})`, fmtNumber(f.builds_finished), f.builds_finished),
      card('failure', 'failure rate', pct(f.failure_rate), f.failure_rate),
      card('hit-ratio', 'cache hit ratio', pct(f.cache_hit_ratio), f.cache_hit_ratio),
      card('queue', 'max queue wait p95', ms(f.queue_wait_p95_ms_max), f.queue_wait_p95_ms_max),
      card('events', 'raw events stored', fmtNumber(events), events),
      card('latest', 'latest window', time(f.latest_window), f.latest_window),
    );
  }
  const table = document.getElementById('pools-table');
  table.replaceChildren();
  if (!snap.pools.available) return;
  table.append(h('tr', {}, ...['pool', 'builds', 'throughput', 'failure rate', 'cache hits', 'queue p95', 'p50 / p95', 'slots desired / provisioned'].map((c) => h('th', {}, c))));
  for (const p of snap.pools.data) {
    const s = p.series;
    const t = p.totals;
    table.append(
      h(
        'tr',
        { class: 'clickable', 'data-pool': p.pool, onclick: () => onPick(p.pool) },
        h('td', {}, p.pool),
        h('td', { 'data-testid': 'pool-builds', 'data-value': t.builds_finished }, fmtNumber(t.builds_finished)),
        h('td', {}, sparkline(s.throughput || [], COLORS.actual)),
        h('td', {}, pct(t.builds_finished ? t.builds_failed / t.builds_finished : null)),
        h('td', {}, pct(t.cache_hits + t.cache_misses ? t.cache_hits / (t.cache_hits + t.cache_misses) : null)),
        h('td', {}, ms(last(s.queue_wait_p95_ms))),
        h('td', {}, `${ms(last(s.duration_p50_ms))} / ${ms(last(s.duration_p95_ms))}`),
        h('td', {}, `${fmtNumber(last(s.slots_desired))} / ${fmtNumber(last(s.slots_available))} (busy ${fmtNumber(last(s.slots_running))})`),
      ),
    );
  }
}

/** The six charts of one pool. */
export function renderPool(snap, pool) {
  const charts = document.getElementById('charts');
  charts.replaceChildren();
  document.getElementById('pool-name').textContent = pool || '';
  setMessage('pools-msg', snap.pools);
  const p = snap.pools.data.find((x) => x.pool === pool);
  if (!p) return;
  const s = p.series;
  const all = Object.values(s).flat();
  const from = Math.min(...all.map((x) => x.t));
  const to = Math.max(...all.map((x) => x.t));
  const base = { from, to };
  charts.append(
    lineChart({ ...base, id: 'throughput', title: 'Throughput (builds finished per window)', format: fmtNumber, series: [{ name: 'builds', color: COLORS.actual, points: s.throughput }] }),
    lineChart({ ...base, id: 'queue_wait_p95_ms', title: 'Queue wait p95', format: ms, series: [{ name: 'queue wait p95', color: COLORS.warn, points: s.queue_wait_p95_ms }] }),
    lineChart({
      ...base,
      id: 'duration',
      title: 'Build duration: actual vs predicted',
      format: ms,
      series: [
        { name: 'p50 actual', color: COLORS.actual, points: s.duration_p50_ms },
        { name: 'p95 actual', color: COLORS.p95, points: s.duration_p95_ms },
        { name: 'predicted (median)', color: COLORS.predicted, points: s.predicted_duration_ms, dashed: true },
      ],
    }),
    lineChart({ ...base, id: 'failure_rate', title: 'Failure rate', format: pct, yMax: Math.max(0.1, ...(s.failure_rate || []).map((x) => x.v || 0)), series: [{ name: 'failed / finished', color: COLORS.bad, points: s.failure_rate }] }),
    lineChart({ ...base, id: 'cache_hit_ratio', title: 'Cache hit ratio', format: pct, yMax: 1, series: [{ name: 'hits / lookups', color: COLORS.predicted, points: s.cache_hit_ratio }] }),
    lineChart({
      ...base,
      id: 'slots',
      title: 'Slots: desired (directives) vs running',
      format: fmtNumber,
      series: [
        { name: 'desired', color: COLORS.slots, points: s.slots_desired, step: true, dashed: true },
        { name: 'provisioned', color: COLORS.p95, points: s.slots_available },
        { name: 'busy', color: COLORS.actual, points: s.slots_running },
      ],
    }),
  );
}

/** Live alerts with their evidence. */
export function renderAlerts(snap) {
  setMessage('alerts-msg', snap.alerts);
  const box = document.getElementById('alerts');
  box.replaceChildren();
  for (const a of snap.alerts.data) {
    const ev = Object.entries(a.evidence).map(([k, v]) => `${k}=${v}`).join('  ');
    box.append(
      h(
        'div',
        { class: `alert ${a.severity} ${a.state}`, 'data-testid': 'alert', 'data-entity': a.entity, 'data-metric': a.metric, 'data-state': a.state },
        h(
          'div',
          { class: 'head' },
          h('span', { class: 'badge' }, a.severity),
          h('span', { class: 'badge' }, a.state),
          h('strong', {}, `${a.entity_type} ${a.entity}`),
          h('span', {}, `${a.metric} = ${fmtNumber(a.value)} (expected ${fmtNumber(a.expected_low)}–${fmtNumber(a.expected_high)}, score ${fmtNumber(a.score)})`),
          h('span', { class: 'muted' }, `${a.detector}, since ${time(a.started_at)}`),
        ),
        ev ? h('div', { class: 'ev' }, ev) : '',
      ),
    );
  }
}

/** Directives with acknowledgements and measured effect. */
export function renderDirectives(snap) {
  setMessage('directives-msg', snap.directives);
  const table = document.getElementById('directives');
  table.replaceChildren();
  if (!snap.directives.data.length) return;
  table.append(h('tr', {}, ...['issued', 'pool', 'kind', 'payload', 'reason', 'acks', 'effect'].map((c) => h('th', {}, c))));
  for (const d of snap.directives.data) {
    const payload = d.desired_slots !== null ? `desired slots ${d.desired_slots}` : `warm ${d.warm.length}: ${d.warm.slice(0, 3).join(', ')}`;
    let effect = d.effect_status || 'pending';
    if (d.queue_wait_p95_before_ms !== null && d.queue_wait_p95_after_ms !== null) effect += ` · queue p95 ${ms(d.queue_wait_p95_before_ms)} → ${ms(d.queue_wait_p95_after_ms)}`;
    if (d.hit_ratio_before !== null && d.hit_ratio_after !== null) effect += ` · hit ratio ${pct(d.hit_ratio_before)} → ${pct(d.hit_ratio_after)}`;
    table.append(
      h(
        'tr',
        { 'data-testid': 'directive', 'data-id': d.directive_id },
        h('td', {}, time(d.issued_at)),
        h('td', {}, d.pool),
        h('td', {}, d.kind),
        h('td', {}, payload),
        h('td', {}, d.reason_text),
        h('td', { class: d.acks ? 'good' : '' }, `${d.acks}${d.acks_rejected ? ` (+${d.acks_rejected} rejected)` : ''}`),
        h('td', {}, effect),
      ),
    );
  }
}

/** Model versions and their metrics. */
export function renderModels(snap) {
  setMessage('models-msg', snap.models);
  const table = document.getElementById('models');
  table.replaceChildren();
  if (!snap.models.data.length) return;
  table.append(h('tr', {}, ...['version', 'model', 'trained', 'status', 'metrics'].map((c) => h('th', {}, c))));
  for (const m of snap.models.data) {
    const metrics = Object.entries(m.metrics).map(([k, v]) => `${k}=${fmtNumber(v)}`).join('  ');
    table.append(h('tr', { 'data-testid': 'model' }, h('td', {}, m.version), h('td', {}, m.model), h('td', {}, time(m.created_at)), h('td', {}, m.status), h('td', {}, metrics)));
  }
}
