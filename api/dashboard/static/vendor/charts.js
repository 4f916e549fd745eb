/* global document */
// Hand-written SVG charts (no libraries, no external assets). Every drawn point carries its window
// start and value as data attributes, so what the page shows can be checked against ClickHouse.

const NS = 'http://www.w3.org/2000/svg';
const W = 420;
const H = 170;
const PAD = { l: 44, r: 8, t: 8, b: 20 };

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

/** Short number for an axis label. */
export function fmtNumber(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 10 || Number.isInteger(v)) return v.toFixed(0);
  return v.toFixed(2);
}

function fmtTime(t) {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * A line chart. spec: { id, title, unit, format(v), from, to, yMax?, series: [{ name, color, points: [{t, v}], step?, dashed? }] }.
 * Returns a div with a legend and an SVG, or a "no data" note when no series has a point.
 */
export function lineChart(spec) {
  const box = document.createElement('div');
  box.className = 'chart';
  box.dataset.chart = spec.id;
  const title = document.createElement('div');
  title.className = 'title';
  title.textContent = spec.title;
  box.appendChild(title);
  const series = spec.series.filter((s) => s.points && s.points.some((p) => p.v !== null));
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const s of spec.series) {
    const item = document.createElement('span');
    item.innerHTML = `<i style="background:${s.color}"></i>`;
    item.appendChild(document.createTextNode(s.points && s.points.length ? s.name : `${s.name} (no data yet)`));
    legend.appendChild(item);
  }
  box.appendChild(legend);
  if (series.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.textContent = spec.emptyText || 'no data yet';
    box.appendChild(empty);
    return box;
  }
  const values = series.flatMap((s) => s.points.filter((p) => p.v !== null).map((p) => p.v));
  const yMax = spec.yMax ?? niceMax(Math.max(...values));
  const from = spec.from;
  const to = Math.max(spec.to, from + 1);
  const x = (t) => PAD.l + ((t - from) / (to - from)) * (W - PAD.l - PAD.r);
  const y = (v) => H - PAD.b - (Math.min(v, yMax) / yMax) * (H - PAD.t - PAD.b);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': spec.title });
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    el('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: 'axis' }, svg);
    el('text', { x: PAD.l - 4, y: y(v) + 3, 'text-anchor': 'end' }, svg).textContent = spec.format(v);
  }
  for (const t of [from, (from + to) / 2, to]) {
    el('text', { x: x(t), y: H - 5, 'text-anchor': t === from ? 'start' : t === to ? 'end' : 'middle' }, svg).textContent = fmtTime(t);
  }
  for (const s of series) {
    const g = el('g', { 'data-series': s.name }, svg);
    const pts = s.points.filter((p) => p.v !== null && p.t <= to + 1);
    let d = '';
    let prev;
    for (const p of pts) {
      const px = x(Math.max(p.t, from));
      const py = y(p.v);
      if (!prev) d += `M${px},${py}`;
      else d += s.step ? `H${px}V${py}` : `L${px},${py}`;
      prev = p;
    }
    if (s.step && prev) d += `H${x(to)}`;
    el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 1.8, 'stroke-dasharray': s.dashed ? '5 3' : 'none' }, g);
    for (const p of pts) {
      const c = el('circle', { cx: x(Math.max(p.t, from)), cy: y(p.v), r: 2.2, fill: s.color, class: 'pt', 'data-t': p.t, 'data-v': p.v }, g);
      el('title', {}, c).textContent = `${s.name} ${new Date(p.t).toLocaleTimeString()}: ${spec.format(p.v)}`;
    }
  }
  box.appendChild(svg);
  return box;
}

/** A tiny inline sparkline (SVG) of one series. */
export function sparkline(points, color) {
  const svg = el('svg', { viewBox: '0 0 100 20', width: 100, height: 20, preserveAspectRatio: 'none' });
  const pts = points.filter((p) => p.v !== null);
  if (pts.length < 2) return svg;
  const t0 = pts[0].t;
  const t1 = pts[pts.length - 1].t;
  const vMax = Math.max(...pts.map((p) => p.v), 1e-9);
  const d = pts.map((p, i) => `${i ? 'L' : 'M'}${((p.t - t0) / Math.max(t1 - t0, 1)) * 100},${19 - (p.v / vMax) * 18}`).join('');
  el('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.5 }, svg);
  return svg;
}
