// A small horizontal bar chart in SVG, drawn from data with DOM calls only (no chart library): one row per item,
// each with its bars side by side, a legend, and a text alternative (role="img" with a label, a <title> per bar).
const SVG = 'http://www.w3.org/2000/svg';

export interface BarSeries {
  name: string;
  className: string;
}

export interface BarRow {
  label: string;
  values: number[];
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const LABEL_W = 150;
const BAR_W = 200;
const BAR_H = 14;
const GAP = 10;

export function barChart(label: string, series: BarSeries[], rows: BarRow[], format: (n: number) => string) {
  const max = Math.max(1, ...rows.flatMap((r) => r.values.map(Math.abs)));
  const rowH = series.length * BAR_H + GAP;
  const height = rows.length * rowH + (series.length > 1 ? 28 : 4);
  const width = LABEL_W + BAR_W + 90;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': label,
    class: 'gcs-chart',
  });
  rows.forEach((row, i) => {
    const y0 = i * rowH;
    root.append(
      svg('text', { x: LABEL_W - 8, y: y0 + (series.length * BAR_H) / 2 + 4, 'text-anchor': 'end' }, row.label),
    );
    row.values.forEach((value, j) => {
      const y = y0 + j * BAR_H;
      const w = Math.max(value === 0 ? 0 : 1, (Math.abs(value) / max) * BAR_W);
      const bar = svg('rect', { x: LABEL_W, y, width: w, height: BAR_H - 2, class: series[j]!.className });
      bar.append(svg('title', {}, `${row.label}, ${series[j]!.name}: ${format(value)}`));
      root.append(bar, svg('text', { x: LABEL_W + w + 4, y: y + BAR_H - 4, class: 'gcs-chart-value' }, format(value)));
    });
  });
  let x = LABEL_W;
  const legendY = rows.length * rowH + 12;
  for (const s of series.length > 1 ? series : []) {
    root.append(svg('rect', { x, y: legendY, width: 12, height: 12, class: s.className }));
    root.append(svg('text', { x: x + 16, y: legendY + 11 }, s.name));
    x += 24 + s.name.length * 7;
  }
  return root;
}
