/** openapi — the published contract: /api/openapi.json built from every mounted route's contract, and its viewer /api/docs. */
export { openApiRoutes } from './openapi.routes';
export { buildOpenApiDocument, type OpenApiDocument } from './document';
export { mountedRoutes, type MountedRoute } from './route-walk';
