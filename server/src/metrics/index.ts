/**
 * metrics — GET /metrics for Prometheus: the request, client and evidence counters the platform
 * records (platform/metrics); the open cases, each brigade's queue and who is on duty, and the periodic
 * jobs' last runs, read at scrape; and the 5-minute service level as calls end. Readable with
 * METRICS_TOKEN or an ops session.
 */
export { metricsRoutes } from './metrics.routes';
export { listenForMetrics } from './service-level';
