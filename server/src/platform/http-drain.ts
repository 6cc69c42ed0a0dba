import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * Draining an HTTP server without cutting anyone off. Node's own `server.close()` destroys every
 * connection that has no request under way at that instant — also one just accepted whose request
 * the loop has not read yet (under load, a request sent before the listener closed is then reset) —
 * and leaves a keep-alive connection that goes idle later open until keepAliveTimeout. Instead: stop
 * listening only, and end a connection once it has served a request and has none in flight.
 */
export function drainableServer(server: Server) {
  const connections = new Map<Socket, { served: number; inFlight: number }>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { served: 0, inFlight: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.inFlight++;
    res.once('close', () => {
      state.inFlight--;
      state.served++;
    });
  });

  return {
    /** Refuses new connections; `done` runs once every open one has ended. */
    stopListening(done: () => void): void {
      NetServer.prototype.close.call(server, () => done());
    },
    /** Ends each keep-alive connection that sits between requests (a new one gets its first request served). */
    endIdle(): void {
      for (const [socket, state] of connections) if (state.inFlight === 0 && state.served > 0) socket.end();
    },
  };
}
