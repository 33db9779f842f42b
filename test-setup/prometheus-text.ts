import { createRequire } from 'node:module';

/** One metric family as prom2json (and parse-prometheus-text-format) shows it. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: {
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

// The package ships no types; this is the part of its output the tests read.
const parsePrometheusTextFormat = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => MetricFamily[];

/** Parses a `/metrics` answer with a Prometheus text-format parser, by family name. */
export function parseMetrics(text: string): Map<string, MetricFamily> {
  return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
}

/** The sample of `family` whose labels include `labels`. */
export function sample(families: Map<string, MetricFamily>, family: string, labels: Record<string, string> = {}) {
  return families
    .get(family)
    ?.metrics.find((metric) => Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value));
}
