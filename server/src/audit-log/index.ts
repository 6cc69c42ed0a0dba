/** audit-log — the ops' view of the hash-chained audit log (the log itself is written by platform/audit). */
export { auditRoutes } from './audit.routes';
