import type Router from '@koa/router';
import { contractOf, securityOf, type RouteContract, type RouteSecurity } from '../platform/contract';

/** One method of one route as the app mounts it, with what its middleware publishes. */
export interface MountedRoute {
  method: string;
  /** The router's own path syntax: `/api/v1/cases/:id`, `/console/{*path}`. */
  path: string;
  /** The same path as OpenAPI writes it: `/api/v1/cases/{id}`. */
  openApiPath: string;
  /** Path parameter names, in order. */
  params: string[];
  contract?: RouteContract;
  /** From the guard on the route itself or on its router (`router.use(requireRole(…))`); none: public. */
  security?: RouteSecurity;
}


/** HEAD is answered by every GET route; OPTIONS by allowedMethods. Neither is an operation of its own. */
const IMPLIED_METHODS = new Set(['HEAD', 'OPTIONS']);

/**
 * Every route of these routers, in mounting order, read off their layers (`router.stack`): a route
 * layer has methods; a middleware layer (`router.use`) has none and applies to the routes whose path it
 * matches. A nested router mounted with `router.use(child.routes())` already sits in its parent's stack.
 */
export function mountedRoutes(routers: readonly Router[]): MountedRoute[] {
  const routes: MountedRoute[] = [];
  for (const router of routers) {
    const middlewareLayers = router.stack.filter((layer) => layer.methods.length === 0);
    for (const layer of router.stack) {
      if (layer.methods.length === 0 || typeof layer.path !== 'string') continue;
      const path = layer.path;
      const sample = samplePath(path);
      const around = middlewareLayers.filter((m) => m.regexp.test(sample)).flatMap((m) => m.stack);
      const contract = layer.stack.map(contractOf).find(Boolean);
      const security = [...around, ...layer.stack].map(securityOf).find(Boolean);
      const params = layer.paramNames.map((key) => String(key.name));
      for (const method of layer.methods) {
        if (IMPLIED_METHODS.has(method)) continue;
        routes.push({ method: method.toLowerCase(), path, openApiPath: toOpenApiPath(path), params, contract, security });
      }
    }
  }
  return routes;
}

/** `:id` and `*rest` become `{id}` / `{rest}`; an optional group `{…}` is written as if present. */
export function toOpenApiPath(path: string): string {
  return path
    .replace(/[{}]/g, '')
    .replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
}

/** A concrete path the route matches, to ask which middleware layers apply to it. */
function samplePath(path: string): string {
  return path.replace(/[{}]/g, '').replace(/[:*][A-Za-z_$][\w$]*/g, 'x');
}
