import type Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import { driverAuthRoutes, staffAuthRoutes, driverRoutes } from './auth';
import { caseRoutes, queueRoutes, reportCheckRoutes, roadPreviewRoutes } from './cases';
import { certificateRoutes } from './certificates';
import { callRoutes, deskRoutes } from './call';
import { brigadeAdminRoutes, staffAdminRoutes } from './brigades';
import { eligibilityProbeRoutes, eligibilityRoutes, isRoadLayerPath, roadLayerRoutes, serviceHoursRoutes } from './eligibility';
import { evidenceRoutes } from './evidence';
import { decisionRoutes } from './decisions';
import { insurerRoutes } from './insurers';
import { matterRoutes } from './matters';
import { reviewRoutes } from './reviews';
import { rosteringRoutes } from './rostering';
import { auditRoutes } from './audit-log';
import { statisticsRoutes } from './statistics';
import { consoleRoutes } from './console';
import { healthRoutes } from './health';
import { openApiRoutes } from './openapi';
import { metricsRoutes } from './metrics';
import { identityReviewRoutes, verificationRoutes } from './identity';
import { errorHandler } from './platform/error-handler';
import { httpMetrics } from './platform/metrics';
import { jsonBody } from './platform/json-body';
import { requestContext } from './platform/request-context';
import { securityHeaders } from './platform/security-headers';
import { closeConnectionsWhileDraining } from './platform/drain';
import type { AppServices } from './app-services';

// Validation messages reach drivers: say them in Chinese unless a schema gives its own words.
z.config(z.locales.zhCN());

/** The HTTP app: shared middleware, then each domain module's routes. Nothing listens here. */
export function createApp(services: AppServices): Koa {
  const app = new Koa({ proxy: services.config.TRUST_PROXY, maxIpsCount: services.config.TRUSTED_PROXY_HOPS });
  app.context.services = services;
  // Koa prints uncaught errors itself; ours are already logged by errorHandler.
  app.silent = true;

  app.use(requestContext(services.logger));
  // Outside the error handler: it counts the status actually sent.
  app.use(httpMetrics(services.metrics));
  app.use(closeConnectionsWhileDraining(services.drain));
  app.use(securityHeaders());
  app.use(errorHandler());
  // The road-layer upload reads its raw text itself (errors name the line; a layer may exceed MAX_JSON_BODY).
  app.use(jsonBody({ limit: services.config.MAX_JSON_BODY, skip: isRoadLayerPath }));

  for (const router of appRouters(services)) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}

/** Every router the app mounts, in order: /api/openapi.json is built from this very list. */
export function appRouters(services: AppServices): Router[] {
  const modules: Router[] = [
    healthRoutes(),
    metricsRoutes(),
    driverAuthRoutes(),
    staffAuthRoutes(),
    driverRoutes(),
    verificationRoutes(),
    staffAdminRoutes(),
    identityReviewRoutes(),
    serviceHoursRoutes(),
    roadLayerRoutes(),
    roadPreviewRoutes(),
    eligibilityProbeRoutes(),
    eligibilityRoutes(),
    reportCheckRoutes(),
    caseRoutes(),
    callRoutes(),
    deskRoutes(),
    queueRoutes(),
    brigadeAdminRoutes(),
    evidenceRoutes(),
    certificateRoutes(),
    decisionRoutes(),
    matterRoutes(),
    reviewRoutes(),
    auditRoutes(),
    statisticsRoutes(),
    rosteringRoutes(),
    insurerRoutes(),
    openApiRoutes(() => modules),
    consoleRoutes(services.config.CONSOLE_DIST_DIR),
  ];
  return modules;
}
