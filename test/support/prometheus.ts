// Reads a /metrics answer as Prometheus would: every line checked against the text format's grammar, then parsed
// by parse-prometheus-text-format (a port of the official Python client's parser) into metric families. That
// parser folds a histogram's series into one and drops their labels, so histograms' samples are read from a
// second parse with their TYPE lines left out, where `_bucket`, `_sum` and `_count` are series of their own.
import { createRequire } from 'node:module';

interface Sample {
  labels?: Record<string, string>;
  value?: string;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Sample[];
}

const parsePrometheusText = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => MetricFamily[];

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\n"])*"';
const SAMPLE_LINE = new RegExp(`^${NAME}(\\{[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}(,[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE})*\\})? (NaN|Nan|[+-]Inf|[-+]?[0-9.]+(e[-+]?[0-9]+)?)( -?[0-9]+)?$`);
const COMMENT_LINE = new RegExp(`^# (HELP ${NAME} .*|TYPE ${NAME} (counter|gauge|histogram|summary|untyped))$`);

export class Exposition {
  readonly families: Map<string, MetricFamily>;
  /** Every series by its sample name (a histogram's as `name_bucket`, `name_sum`, `name_count`). */
  private readonly series: Map<string, Sample[]>;

  constructor(readonly text: string) {
    const lines = text.split('\n');
    const bad = lines.filter((line) => line !== '' && !SAMPLE_LINE.test(line) && !COMMENT_LINE.test(line));
    if (bad.length > 0) throw new Error(`not Prometheus text format:\n${bad.slice(0, 5).join('\n')}`);
    this.families = new Map(parsePrometheusText(text).map((family) => [family.name, family]));
    const untyped = lines.filter((line) => !/^# TYPE \S+ (histogram|summary)$/.test(line)).join('\n');
    this.series = new Map();
    // Untyped, a histogram's series interleave (`_bucket`, `_sum`, `_count` of one, then of the next): one entry each.
    for (const family of parsePrometheusText(untyped)) this.series.set(family.name, [...(this.series.get(family.name) ?? []), ...family.metrics]);
  }

  family(name: string): MetricFamily {
    const family = this.families.get(name);
    if (!family) throw new Error(`no metric ${name}`);
    return family;
  }

  private matching(name: string, labels: Record<string, string>): Sample[] {
    if (!this.families.has(name.replace(/_(bucket|sum|count)$/, '')) && !this.families.has(name)) throw new Error(`no metric ${name}`);
    // A histogram's family is there before its first observation, its series only after.
    return (this.series.get(name) ?? []).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
  }

  /** Sum of a counter's or gauge's samples whose labels include `labels`. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + Number(sample.value), 0);
  }

  /** Observations of a histogram, over the series whose labels include `labels`. */
  count(name: string, labels: Record<string, string> = {}): number {
    if (this.family(name).type !== 'HISTOGRAM') throw new Error(`${name} is not a histogram`);
    return this.value(`${name}_count`, labels);
  }

  /** Every label set of a metric's series (a histogram's: one per series, from its `_count`). */
  labelSets(name: string): Record<string, string>[] {
    const samples = this.family(name).type === 'HISTOGRAM' ? `${name}_count` : name;
    return (this.series.get(samples) ?? []).map((sample) => sample.labels ?? {});
  }
}

export async function scrape(baseUrl: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  if (!response.headers.get('content-type')?.startsWith('text/plain; version=0.0.4')) throw new Error(`unexpected content type ${response.headers.get('content-type')}`);
  return new Exposition(await response.text());
}
