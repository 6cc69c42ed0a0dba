import { createServer } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { connectDatabase, disconnectDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { createServices } from './services';
import { ensureDefaultBrigades } from './brigades';
import { reconcileOpenCases } from './cases';
import { reconcileStatistics } from './statistics';
import { periodicJobs } from './jobs';
import { startPeriodicJobs } from './platform/lease';
import { drainableServer } from './platform/http-drain';

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
  const drainable = drainableServer(server);
  server.keepAliveTimeout = 65_000; // longer than a typical load balancer's idle timeout

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ host: config.HOST, port, env: config.NODE_ENV }, 'server listening');

  // The statistics rows: built the first time, and what a crash of this process lost, at start-up (in the
  // background: a read that comes first waits for the same run). Daily after that, as a periodic job.
  void reconcileStatistics(logger).catch((err: unknown) => logger.error({ err }, 'statistics reconcile failed'));
  // Sweeps, reconciles and purges (jobs.ts): each tick runs on one instance, whichever instances run.
  const jobs = startPeriodicJobs(periodicJobs(services), { logger, clock: services.clock });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    // /readyz says 503, responses close their connections, staff streams end with a reconnect hint and
    // long polls answer now; the clients come back through the load balancer to another instance.
    services.drain.start();
    // No new ticks; a run under way finishes (bounded) while the requests drain, before the database closes.
    const jobsStopped = jobs.stop(Math.max(config.SHUTDOWN_GRACE_MS - 1_000, 0));
    const force = setTimeout(() => {
      logger.warn('grace period over: closing remaining connections');
      server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    force.unref();
    let idleSweep: NodeJS.Timeout | undefined;
    const stopListening = () => {
      drainable.stopListening(async () => {
        clearInterval(idleSweep);
        await jobsStopped;
        // A release just answered may still be stopping its recording: let it finish (bounded by the grace timer's exit).
        await services.caseListeners.settled();
        // Closed after the drain: a request still finishing must be able to tell the other instances (Redis).
        await Promise.all([services.pubsub.close(), services.limits.close()]).catch((err: unknown) => logger.error({ err }, 'redis close failed'));
        await disconnectDatabase().catch((err: unknown) => logger.error({ err }, 'database close failed'));
        logger.info('stopped');
        process.exit(0);
      });
      // Responses now say Connection: close; a keep-alive connection idle since before is ended here.
      drainable.endIdle();
      idleSweep = setInterval(() => drainable.endIdle(), 100);
      idleSweep.unref();
    };
    // Accepting a little longer lets a balancer that routes by readiness see the 503 before connections are refused.
    if (config.SHUTDOWN_READINESS_DELAY_MS > 0) setTimeout(stopListening, config.SHUTDOWN_READINESS_DELAY_MS);
    else stopListening();
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
  // One machine-readable line for whoever started us (scripts/start.ts waits for it); after the signal
  // handlers, so a SIGTERM right after it is a drain, not the default instant death.
  if (process.send) process.send({ type: 'listening', port });
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
