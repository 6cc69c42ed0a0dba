// Where the API lives and how patient the client is. Picked at call time (not import time) so one
// build serves the developer tools, the trial build and the release build.

type EnvVersion = WechatMiniprogram.MiniProgram['envVersion'];

const API_BASE_URLS: Record<EnvVersion, string> = {
  // The Koa server started locally with its default PORT. The developer tools need
  // 「不校验合法域名」 for plain http; project.config.json sets urlCheck: false for that.
  // `npm start` writes config.local.ts with where it really listens (see localDevelopUrl).
  develop: 'http://127.0.0.1:3000',
  // DEPLOYER: replace both with the HTTPS domain registered under 开发管理 → 服务器域名 (request 合法域名).
  // `.invalid` never resolves, so a build that forgot this fails loudly instead of calling a stranger.
  trial: 'https://REPLACE-ME-api-domain.invalid',
  release: 'https://REPLACE-ME-api-domain.invalid',
};

export function apiBaseUrl(): string {
  const env = wx.getAccountInfoSync().miniProgram.envVersion;
  if (env === 'develop') return localDevelopUrl() ?? API_BASE_URLS.develop;
  return API_BASE_URLS[env] ?? API_BASE_URLS.release;
}

/**
 * The server `npm start` is running, in the developer tools: it writes the git-ignored
 * config.local.ts (`export const DEVELOP_API_BASE_URL = '…'`) from PORT / HOST / PUBLIC_URL
 * (scripts/demo/miniprogram-config.ts). Only the tools read it: a phone previewing a develop build
 * cannot reach the machine's loopback, and the test simulator keeps the documented default.
 * A missing or malformed file falls back to the default rather than breaking the start.
 */
function localDevelopUrl(): string | null {
  if (wx.getDeviceInfo().platform !== 'devtools') return null;
  try {
    const local = require('./config.local') as { DEVELOP_API_BASE_URL?: unknown } | undefined;
    const url = local?.DEVELOP_API_BASE_URL;
    return typeof url === 'string' && /^https?:\/\/[^\s/?#]+$/.test(url) ? url : null;
  } catch {
    return null; // not written yet: npm start has not run on this checkout
  }
}

/** Per attempt. Roadside mobile networks are slow; the server answers the normal calls well inside this. */
export const REQUEST_TIMEOUT_MS = 15000;

/** Waits before the 1st and 2nd retry of a network failure or 502/503/504 (so at most 3 attempts). */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1500];
