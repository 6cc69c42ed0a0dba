import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who holds a lease: host and pid say which process to look at; the random part keeps a restarted
 * process that got the same pid (a container's pid 1) from taking its predecessor's lease for its own.
 */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
