import { createServer } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { connectDatabase, disconnectDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { createServices } from './services';
import { purgeExpiredIdPhotos } from './identity';
import { closeStaffStreams } from './auth';
import { sweepCalls } from './call';
import { sweepDecisions } from './decisions';
import { purgeStaleUploads } from './evidence';
import { purgeAuditBefore } from './platform/audit/audit';
import { ensureDefaultBrigades } from './brigades';
import { reconcileOpenCases } from './cases';
import { RECONCILE_EVERY_MS, reconcileStatistics } from './statistics';

/** Starts one stateless server instance; SIGTERM/SIGINT drain requests, then close the database. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  await connectDatabase(config.MONGODB_URI, config.MONGODB_DB, { serverSelectionTimeoutMS: config.DB_UNAVAILABLE_AFTER_MS });
  const seeded = await ensureDefaultBrigades();
  if (seeded > 0) logger.info({ seeded }, 'default brigades created (one per district)');
  // A previous process may have died between a case and its open_cases row: converge before serving.
  const reconciled = await reconcileOpenCases();
  if (reconciled.repaired.length > 0) logger.warn({ repaired: reconciled.repaired }, 'open_cases repaired at start-up');
  const services = createServices(config, logger);
  const app = createApp(services);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000; // longer than a typical load balancer's idle timeout

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ host: config.HOST, port, env: config.NODE_ENV }, 'server listening');
  // One machine-readable line for whoever started us (scripts/start.ts waits for it).
  if (process.send) process.send({ type: 'listening', port });

  // ID photos past their retention period: hourly; idempotent, so every instance may run it.
  const purge = setInterval(() => {
    purgeExpiredIdPhotos({ services })
      .then((count) => count > 0 && logger.info({ count }, 'expired ID photos deleted'))
      .catch((err: unknown) => logger.error({ err }, 'ID photo purge failed'));
  }, 3600_000);
  purge.unref();
  // Uploads started and never finished: their chunks go after a day (fixed evidence is never touched).
  const uploadPurge = setInterval(() => {
    purgeStaleUploads(services, 24 * 3600)
      .then((count) => count > 0 && logger.info({ count }, 'stale uploads purged'))
      .catch((err: unknown) => logger.error({ err }, 'upload purge failed'));
  }, 3600_000);
  uploadPurge.unref();
  // Audit entries past their retention: dropped after anchoring the chain, so what is kept still verifies.
  const auditPurge = setInterval(() => {
    if (config.AUDIT_RETENTION_DAYS === 0) return;
    purgeAuditBefore(new Date(Date.now() - config.AUDIT_RETENTION_DAYS * 86_400_000))
      .then((count) => count > 0 && logger.info({ count }, 'audit entries past retention dropped'))
      .catch((err: unknown) => logger.error({ err }, 'audit purge failed'));
  }, 3600_000);
  auditPurge.unref();

  // Drift no read has met yet (a crash on another instance): every instance may run it, it is idempotent.
  const reconcile = setInterval(() => {
    reconcileOpenCases()
      .then(({ repaired }) => repaired.length > 0 && logger.warn({ repaired }, 'open_cases repaired'))
      .catch((err: unknown) => logger.error({ err }, 'open_cases reconcile failed'));
  }, 60_000);
  reconcile.unref();

  // The statistics rows follow the cases by listeners; this catches what a crash lost, and builds them
  // the first time (in the background: a read that comes first waits for the same run).
  const statsReconcile = () => void reconcileStatistics(logger).catch((err: unknown) => logger.error({ err }, 'statistics reconcile failed'));
  statsReconcile();
  const statsSweep = setInterval(statsReconcile, RECONCILE_EVERY_MS);
  statsSweep.unref();

  // Calls nobody is minding: parked or handed back. Every instance may sweep; transitions settle races.
  const sweep = setInterval(() => {
    sweepCalls(services)
      .then(({ abandoned, handedBack }) => (abandoned.length || handedBack.length) && logger.info({ abandoned, handedBack }, 'calls swept'))
      .catch((err: unknown) => logger.error({ err }, 'call sweep failed'));
    // Decisions left undelivered by a stopped process, and cases whose 复核 window has passed.
    sweepDecisions(services)
      .then(({ delivered, closed }) => (delivered.length || closed.length) && logger.info({ delivered, closed }, 'decisions swept'))
      .catch((err: unknown) => logger.error({ err }, 'decision sweep failed'));
  }, 15_000);
  sweep.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      logger.warn('grace period over: closing remaining connections');
      server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      // A release just answered may still be stopping its recording: let it finish (bounded by the grace timer's exit).
      await services.caseListeners.settled();
      // Closed after the drain: a request still finishing must be able to tell the other instances (Redis).
      await Promise.all([services.pubsub.close(), services.limits.close()]).catch((err: unknown) => logger.error({ err }, 'redis close failed'));
      await disconnectDatabase().catch((err: unknown) => logger.error({ err }, 'database close failed'));
      logger.info('stopped');
      process.exit(0);
    });
    // Live-queue streams never end by themselves; consoles reconnect to another instance.
    closeStaffStreams();
    clearInterval(sweep);
    clearInterval(reconcile);
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by `npm start` over IPC: if it dies (even SIGKILL) the channel closes; no orphan may keep the port.
  // Our stdout was its pipe and is gone too: log nothing more (pino's exit flush would spin on EPIPE).
  if (process.send) {
    process.on('disconnect', () => {
      logger.level = 'silent';
      shutdown('parent gone');
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
