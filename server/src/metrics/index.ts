/**
 * metrics — GET /metrics for Prometheus: the request, client and evidence counters the platform
 * records (platform/metrics), the open cases and each brigade's queue read at scrape, and the
 * 5-minute service level as calls end. Readable with METRICS_TOKEN or an ops session.
 */
export { metricsRoutes } from './metrics.routes';
export { listenForMetrics } from './service-level';
