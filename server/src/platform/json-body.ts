import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from './errors';

/** No request of ours nests deeper than a handful of levels; GeoJSON coordinates need about six. */
export const MAX_JSON_DEPTH = 64;

const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The deepest nesting of `[` / `{` in a JSON text, counted outside strings, stopping as soon as it
 * passes `limit`. One pass, no recursion, so a hostile `[[[[…` costs microseconds, not a stack.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Where the first U+0000 sits in a parsed body (a string or a key), as `a.b.0`; null when none does.
 * No field of ours can hold one and the engine refuses it in a stored string or key (a staff name
 * with one was a 500, found by `npm run fuzz`), so a body with one is refused at the edge, whatever
 * field it is in. The depth is already bounded (MAX_JSON_DEPTH).
 */
export function nulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')].join('.');
    const found = nulPath(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

export const jsonTooDeep = () => new AppError(400, 'JSON_TOO_DEEP', `请求内容嵌套过深（最多 ${MAX_JSON_DEPTH} 层）`);

/**
 * Reads a JSON request body into `ctx.request.body`: size-limited, nesting-limited before parsing
 * (deep nesting parses fine in V8 and then overflows the stack of whatever walks it), objects and
 * arrays only. Bodies of other types are left to the routes that read them.
 */
export function jsonBody(options: { limit: string | number; skip?: (path: string) => boolean }): Middleware {
  return async (ctx, next) => {
    if (!PARSED_METHODS.has(ctx.method) || options.skip?.(ctx.path) || !ctx.request.is('json', '+json')) return next();
    let text: string;
    try {
      text = await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit: options.limit, encoding: 'utf-8' });
    } catch (err) {
      throw rawBodyError(err);
    }
    if (jsonDepthExceeds(text)) throw jsonTooDeep();
    if (text.trim() === '') {
      (ctx.request as { body?: unknown }).body = {};
      return next();
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError(400, 'INVALID_JSON', '请求内容不是有效的 JSON');
    }
    if (value === null || typeof value !== 'object') throw new AppError(400, 'INVALID_JSON', '请求内容应为 JSON 对象');
    // Only a body whose text has the escape can hold a NUL: most bodies skip the walk.
    const nulAt = text.includes('\\u0000') ? nulPath(value) : null;
    if (nulAt !== null) {
      const message = '不能含有空字符（U+0000），请删除后重试';
      throw new AppError(400, 'VALIDATION_FAILED', `请求参数有误：${nulAt ? `${nulAt}：` : ''}${message}`, { issues: [{ path: nulAt, message }] });
    }
    (ctx.request as { body?: unknown }).body = value;
    return next();
  };
}

/** raw-body's failures as our answers: too big, cut short, or a charset we do not read. */
export function rawBodyError(err: unknown): AppError {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return new AppError(413, 'PAYLOAD_TOO_LARGE', '提交的内容过大');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 UTF-8 编码提交');
  // request.aborted, request.size.invalid, stream errors: the body did not arrive whole.
  return new AppError(400, 'VALIDATION_FAILED', '请求内容不完整，请重试');
}
