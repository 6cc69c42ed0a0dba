/**
 * Runs before each test file (jest `setupFiles`). miniprogram-simulate must be required first: it
 * defines `Component` / `Behavior` and *replaces* `global.wx` with its own mocks, so anything we put
 * on `wx` has to come after it.
 */
import 'miniprogram-simulate';
import { installFakeStorage } from './fake-storage';

const g = globalThis as unknown as Record<string, unknown>;

// The simulator has no App(): keep what app.ts registers so getApp() works like on the phone.
let appInstance: Record<string, unknown> = {};
g.App = (options: Record<string, unknown>) => {
  appInstance = options;
};
g.getApp = () => appInstance;
g.getCurrentPages = () => [];

// The simulator's storage is a no-op (getStorageSync always returns ''): sessions must persist.
installFakeStorage();

// Its wx.request "succeeds" with `{}` after 100 ms, which would let a test pass without ever
// describing the server. Fail loudly instead; tests install tests/fake-server.ts.
wx.request = ((options: WechatMiniprogram.RequestOption) => {
  throw new Error(`unexpected wx.request ${options.method ?? 'GET'} ${options.url}: install a fake server first`);
}) as unknown as typeof wx.request;
