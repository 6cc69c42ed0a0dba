export { createMetrics, type AppMetrics } from './metrics';
export { httpMetrics } from './http-metrics';
export { instrumentClient } from './instrument-client';
