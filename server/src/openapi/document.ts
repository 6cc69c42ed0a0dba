import type Router from '@koa/router';
import type { RouteContract, RouteSecurity } from '../platform/contract';
import { APP_VERSION } from '../platform/version';
import { errorBodySchema, errorResponse, readErrorCodes, SHARED_ERROR_STATUSES } from './error-body';
import { objectProperties, toJsonSchema, type JsonSchema } from './json-schema';
import { mountedRoutes, type MountedRoute } from './route-walk';

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, JsonSchema>> };

export interface DocumentOptions {
  /** The staff session cookie's name (config STAFF_COOKIE_NAME). */
  staffCookieName: string;
  /** The public origin, when configured (config PUBLIC_URL). */
  publicUrl?: string;
}

const STAFF_ROLES = new Set(['dispatcher', 'officer', 'reviewer', 'ops']);
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The OpenAPI 3.1 document of these routers, built from what each route publishes (its contract,
 * read off the layers; its guard's roles): nothing here is written by hand per route, so it says what
 * the server enforces. A route without a contract is still listed (method, path, who may call it), so
 * nothing mounted is hidden; `internal` routes (static files) are left out.
 */
export function buildOpenApiDocument(routers: readonly Router[], options: DocumentOptions): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { ErrorBody: errorBodySchema(readErrorCodes()) };
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  const tags = new Set<string>();
  /** Each failure status once, referred to by every operation that can answer with it. */
  const errorResponses: Record<string, JsonSchema> = {};

  for (const route of mountedRoutes(routers)) {
    if (route.contract?.internal) continue;
    const item = (paths[route.openApiPath] ??= {});
    if (item[route.method]) continue; // a later router's copy of the same route is never reached
    const tag = tagOf(route.path);
    tags.add(tag);
    item[route.method] = operation(route, tag, uniqueId(route, operationIds), schemas, errorResponses);
  }

  return {
    openapi: '3.1.1',
    info: {
      title: '事故视频快处 API',
      version: APP_VERSION,
      description: [
        '由各路由的契约（校验请求所用的 zod 模式）生成，与服务器实际执行的校验一致。',
        '',
        '**失败**一律为 JSON `ErrorBody`：`{ code, message }` 加 `requestId`，部分 code 另附字段（见该模式）。',
        '任何接口在数据库暂不可用时都可能返回 503 `DATABASE_UNAVAILABLE`（附 Retry-After）。',
        '',
        '**身份**：驾驶人（小程序）用 `Authorization: Bearer <访问令牌>`；工作人员（接警台）用登录后设置的会话 Cookie，',
        '且每个写操作（POST/PUT/PATCH/DELETE）须带请求头 `x-console-request: 1`（跨站表单无法设置自定义头，以此防 CSRF）。',
        '各操作的 `x-roles` 列出允许的角色。',
      ].join('\n'),
    },
    servers: [{ url: '/', description: '本服务（与本文档同源）' }, ...(options.publicUrl ? [{ url: options.publicUrl, description: '公开地址' }] : [])],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas,
      responses: errorResponses,
      securitySchemes: {
        driverBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: '驾驶人访问令牌（POST /api/v1/auth/wechat-login 获得，过期用 /refresh 换新）' },
        staffCookie: { type: 'apiKey', in: 'cookie', name: options.staffCookieName, description: '工作人员会话（POST /api/v1/staff/login 设置，HttpOnly、SameSite=Strict）' },
        consoleRequest: {
          type: 'apiKey',
          in: 'header',
          name: 'x-console-request',
          description: '值为 1：工作人员的每个写操作必须带上（否则 403 CSRF_REJECTED）。不是密钥，证明请求来自接警台页面本身。',
        },
      },
    },
  };
}

function operation(route: MountedRoute, tag: string, operationId: string, schemas: Record<string, JsonSchema>, errorResponses: Record<string, JsonSchema>): JsonSchema {
  const c: RouteContract | undefined = route.contract;
  const convert = (schema: NonNullable<RouteContract['body']>, part: string) => toJsonSchema(schema, schemas, `${operationId}_${part}`);
  const op: JsonSchema = {
    operationId,
    tags: [tag],
    summary: c?.summary ?? `${route.method.toUpperCase()} ${route.path}（尚未声明契约）`,
    ...(c?.description ? { description: c.description } : {}),
  };
  if (!c) op['x-contract-missing'] = true;

  const parameters: JsonSchema[] = [...pathParameters(route, c?.params ? convert(c.params, 'params') : null)];
  if (c?.query) parameters.push(...expand(convert(c.query, 'query'), 'query'));
  if (c?.headers) parameters.push(...expand(convert(c.headers, 'headers'), 'header'));
  if (parameters.length) op.parameters = parameters;

  if (c?.body || c?.requestMediaType) {
    const media = c.requestMediaType ?? 'application/json';
    const schema = c.body ? convert(c.body, 'body') : media === 'application/octet-stream' ? { type: 'string', contentMediaType: media } : {};
    // A JSON route reads a missing body as {}: the body is required only when {} would be refused.
    const required = media !== 'application/json' || !c.body || !acceptsEmpty(c.body);
    op.requestBody = { required, content: { [media]: { schema } } };
  }

  Object.assign(op, securityOf(route.security, route.method));
  op.responses = responses(c, errorResponses);
  return op;
}

function acceptsEmpty(schema: NonNullable<RouteContract['body']>): boolean {
  try {
    return schema.safeParse({}).success;
  } catch {
    return false; // an async refinement: say required, the safe side for a caller
  }
}

/** Each `:name` of the path: its schema from the contract's `params`, else a plain string. */
function pathParameters(route: MountedRoute, declared: JsonSchema | null): JsonSchema[] {
  const props = declared ? objectProperties(declared)?.properties : undefined;
  return route.params.map((name) => ({ name, in: 'path', required: true, schema: props?.[name] ?? { type: 'string' } }));
}

/** An object schema of the query or the headers as one parameter per property. */
function expand(schema: JsonSchema, where: 'query' | 'header'): JsonSchema[] {
  const object = objectProperties(schema);
  const style = where === 'query' ? { style: 'form', explode: true } : {};
  if (!object) return [{ name: where, in: where, ...style, schema }];
  return Object.entries(object.properties).map(([name, property]) => ({
    name,
    in: where,
    ...(object.required.has(name) ? { required: true } : {}),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    ...style,
    schema: property,
  }));
}

/** Who may call: drivers by bearer token, staff by session cookie (plus the console header on writes). */
function securityOf(security: RouteSecurity | undefined, method: string): JsonSchema {
  const roles = security?.roles ?? [];
  if (!roles.length) return { security: [] };
  const requirements: JsonSchema[] = [];
  if (roles.includes('driver')) requirements.push({ driverBearer: [] });
  if (roles.some((role) => STAFF_ROLES.has(role))) {
    requirements.push(WRITE_METHODS.has(method) ? { staffCookie: [], consoleRequest: [] } : { staffCookie: [] });
  }
  const verified = security?.verifiedDriver ? { 'x-verified-driver': true } : {};
  return { security: requirements, 'x-roles': roles, ...verified };
}

function responses(c: RouteContract | undefined, errorResponses: Record<string, JsonSchema>): JsonSchema {
  const status = c?.successStatus ?? 200;
  const out: JsonSchema = {};
  if (status === 204) out['204'] = { description: '成功，无内容' };
  else if (status >= 300 && status < 400) out[String(status)] = { description: '跳转', headers: { Location: { schema: { type: 'string' } } } };
  else out[String(status)] = { description: '成功', content: { [c?.responseMediaType ?? 'application/json']: { schema: {} } } };
  for (const code of [...new Set([...SHARED_ERROR_STATUSES, ...(c?.errors ?? [])])].sort((a, b) => a - b)) {
    if (String(code) in out) continue;
    errorResponses[`Error${code}`] ??= errorResponse(code);
    out[String(code)] = { $ref: `#/components/responses/Error${code}` };
  }
  return out;
}

/** The module a route belongs to, by its path: `/api/v1/admin/statistics/…` → `admin/statistics`. */
export function tagOf(path: string): string {
  const segments = path.split('/').filter((s) => s && !/^[:*{]/.test(s));
  if (segments[0] === 'api' && segments[1] === 'v1') {
    const [first, second] = segments.slice(2);
    if (!first) return 'api';
    return (first === 'admin' || first === 'desk') && second ? `${first}/${second.replace(/\..*$/, '')}` : first.replace(/\..*$/, '');
  }
  if (segments[0] === 'api') return 'docs';
  if (!segments.length || segments[0] === 'console') return 'console';
  if (segments[0] === 'healthz' || segments[0] === 'readyz') return 'health';
  return segments[0]!.replace(/\..*$/, '');
}

function uniqueId(route: MountedRoute, taken: Set<string>): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const base = [route.method, ...words].join('_');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}
