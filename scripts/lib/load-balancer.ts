import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { describeExit, exitOf, stopChild, type ExitInfo } from './child-exit';
import { freePort } from './free-port';

export const HAPROXY_BIN = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

export interface LoadBalancer {
  url: string;
  port: number;
  pid: number;
  exited: Promise<ExitInfo>;
  lastOutput(): string;
  stop(): Promise<void>;
}

export interface BalancerOptions {
  /** Where its generated configuration is written. */
  dir: string;
  /** The server instances, e.g. ['127.0.0.1:4101', '127.0.0.1:4102']. */
  backends: string[];
  port?: number;
}

/**
 * Debian's HAProxy on loopback in front of several server instances, round robin and no stickiness:
 * any instance may serve any request. A dead instance is taken out by its health check within about a
 * second, and a request whose connection was refused is sent to another one (nothing was sent yet, so
 * that retry is safe for every method). Streams (SSE) and long polls get long timeouts.
 */
export async function startLoadBalancer(options: BalancerOptions): Promise<LoadBalancer> {
  mkdirSync(options.dir, { recursive: true });
  const port = options.port || (await freePort());
  const config = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option forwardfor',
    '  option http-server-close',
    '  option redispatch',
    '  retries 3',
    // Only a connection that failed is retried elsewhere: the request never left. An empty response may
    // come from an instance killed after it acted, and a POST re-sent by us would then act twice.
    '  retry-on conn-failure',
    '  timeout connect 1s',
    '  timeout client 120s',
    '  timeout server 120s',
    '  timeout tunnel 1h',
    '  timeout http-keep-alive 10s',
    // Without it a check must answer within `inter` (300 ms): a busy instance (a CPU-bound burst, two
    // cores under load) was taken out though alive, both at once gave 503s. A dead one refuses at once.
    '  timeout check 2s',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    '  default-server inter 300ms fall 2 rise 1',
    ...options.backends.map((address, i) => `  server s${i + 1} ${address} check`),
    '',
  ].join('\n');
  const file = join(resolve(options.dir), 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn(HAPROXY_BIN, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`haproxy ${describeExit(await exited)} at start:\n${output}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not listen within 10 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid!, exited, lastOutput: () => output, stop: () => stopChild(child, exited, 3000) };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolveAccept) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveAccept(true);
    });
    socket.once('error', () => resolveAccept(false));
  });
}
