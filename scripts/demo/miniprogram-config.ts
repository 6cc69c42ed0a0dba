import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The mini-program's develop-build server address follows `npm start`'s configuration: the server's
 * public origin when PUBLIC_URL is set, else where it listens (a wildcard or loopback HOST is reached at
 * 127.0.0.1 from the developer tools on the same machine). miniprogram/config.ts reads the file.
 */
export function developApiBaseUrl(env: { PORT?: string | number; HOST?: string; PUBLIC_URL?: string }): string {
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl) return new URL(publicUrl).origin;
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT ${env.PORT} is not a port`);
  const host = (env.HOST ?? '').trim();
  const reachable = !host || ['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}

export function miniprogramConfigSource(url: string): string {
  return [
    '// Written by `npm start` (scripts/demo/miniprogram-config.ts) from PORT / HOST / PUBLIC_URL; git-ignored.',
    '// The developer tools call this server in the develop build (miniprogram/config.ts). Edit the',
    '// environment and restart `npm start` rather than this file.',
    `export const DEVELOP_API_BASE_URL = ${JSON.stringify(url)};`,
    '',
  ].join('\n');
}

/**
 * Where to write it: QH_MINIPROGRAM_CONFIG (a path, or `off` — tests that run `npm start` on a
 * throw-away port must not repoint a developer's tools), else miniprogram/config.local.ts.
 */
export function miniprogramConfigTarget(repoRoot: string, setting = process.env.QH_MINIPROGRAM_CONFIG): string | null {
  if (setting === 'off') return null;
  if (setting) return isAbsolute(setting) ? setting : join(repoRoot, setting);
  return join(repoRoot, 'miniprogram', 'config.local.ts');
}

/** Writes the file when its content changes (the tools recompile on every write); returns the URL. */
export function writeMiniprogramConfig(file: string, url: string): { url: string; changed: boolean } {
  const source = miniprogramConfigSource(url);
  if (existsSync(file) && readFileSync(file, 'utf8') === source) return { url, changed: false };
  writeFileSync(file, source);
  return { url, changed: true };
}
