/* global document, window, fetch, EventSource */
// The page's state: the chosen range and pool, the latest snapshot, and the live connection
// (Server-Sent Events from /dashboard/events; reconnects on its own).
import { renderAlerts, renderDirectives, renderFleet, renderModels, renderPool } from './render.js';

const RANGES = ['30m', '6h', '48h'];
const state = { range: new URLSearchParams(window.location.search).get('range') || '30m', pool: null, snap: null, source: null };
if (!RANGES.includes(state.range)) state.range = '30m';

function setLive(cls, text) {
  const e = document.getElementById('live');
  e.className = `live ${cls}`;
  e.textContent = text;
}

function pick(pool) {
  state.pool = pool;
  render();
}

function render() {
  const snap = state.snap;
  if (!snap) return;
  const pools = snap.pools.data.map((p) => p.pool);
  if (!pools.includes(state.pool)) state.pool = pools[0] || null;
  document.getElementById('database').textContent = `database ${snap.database}, ${snap.window} windows`;
  document.getElementById('updated').textContent = `updated ${new Date(snap.generated_at).toLocaleTimeString([], { hour12: false })}`;
  document.body.dataset.generatedAt = String(snap.generated_at);
  renderFleet(snap, pick);
  const tabs = document.getElementById('pool-tabs');
  tabs.replaceChildren(
    ...pools.map((p) => {
      const b = document.createElement('button');
      b.textContent = p;
      b.dataset.pool = p;
      if (p === state.pool) b.className = 'active';
      b.addEventListener('click', () => pick(p));
      return b;
    }),
  );
  renderPool(snap, state.pool);
  renderAlerts(snap);
  renderDirectives(snap);
  renderModels(snap);
}

function connect() {
  if (state.source) state.source.close();
  setLive('connecting', 'connecting…');
  const source = new EventSource(`/dashboard/events?range=${encodeURIComponent(state.range)}`);
  state.source = source;
  source.addEventListener('snapshot', (e) => {
    state.snap = JSON.parse(e.data);
    setLive('on', 'live');
    render();
  });
  source.addEventListener('error', () => setLive(source.readyState === EventSource.CLOSED ? 'off' : 'connecting', 'reconnecting…'));
}

function rangeNav() {
  const nav = document.getElementById('ranges');
  nav.replaceChildren(
    ...RANGES.map((r) => {
      const b = document.createElement('button');
      b.textContent = r;
      if (r === state.range) b.className = 'active';
      b.addEventListener('click', () => {
        state.range = r;
        window.history.replaceState(null, '', `?range=${r}`);
        rangeNav();
        void fetch(`/dashboard/api/snapshot?range=${r}`)
          .then((res) => res.json())
          .then((snap) => {
            state.snap = snap;
            render();
          });
        connect();
      });
      return b;
    }),
  );
}

rangeNav();
connect();
