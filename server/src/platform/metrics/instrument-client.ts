import { UpstreamUnavailableError } from '../../clients/http/fetch-json';
import type { AppMetrics } from './metrics';

/** Distinct error codes kept per client; later ones count as `other` (a vendor inventing codes cannot grow the series). */
const MAX_CODES_PER_CLIENT = 20;

/**
 * The label for a failure: how the call failed (timeout, network, bad_status, bad_body) when no answer
 * could be read, else the vendor's own code (`errcode`, `code`, `status`), else the error's class.
 */
function codeOf(err: unknown): string {
  if (err instanceof UpstreamUnavailableError) return err.reason;
  const e = err as { errcode?: unknown; code?: unknown; status?: unknown; name?: unknown } | null;
  for (const value of [e?.errcode, e?.code, e?.status]) {
    if (typeof value === 'number' || (typeof value === 'string' && /^[\w.-]{1,32}$/.test(value))) return String(value);
  }
  return typeof e?.name === 'string' ? e.name.slice(0, 40) : 'unknown';
}

/**
 * The client, with every method's failure counted in `qh_external_client_errors_total{client, code}`
 * (the error itself goes on unchanged). Methods run on the real object, so a method calling another
 * of its own (a token refresh inside a call) counts once, not twice.
 */
export function instrumentClient<T extends object>(client: T, name: string, metrics: AppMetrics): T {
  const seen = new Set<string>();
  const record = (err: unknown) => {
    let code = codeOf(err);
    if (!seen.has(code)) {
      if (seen.size >= MAX_CODES_PER_CLIENT) code = 'other';
      else seen.add(code);
    }
    metrics.clientErrors.inc({ client: name, code });
  };
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || property === 'constructor') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          record(err);
          throw err;
        }
        if (result instanceof Promise) {
          return result.catch((err: unknown) => {
            record(err);
            throw err;
          });
        }
        return result;
      };
    },
  });
}
