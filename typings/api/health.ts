export interface HealthResponse {
  status: 'ok';
  uptimeSeconds: number;
  version: string;
}

export interface ReadyResponse {
  /** draining: the instance is stopping (SIGTERM); send new requests elsewhere. */
  status: 'ready' | 'not_ready' | 'draining';
  database: 'up' | 'down';
}
