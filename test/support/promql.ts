import { parser } from '@prometheus-io/lezer-promql';

/** True when `expr` is valid PromQL (Prometheus's own grammar, as its web UI parses it). */
export function parsesAsPromql(expr: string): boolean {
  let valid = true;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) valid = false;
    },
  });
  return valid;
}

/** The metric names `expr` selects (recorded series included), each once. */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.add(expr.slice(node.from, node.to));
    },
  });
  return [...names];
}

const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'];

/**
 * The series names a /metrics text can hold: every family its `# TYPE` lines declare (samples or not
 * yet), with a histogram's `_bucket`, `_sum` and `_count`.
 */
export function exposedSeriesNames(metricsText: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of HISTOGRAM_SERIES) names.add(name + suffix);
  }
  return names;
}
