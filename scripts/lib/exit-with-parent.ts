import { spawn } from 'node:child_process';

/**
 * Stops `child` (SIGTERM) once `parent` is gone, for a child that cannot notice by itself: redis-server
 * has nothing like FerretDB's -exit-with-parent, and a SIGKILLed `npm start` runs no clean-up. A tiny
 * detached shell polls both every second and leaves as soon as either is gone.
 */
export function exitWithParent(child: number, parent: number = process.pid): void {
  const watch = `while kill -0 ${parent} 2>/dev/null && kill -0 ${child} 2>/dev/null; do sleep 1; done; kill -TERM ${child} 2>/dev/null; exit 0`;
  spawn('/bin/sh', ['-c', watch], { detached: true, stdio: 'ignore' }).unref();
}
