import type { Finding } from './har';
import type { FuzzResult } from './run-fuzz';

/** The run's figures as a table, then every 5xx and malformed error (the first few of each kind). */
export function formatSummary(result: FuzzResult): string {
  const rows = [['role', 'requests', '2xx', '3xx', '4xx', '5xx', 'malformed errors']];
  for (const { role, tally } of [...result.roles, { role: 'total', tally: result.total }]) {
    const c = tally.byClass;
    rows.push([role, tally.requests, c['2xx'] ?? 0, c['3xx'] ?? 0, c['4xx'] ?? 0, c['5xx'] ?? 0, tally.malformed.length].map(String));
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const table = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
  const overrides = Object.entries(result.envOverrides).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `contract fuzz: ${result.operations} operations, ${result.total.requests} requests in ${(result.elapsedMs / 1000).toFixed(1)} s (start-up included)`,
    '',
    table,
    '',
    `limits raised for the fuzz stack (config variables): ${overrides}`,
    `HAR of every exchange: ${result.reportDir}`,
    ...findings('5xx answers', result.total.serverErrors),
    ...findings('error bodies not in { code, message } shape', result.total.malformed),
  ].join('\n');
}

function findings(title: string, list: Finding[]): string[] {
  if (list.length === 0) return [];
  return ['', `${title} (${list.length}, first 20):`, ...list.slice(0, 20).map((f) => `  ${f.status} ${f.method} ${f.url}\n      sent: ${f.sent ?? '—'}\n      got:  ${f.body.slice(0, 200)}`)];
}

export function passed(result: FuzzResult): boolean {
  return result.total.serverErrors.length === 0 && result.total.malformed.length === 0;
}
