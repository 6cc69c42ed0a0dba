import { createServer } from 'node:net';

/**
 * Fails with a plain sentence when host:port cannot be bound — checked before anything is started, so
 * a busy port costs a line instead of an engine start, a seed and the server's EADDRINUSE stack trace.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} is already in use on ${host} by a program this npm start did not start. Stop it (see which: lsof -i :${port}) or choose another port, e.g. PORT=${port + 1} npm start`));
      } else if (err.code === 'EACCES') {
        reject(new Error(`port ${port} on ${host} needs privileges this user does not have: choose a port above 1023, e.g. PORT=3000 npm start`));
      } else {
        reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`));
      }
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
