import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The metrics this process records into, on a registry of its own (not prom-client's global one), so
 * several apps in one process (tests) never share or collide on a series. Only what code below the
 * metrics module must record lives here (HTTP middleware, vendor clients, evidence); the gauges read at
 * scrape time belong to server/src/metrics. Ours are named `qh_…`; the default process metrics keep
 * their usual names, which dashboards expect. docs/METRICS.md lists every series.
 */
export interface AppMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  clientErrors: Counter<'client' | 'code'>;
  evidenceFixedBytes: Counter<'kind'>;
  evidenceFixed: Counter<'kind'>;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'qh_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'qh_http_request_duration_seconds',
      help: 'Time to the response (a stream: to its first byte), by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    clientErrors: new Counter({
      name: 'qh_external_client_errors_total',
      help: 'Failed calls to external services, by client and error code',
      labelNames: ['client', 'code'],
      registers,
    }),
    evidenceFixedBytes: new Counter({
      name: 'qh_evidence_fixed_bytes_total',
      help: 'Bytes of evidence fixed into a case chain by this process, by kind',
      labelNames: ['kind'],
      registers,
    }),
    evidenceFixed: new Counter({
      name: 'qh_evidence_fixed_total',
      help: 'Evidence items fixed into a case chain by this process, by kind',
      labelNames: ['kind'],
      registers,
    }),
  };
}
