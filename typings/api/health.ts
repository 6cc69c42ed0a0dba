export interface HealthResponse {
  status: 'ok';
  uptimeSeconds: number;
  version: string;
}

export interface ReadyResponse {
  status: 'ready' | 'not_ready';
  database: 'up' | 'down';
}
