/** Hand-rolled SVG charts of simulator outputs (no dependencies; open in any browser). */
import type { SeriesPoint } from './stats.js';
import type { SweepPoint } from './sweep.js';

const W = 960;
const PAD = { l: 60, r: 20, t: 30, b: 40 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

interface Line {
  name: string;
  ys: number[];
}

function panel(y0: number, h: number, xs: number[], lines: Line[], title: string, xLabel: (x: number) => string): string {
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const ymax = Math.max(1e-9, ...lines.flatMap((l) => l.ys));
  const px = (x: number): number => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const py = (y: number): number => y0 + h - (y / ymax) * h;
  const parts = [`<text x="${PAD.l}" y="${y0 - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`];
  parts.push(`<rect x="${PAD.l}" y="${y0}" width="${W - PAD.l - PAD.r}" height="${h}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    const y = (ymax * i) / 4;
    parts.push(`<text x="${PAD.l - 6}" y="${py(y) + 4}" font-size="10" text-anchor="end">${fmt(y)}</text>`);
    parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`);
  }
  for (let i = 0; i <= 6; i++) {
    const x = x0 + ((x1 - x0) * i) / 6;
    parts.push(`<text x="${px(x)}" y="${y0 + h + 14}" font-size="10" text-anchor="middle">${esc(xLabel(x))}</text>`);
  }
  lines.forEach((l, i) => {
    const d = l.ys.map((y, j) => `${j === 0 ? 'M' : 'L'}${px(xs[j] ?? 0).toFixed(1)},${py(y).toFixed(1)}`).join('');
    const c = COLORS[i % COLORS.length] ?? '#000';
    parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="1.2"/>`);
    parts.push(`<text x="${W - PAD.r - 140}" y="${y0 + 14 + i * 14}" font-size="11" fill="${c}">${esc(l.name)}</text>`);
  });
  return parts.join('\n');
}

/** Two panels over time: slots / running / queued, and the p95 queue wait (s) of each bucket. */
export function timeSeriesSvg(series: readonly SeriesPoint[], title: string): string {
  const xs = series.map((p) => p.t);
  const label = (x: number): string => new Date(x).toISOString().slice(5, 16).replace('T', ' ');
  const h = 220;
  const body = [
    panel(
      PAD.t + 10,
      h,
      xs,
      [
        { name: 'slots', ys: series.map((p) => p.slots) },
        { name: 'running', ys: series.map((p) => p.running) },
        { name: 'queued', ys: series.map((p) => p.queued) },
      ],
      `${title}: slots, running and queued builds`,
      label,
    ),
    panel(
      PAD.t + h + 80,
      h,
      xs,
      [{ name: 'p95 wait (s)', ys: series.map((p) => p.waitP95Ms / 1000) }],
      'queue wait p95 per bucket (s)',
      label,
    ),
  ];
  const total = PAD.t + 2 * h + 80 + PAD.b + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${total}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n</svg>\n`;
}

/** Scatter of cost vs p95 wait for every sweep point, the Pareto front joined and labelled. */
export function frontierSvg(points: readonly SweepPoint[], front: readonly SweepPoint[], title: string): string {
  const h = 460;
  const x0 = Math.min(...points.map((p) => p.cost));
  const x1 = Math.max(...points.map((p) => p.cost), x0 + 1);
  const ymax = Math.max(1, ...points.map((p) => p.p95WaitMs / 1000));
  const px = (x: number): number => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r - 200);
  const py = (y: number): number => PAD.t + h - (y / ymax) * h;
  const scalingNames = [...new Set(points.map((p) => p.scaling))];
  const color = (s: string): string => COLORS[scalingNames.indexOf(s) % COLORS.length] ?? '#000';
  const parts = [`<text x="${PAD.l}" y="20" font-size="13" font-weight="bold">${esc(title)}: cost (x) vs p95 queue wait in s (y)</text>`];
  parts.push(`<rect x="${PAD.l}" y="${PAD.t}" width="${W - PAD.l - PAD.r - 200}" height="${h}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    parts.push(`<text x="${PAD.l - 6}" y="${py((ymax * i) / 4) + 4}" font-size="10" text-anchor="end">${fmt((ymax * i) / 4)}</text>`);
    parts.push(
      `<text x="${px(x0 + ((x1 - x0) * i) / 4)}" y="${PAD.t + h + 14}" font-size="10" text-anchor="middle">${fmt(x0 + ((x1 - x0) * i) / 4)}</text>`,
    );
  }
  const d = front.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.cost).toFixed(1)},${py(p.p95WaitMs / 1000).toFixed(1)}`).join('');
  parts.push(`<path d="${d}" fill="none" stroke="#444" stroke-dasharray="4 3"/>`);
  for (const p of points) {
    const onFront = front.includes(p);
    parts.push(
      `<circle cx="${px(p.cost).toFixed(1)}" cy="${py(p.p95WaitMs / 1000).toFixed(1)}" r="${onFront ? 5 : 3}" fill="${color(p.scaling)}" fill-opacity="${onFront ? 1 : 0.4}"><title>${esc(p.label)}</title></circle>`,
    );
  }
  scalingNames.forEach((s, i) =>
    parts.push(`<text x="${W - 200}" y="${PAD.t + 14 + i * 14}" font-size="11" fill="${color(s)}">● ${esc(s)}</text>`),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${PAD.t + h + PAD.b}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
