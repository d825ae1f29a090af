// A plain SVG line chart, drawn by our own code (no plotting dependency): linear axes from 0, round tick values,
// one polyline with point markers per series, a legend. Pure: returns the SVG text.

const xml = (s) =>
  String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

/**
 * Round tick values from 0 to about max: steps of 1, 2 or 5 times a power of ten, about `want` of them; the last
 * one at least max, or within 1% under it (20,002 processes end the axis at 20,000, not 25,000).
 */
export function ticks(max, want = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / want;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out = [0];
  while (out[out.length - 1] < max / 1.01) out.push(Number((out[out.length - 1] + step).toPrecision(12)));
  return out;
}

const fmt = (v) => (v >= 1000 ? v.toLocaleString('en-US') : String(v));

/**
 * series: [{ name, color, points: [[x, y], ...], dashed? }]; returns an SVG document of width × height pixels.
 */
export function lineChart({ title, xLabel, yLabel, series, width = 720, height = 440, note = '' }) {
  const m = { left: 70, right: 190, top: 40, bottom: note ? 78 : 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = series.flatMap((s) => s.points);
  const xt = ticks(Math.max(...all.map((p) => p[0])));
  const yt = ticks(Math.max(...all.map((p) => p[1])));
  const xMax = xt[xt.length - 1];
  const yMax = yt[yt.length - 1];
  const X = (x) => m.left + (x / xMax) * plotW;
  const Y = (y) => m.top + plotH - (y / yMax) * plotH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${m.left}" y="22" font-size="15" font-weight="bold">${xml(title)}</text>`,
  ];
  for (const v of yt) {
    out.push(
      `<line x1="${m.left}" x2="${m.left + plotW}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${m.left - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  for (const v of xt) {
    out.push(
      `<line x1="${X(v).toFixed(1)}" x2="${X(v).toFixed(1)}" y1="${m.top}" y2="${m.top + plotH}" stroke="#eee"/>`,
      `<text x="${X(v).toFixed(1)}" y="${m.top + plotH + 16}" text-anchor="middle">${fmt(v)}</text>`,
    );
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
    `<text x="${m.left + plotW / 2}" y="${m.top + plotH + 38}" text-anchor="middle">${xml(xLabel)}</text>`,
    `<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${xml(yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    const path = pts.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [x, y] of pts)
      out.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3.5" fill="${s.color}"/>`);
    const ly = m.top + 14 + i * 20;
    const lx = m.left + plotW + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 30}" y="${ly}">${xml(s.name)}</text>`,
    );
  });
  if (note) out.push(`<text x="${m.left}" y="${height - 12}" font-size="11" fill="#555">${xml(note)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
