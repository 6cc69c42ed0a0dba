/** Latency and status counts per route of a load run, and the table printed at its end. */
export interface RouteStats {
  count: number;
  non2xx: number;
  statuses: Map<number, number>;
  latencies: number[];
  /** A few bodies of non-2xx answers, to say why. */
  samples: string[];
}

export class RouteBook {
  readonly routes = new Map<string, RouteStats>();

  record(route: string, status: number, ms: number, body?: string): void {
    let stats = this.routes.get(route);
    if (!stats) this.routes.set(route, (stats = { count: 0, non2xx: 0, statuses: new Map(), latencies: [], samples: [] }));
    stats.count++;
    stats.latencies.push(ms);
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    if (status < 200 || status >= 300) {
      stats.non2xx++;
      if (stats.samples.length < 3 && body !== undefined) stats.samples.push(`${status} ${body.slice(0, 200)}`);
    }
  }

  get total(): { count: number; non2xx: number } {
    let count = 0;
    let non2xx = 0;
    for (const s of this.routes.values()) {
      count += s.count;
      non2xx += s.non2xx;
    }
    return { count, non2xx };
  }

  table(): string {
    const rows = [...this.routes.entries()].sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(5, ...rows.map(([r]) => r.length));
    const lines = [`${'route'.padEnd(width)}  ${'count'.padStart(6)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'max ms'.padStart(7)}  ${'non-2xx'.padStart(7)}`];
    for (const [route, s] of rows) {
      const sorted = [...s.latencies].sort((a, b) => a - b);
      lines.push(`${route.padEnd(width)}  ${String(s.count).padStart(6)}  ${fmt(pct(sorted, 0.5)).padStart(7)}  ${fmt(pct(sorted, 0.99)).padStart(7)}  ${fmt(sorted.at(-1) ?? 0).padStart(7)}  ${String(s.non2xx).padStart(7)}`);
    }
    const all = rows.flatMap(([, s]) => s.latencies).sort((a, b) => a - b);
    const { count, non2xx } = this.total;
    lines.push(`${'all'.padEnd(width)}  ${String(count).padStart(6)}  ${fmt(pct(all, 0.5)).padStart(7)}  ${fmt(pct(all, 0.99)).padStart(7)}  ${fmt(all.at(-1) ?? 0).padStart(7)}  ${String(non2xx).padStart(7)}`);
    return lines.join('\n');
  }

  failures(): string[] {
    const out: string[] = [];
    for (const [route, s] of this.routes) {
      if (s.non2xx === 0) continue;
      const codes = [...s.statuses].filter(([status]) => status < 200 || status >= 300).map(([status, n]) => `${n} × ${status}`);
      out.push(`${route}: ${codes.join(', ')}${s.samples.map((x) => `\n    e.g. ${x}`).join('')}`);
    }
    return out;
  }
}

function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}
