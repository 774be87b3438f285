/**
 * #12 item 2: every metric a Grafana panel or a Prometheus alert queries is one callmatrix exports (the metrics
 * factory's registry, with a histogram's _bucket/_count/_sum series) or a Temporal SDK metric the worker exports
 * (TEMPORAL_SDK_METRICS, checked on a real worker in worker-process.test.ts), and every label a selector or a
 * `by (…)` names is one of that metric's labels. A renamed metric would otherwise leave an empty panel and an
 * alert that can never fire. [Operations]: so would a status the code never reports (`status="fail"`) or a job
 * Prometheus does not scrape; and the README's metric table and alert list name everything there is.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { Histogram } from 'prom-client';
import { createMetrics, METRIC_NAMES, TEMPORAL_SDK_METRICS } from '../../observability/metrics';
import { CALL_STATUSES } from '../../temporal/call-status';

const root = path.join(__dirname, '../..');
const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'observability/grafana/dashboards/callmatrix.json'), 'utf8')) as {
  panels: { title: string; targets?: { expr: string }[] }[];
};
const alerts = YAML.parse(fs.readFileSync(path.join(root, 'observability/prometheus/alerts.yml'), 'utf8')) as {
  groups: { rules: { alert: string; expr: string }[] }[];
};
const prometheus = YAML.parse(fs.readFileSync(path.join(root, 'observability/prometheus/prometheus.yml'), 'utf8')) as {
  scrape_configs: { job_name: string }[];
};
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

const queries = [
  ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
  ...alerts.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }))),
];

/** Metric name → its label names, for everything callmatrix's registry exports (histograms with their series). */
async function exported(): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  const { registry } = createMetrics();
  for (const metric of await registry.getMetricsAsJSON()) {
    // prom-client keeps a metric's label names on the metric object, not in its JSON.
    const object = registry.getSingleMetric(metric.name);
    const labels = (object as unknown as { labelNames: string[] }).labelNames;
    names.set(metric.name, labels);
    if (object instanceof Histogram) {
      names.set(`${metric.name}_bucket`, [...labels, 'le']);
      names.set(`${metric.name}_count`, labels);
      names.set(`${metric.name}_sum`, labels);
    }
  }
  return names;
}

/** The series a PromQL expression reads: `name` or `name{label="…", …}`; Prometheus' own `up` has `job`. */
function selectors(expr: string): { metric: string; labels: string[] }[] {
  return [...expr.matchAll(/\b((?:callmatrix|temporal|process|nodejs)_\w+|up)\b(?:\{([^}]*)\})?/g)].map(([, metric, matchers]) => ({
    metric,
    labels: [...(matchers ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map(([, label]) => label),
  }));
}

/** Labels aggregated `by (…)`: they must exist on every metric the aggregation reads. */
const groupings = (expr: string): string[] => [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap(([, list]) => list.split(',').map((l) => l.trim()).filter(Boolean));

it('has panels and alerts, and every query reads at least one metric', () => {
  expect(dashboard.panels.filter((panel) => panel.targets?.length).length).toBeGreaterThanOrEqual(10);
  expect(alerts.groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual(
    expect.arrayContaining([
      'CallmatrixIntegrationBroken',
      'CallmatrixCallsFailed',
      'CallmatrixSuspendedBacklog',
      'CallmatrixCallsStuckRetrying',
      'CallmatrixCallRunningTooLong',
      'CallmatrixWorkflowInputRefused',
      'CallmatrixWorkflowTasksFailing',
      'CallmatrixWebhook5xx',
      'CallmatrixCallsRecoveredByReconciliation',
    ]),
  );
  for (const { where, expr } of queries) expect({ where, reads: selectors(expr).length > 0 }).toEqual({ where, reads: true });
});

it('queries only metrics and labels the code exports', async () => {
  const known = await exported();
  const sdk = new Set<string>(TEMPORAL_SDK_METRICS.flatMap((name) => [name, `${name}_bucket`, `${name}_count`, `${name}_sum`]));
  const problems: string[] = [];
  for (const { where, expr } of queries) {
    const read = selectors(expr);
    for (const { metric, labels } of read) {
      if (metric === 'up') continue;
      if (sdk.has(metric)) continue;
      const labelNames = known.get(metric);
      if (!labelNames) {
        problems.push(`${where}: ${metric} is not exported`);
        continue;
      }
      for (const label of labels) if (!labelNames.includes(label)) problems.push(`${where}: ${metric} has no label ${label}`);
    }
    for (const label of groupings(expr)) {
      const callmatrixMetrics = read.filter(({ metric }) => known.has(metric));
      for (const { metric } of callmatrixMetrics) if (!known.get(metric)!.includes(label)) problems.push(`${where}: ${metric} has no label ${label}`);
    }
  }
  expect(problems).toEqual([]);
});

/** `label="value"` and `label=~"regex"` matchers of a selector, with their values. */
const matchers = (expr: string, metric: string) =>
  [...expr.matchAll(new RegExp(`\\b${metric}\\{([^}]*)\\}`, 'g'))].flatMap(([, list]) =>
    [...list.matchAll(/(\w+)\s*(=~|=)\s*"([^"]*)"/g)].map(([, label, op, value]) => ({ label, op, value })),
  );

it('[Operations] an alert or panel selecting by value selects a value the code reports: a call status, a scraped job', () => {
  const problems: string[] = [];
  const jobs = prometheus.scrape_configs.map((config) => config.job_name);
  for (const { where, expr } of queries) {
    for (const metric of [METRIC_NAMES.callsTotal, METRIC_NAMES.callsRunning, METRIC_NAMES.oldestRunningAge]) {
      for (const { label, op, value } of matchers(expr, metric)) {
        if (label === 'status' && !(op === '=' ? [value] : CALL_STATUSES.filter((s) => new RegExp(`^(?:${value})$`).test(s))).every((s) => (CALL_STATUSES as readonly string[]).includes(s))) {
          problems.push(`${where}: ${metric} has no status ${value}`);
        }
      }
    }
    for (const { label, op, value } of matchers(expr, 'up')) {
      const matched = jobs.filter((job) => (op === '=' ? job === value : new RegExp(`^(?:${value})$`).test(job)));
      if (label === 'job' && matched.length === 0) problems.push(`${where}: no scrape job ${value} in prometheus.yml`);
    }
  }
  expect(problems).toEqual([]);
  // Every process Prometheus scrapes is watched by CallmatrixDown.
  const down = alerts.groups.flatMap((g) => g.rules).find((rule) => rule.alert === 'CallmatrixDown')!;
  const watched = matchers(down.expr, 'up').find(({ label }) => label === 'job')!;
  expect(jobs.filter((job) => !new RegExp(`^(?:${watched.value})$`).test(job))).toEqual([]);
});

it('[Operations] the README documents every metric callmatrix exports and every alert rule', () => {
  const documentedMetrics = [...readme.matchAll(/^\| `(callmatrix_\w+)` \|/gm)].map(([, name]) => name);
  expect([...Object.values(METRIC_NAMES)].sort()).toEqual([...new Set(documentedMetrics)].sort());
  const section = readme.slice(readme.indexOf('### Dashboards and alerts'), readme.indexOf('### Logs'));
  for (const { alert } of alerts.groups.flatMap((g) => g.rules)) expect({ alert, documented: section.includes(`\`${alert}\``) }).toEqual({ alert, documented: true });
});
