import type { Context, Middleware } from 'koa';
import type { ZodType } from 'zod';

/**
 * What a route accepts, stated once beside the route: the very zod schemas its handler validates with
 * (`body(ctx, schema)` / `query(ctx, schema)` refuse any other schema on a route that has a contract),
 * so the published OpenAPI document (`/api/openapi.json`) cannot drift from what the server enforces.
 */
export interface RouteContract {
  /** One line for the API reference. */
  summary: string;
  description?: string;
  /** The JSON body schema (the same object the handler passes to `body(ctx, …)`). */
  body?: ZodType;
  /** The query-string schema (the same object the handler passes to `query(ctx, …)`). */
  query?: ZodType;
  /** Path parameters, an object schema keyed by the `:name`s of the path; a missing one is a plain string. */
  params?: ZodType;
  /** Request headers that matter (e.g. `idempotency-key`), an object schema keyed by lower-case names. */
  headers?: ZodType;
  /** A body that is not JSON: an upload, a raw GeoJSON file. The body schema (if any) then describes the form fields. */
  requestMediaType?: 'multipart/form-data' | 'application/octet-stream' | 'application/geo+json';
  /** What a success answers with, when not JSON. */
  responseMediaType?: 'text/event-stream' | 'application/pdf' | 'text/csv' | 'text/html' | 'image/jpeg' | 'application/octet-stream' | 'video/mp4' | 'application/javascript' | 'text/css' | 'text/plain';
  /** The success status; 200 unless given (201 for a creation, 204 for nothing). */
  successStatus?: number;
  /** Other statuses a well-formed request can meet besides the shared 400/401/403/404/429 (e.g. 409). */
  errors?: number[];
  /** Hidden from the document (static files of the console). */
  internal?: boolean;
}

/** How a route authenticates, read by the OpenAPI generator off the guard middleware itself. */
export interface RouteSecurity {
  /** Roles allowed; empty for a public route. */
  roles: string[];
  /** Drivers must also have passed real-person verification. */
  verifiedDriver?: boolean;
}

const CONTRACT = Symbol.for('qh.route-contract');
const SECURITY = Symbol.for('qh.route-security');

type Tagged = Middleware & { [CONTRACT]?: RouteContract; [SECURITY]?: RouteSecurity };

/** Declares a route's contract: put it first among the route's middleware. */
export function contract(spec: RouteContract): Middleware {
  const middleware: Tagged = async (ctx, next) => {
    ctx.state.contract = spec;
    await next();
  };
  middleware[CONTRACT] = spec;
  return middleware;
}

/** Marks a guard middleware with who may pass, for the document. Returns the same function. */
export function withSecurity<M extends Middleware>(middleware: M, security: RouteSecurity): M {
  (middleware as Tagged)[SECURITY] = security;
  return middleware;
}

export function contractOf(middleware: unknown): RouteContract | undefined {
  return typeof middleware === 'function' ? (middleware as Tagged)[CONTRACT] : undefined;
}

export function securityOf(middleware: unknown): RouteSecurity | undefined {
  return typeof middleware === 'function' ? (middleware as Tagged)[SECURITY] : undefined;
}

/** The contract of the route being served, if it declared one. */
export function currentContract(ctx: Context): RouteContract | undefined {
  return (ctx.state as { contract?: RouteContract }).contract;
}
