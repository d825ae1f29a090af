// The floor rows of `npm run bench` (bench/floor.mjs results, one per size): each tool's marginal cost per process
// (least squares over the sizes, and the difference of the two largest), its ratio to the C floor's, the user and
// system parts of it, and the fixed cost (the intercept) against `node -e 0`; the same for a match; and the SVG
// plot of scan time against processes. Pure functions of the results.
import { lineChart } from './plot.mjs';

/** Least squares line through [x, y] points: { slope, intercept }. */
export function fit(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

export const TOOLS = ['floor', 'psmisc', 'pkill', 'killall-ts'];
const LABEL = {
  floor: 'C floor (floor.c)',
  psmisc: 'psmisc killall',
  pkill: 'pkill -x',
  'killall-ts': 'killall-ts',
};

/** µs per process of one case's `field` (ms, userMs, sysMs): least squares, and between the two largest sizes. */
function marginal(results, key, field = 'ms') {
  const pts = results.map((r) => [r.pids, r.cases[key][field]]);
  const { slope, intercept } = fit(pts);
  const s = [...pts].sort((a, b) => a[0] - b[0]);
  const [a, b] = s.slice(-2);
  const diff = s.length >= 2 ? (b[1] - a[1]) / (b[0] - a[0]) : slope;
  return { fit: slope * 1000, diff: diff * 1000, intercept };
}

/** The analysed numbers (also written into latest.json). */
export function analyse(results) {
  const rs = [...results].sort((a, b) => a.pids - b.pids);
  const node = rs.map((r) => r.cases['node -e 0'].ms);
  const out = { sizes: rs.map((r) => r.pids), nodeMs: node.reduce((s, x) => s + x, 0) / node.length };
  for (const kind of ['scan', 'match']) {
    out[kind] = {};
    for (const t of TOOLS) {
      const key = `${kind} ${t}`;
      const m = marginal(rs, key);
      out[kind][t] = {
        ms: rs.map((r) => r.cases[key].ms),
        perProcessUs: m.fit,
        perProcessUsLastTwo: m.diff,
        userUs: marginal(rs, key, 'userMs').fit,
        sysUs: marginal(rs, key, 'sysMs').fit,
        interceptMs: m.intercept,
      };
    }
  }
  // A match's own cost: the slope of "every process matches" minus the slope of "none does".
  for (const t of TOOLS) {
    const m = out.match[t];
    m.perMatchUs = m.perProcessUs - out.scan[t].perProcessUs;
    m.perMatchUsLastTwo = m.perProcessUsLastTwo - out.scan[t].perProcessUsLastTwo;
    m.perMatchCpuUs = m.userUs + m.sysUs - out.scan[t].userUs - out.scan[t].sysUs;
  }
  return out;
}

const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);

/** The markdown tables printed by run.mjs. */
export function floorTables(a) {
  const sizes = a.sizes.map((n) => `ms at ${n}`).join(' | ');
  const lines = [
    `\nfloor: scan without a match (-q NOSUCHNAME), medians; per process = least squares over ${a.sizes.length} sizes (and between the two largest); user, sys: CPU per process (least squares), CPU × floor their sum's ratio (steadier than wall time on a busy machine); fixed = the intercept; node -e 0: ${f1(a.nodeMs)} ms`,
    `| tool | ${sizes} | µs/process | × floor | last two | × floor | user µs | sys µs | CPU × floor | fixed ms | fixed / node -e 0 |`,
    `|---|${a.sizes.map(() => '---:|').join('')}---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  const fl = a.scan.floor;
  const cpu = (x) => x.userUs + x.sysUs;
  for (const t of TOOLS) {
    const s = a.scan[t];
    lines.push(
      `| ${LABEL[t]} | ${s.ms.map(f1).join(' | ')} | ${f2(s.perProcessUs)} | ${f2(s.perProcessUs / fl.perProcessUs)} | ${f2(s.perProcessUsLastTwo)} | ${f2(s.perProcessUsLastTwo / fl.perProcessUsLastTwo)} | ${f2(s.userUs)} | ${f2(s.sysUs)} | ${f2(cpu(s) / cpu(fl))} | ${f1(s.interceptMs)} | ${f2(s.interceptMs / a.nodeMs)} |`,
    );
  }
  lines.push(
    '\nfloor: signal 0 to every process (a match each); per match = the slope of this run minus the scan slope',
    `| tool | ${sizes} | µs/match | × floor | last two | × floor | CPU µs/match | × floor |`,
    `|---|${a.sizes.map(() => '---:|').join('')}---:|---:|---:|---:|---:|---:|`,
  );
  const mf = a.match.floor;
  for (const t of TOOLS) {
    const m = a.match[t];
    lines.push(
      `| ${LABEL[t]} | ${m.ms.map(f1).join(' | ')} | ${f2(m.perMatchUs)} | ${f2(m.perMatchUs / mf.perMatchUs)} | ${f2(m.perMatchUsLastTwo)} | ${f2(m.perMatchUsLastTwo / mf.perMatchUsLastTwo)} | ${f2(m.perMatchCpuUs)} | ${f2(m.perMatchCpuUs / mf.perMatchCpuUs)} |`,
    );
  }
  return lines.join('\n');
}

const COLOR = { floor: '#222', psmisc: '#1f77b4', pkill: '#ff7f0e', 'killall-ts': '#d62728' };

/** The SVG plot: scan time against processes, one line per tool, `node -e 0` dashed. */
export function floorPlot(a, when) {
  const series = TOOLS.map((t) => ({
    name: LABEL[t],
    color: COLOR[t],
    points: a.sizes.map((n, i) => [n, a.scan[t].ms[i]]),
  }));
  series.push({
    name: 'node -e 0',
    color: '#999',
    dashed: true,
    points: a.sizes.map((n) => [n, a.nodeMs]),
  });
  return lineChart({
    title: 'Scan without a match: wall time against processes',
    xLabel: 'processes in /proc',
    yLabel: 'ms (median)',
    series,
    note: when,
  });
}
