import { svg } from '../dom.js';
import { milliseconds, share } from '../format.js';

// Layout of the chart, in SVG user units (it scales to the width of its box).
const WIDTH = 760;
const LABEL_WIDTH = 230;
const SHARE_WIDTH = 120;
const TOP = 40;
const ROW_HEIGHT = 46;
const BAR_HEIGHT = 8;
const AXIS_HEIGHT = 24;
const PERCENTILES = ['p50', 'p95', 'p99'];

/** The smallest of 1, 2, 3, 4, 5, 6, 8 × 10ⁿ at or above `value`: a round end whose quarters read well. */
function roundUp(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 3, 4, 5, 6, 8, 10].map((factor) => factor * power).find((end) => end >= value);
}

function legend() {
  return PERCENTILES.map((name, index) =>
    svg(
      'g',
      { transform: `translate(${LABEL_WIDTH + index * 70}, 8)` },
      svg('rect', { width: 12, height: 12, rx: 2, class: `bar bar-${name}` }),
      svg('text', { x: 18, y: 10, class: 'chart-legend' }, name),
    ),
  );
}

function axis(x, end, bottom) {
  return [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const at = x(fraction * end);
    return svg(
      'g',
      {},
      svg('line', { x1: at, x2: at, y1: TOP - 6, y2: bottom, class: 'chart-grid' }),
      svg('text', { x: at, y: bottom + 16, 'text-anchor': 'middle', class: 'chart-tick' }, milliseconds(fraction * end)),
    );
  });
}

/** The share answered within 5 s: a small gauge and the percentage, red under the objective. */
function withinGauge(value, y, objective) {
  const left = WIDTH - SHARE_WIDTH + 16;
  const tone = value === null || value >= objective ? 'good' : 'bad';
  return svg(
    'g',
    {},
    svg('rect', { x: left, y: y + 10, width: 40, height: 8, rx: 4, class: 'gauge-track' }),
    svg('rect', { x: left, y: y + 10, width: 40 * (value ?? 0), height: 8, rx: 4, class: `gauge-${tone}` }),
    svg('text', { x: left + 48, y: y + 18, class: `chart-share share-${tone}` }, share(value)),
  );
}

function endpointRow(endpoint, y, x, objective) {
  return svg(
    'g',
    {},
    svg('text', { x: 0, y: y + 14, class: 'chart-label' }, endpoint.name),
    svg('text', { x: 0, y: y + 30, class: 'chart-sublabel' }, `${endpoint.method} ${endpoint.route}`),
    PERCENTILES.map((name, index) => {
      const ms = endpoint[`${name}_ms`] ?? 0;
      return svg(
        'rect',
        { x: LABEL_WIDTH, y: y + 4 + index * (BAR_HEIGHT + 2), width: Math.max(1, x(ms) - LABEL_WIDTH), height: BAR_HEIGHT, rx: 2, class: `bar bar-${name}` },
        svg('title', {}, `${endpoint.name} ${name}: ${milliseconds(ms)}`),
      );
    }),
    withinGauge(endpoint.within_5s, y, objective),
  );
}

/** Bars of p50/p95/p99 latency per endpoint on one scale, and each endpoint's share within 5 s. */
export function latencyChart(endpoints, objective) {
  const end = roundUp(Math.max(1, ...endpoints.map((endpoint) => endpoint.p99_ms ?? 0)));
  const x = (ms) => LABEL_WIDTH + (ms / end) * (WIDTH - LABEL_WIDTH - SHARE_WIDTH);
  const bottom = TOP + endpoints.length * ROW_HEIGHT;
  return svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${WIDTH} ${bottom + AXIS_HEIGHT}`, role: 'img', 'aria-labelledby': 'slo-chart-title' },
    svg('title', { id: 'slo-chart-title' }, 'Latency per endpoint (p50, p95, p99) and the share answered within 5 seconds'),
    legend(),
    svg('text', { x: WIDTH - SHARE_WIDTH + 16, y: 18, class: 'chart-legend' }, 'within 5 s'),
    axis(x, end, bottom),
    endpoints.map((endpoint, index) => endpointRow(endpoint, TOP + index * ROW_HEIGHT, x, objective)),
  );
}
