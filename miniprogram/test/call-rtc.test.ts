/**
 * The RTC layer under the call page: the Agora adapter (its SDK file from the documented path, a
 * clear failure without it, the SDK's payload shapes turned into ours), which client the app gets
 * in which build, and the fake client's rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AGORA_SDK_FILE,
  AgoraRtcClient,
  FakeRtcClient,
  RtcError,
  RtcUnavailableError,
  loadAgoraSdk,
  memberLabel,
  type RtcEvents,
} from '../utils/rtc/index';

const REPO_ROOT = path.join(__dirname, '..', '..');
/** The same file the adapter requires (`../../vendor/…` from utils/rtc), as this test names it. */
const SDK_FROM_HERE = '../vendor/agora/agora-miniapp-sdk.js';

function runAs(envVersion: 'develop' | 'trial' | 'release'): void {
  wx.getAccountInfoSync = (() => ({ miniProgram: { appId: 'wx0', envVersion, version: '' }, plugin: {} })) as unknown as typeof wx.getAccountInfoSync;
}

afterEach(() => {
  try {
    jest.dontMock(SDK_FROM_HERE); // only resolvable once a test mocked it
  } catch {
    // nothing was mocked
  }
  jest.resetModules();
});

/** A stand-in for the SDK's Client recording calls, answering like SDK 2.x unless told. */
class SdkClient {
  static last: SdkClient | null = null;
  calls: [string, ...unknown[]][] = [];
  handlers = new Map<string, (payload: unknown) => void>();
  subscribeAnswer: unknown = { url: 'rtmp://agora.example/play/1', rotation: 0 };
  publishAnswer: unknown = 'rtmp://agora.example/push/101';
  constructor() {
    SdkClient.last = this;
  }
  private record(name: string, ...args: unknown[]): Promise<unknown> {
    this.calls.push([name, ...args]);
    return Promise.resolve(undefined);
  }
  init = (appId: string) => this.record('init', appId);
  join = (token: string, channel: string, uid: number) => this.record('join', token, channel, uid);
  publish = () => this.record('publish').then(() => this.publishAnswer);
  subscribe = (uid: number) => this.record('subscribe', uid).then(() => this.subscribeAnswer);
  renewToken = (token: string) => this.record('renewToken', token);
  rejoin = (token: string, channel: string, uid: number, uids: number[]) => this.record('rejoin', token, channel, uid, uids);
  leave = () => this.record('leave');
  destroy = () => this.record('destroy');
  on = (event: string, handler: (payload: unknown) => void) => {
    this.handlers.set(event, handler);
  };
}

describe('the Agora SDK file', () => {
  test('its documented path is where the adapter looks', () => {
    expect(AGORA_SDK_FILE).toBe('miniprogram/vendor/agora/agora-miniapp-sdk.js');
    expect(path.resolve(__dirname, SDK_FROM_HERE)).toBe(path.join(REPO_ROOT, AGORA_SDK_FILE));
    const adapter = fs.readFileSync(path.join(REPO_ROOT, 'miniprogram/utils/rtc/agora.ts'), 'utf8');
    const required = /require\('([^']+)'\)/.exec(adapter)?.[1] ?? '';
    expect(path.resolve(REPO_ROOT, 'miniprogram/utils/rtc', required)).toBe(path.join(REPO_ROOT, AGORA_SDK_FILE));
  });

  (fs.existsSync(path.join(REPO_ROOT, AGORA_SDK_FILE)) ? test.skip : test)('not installed: a clear error naming the path (checked on the real file system)', () => {
    expect(() => loadAgoraSdk()).toThrow(RtcUnavailableError);
    expect(() => loadAgoraSdk()).toThrow(AGORA_SDK_FILE);
  });

  test('a file that cannot be loaded, or is not the SDK, is refused with the path named', () => {
    jest.doMock(SDK_FROM_HERE, () => { throw new Error('Cannot find module'); }, { virtual: true });
    const rtc = require('../utils/rtc/index') as typeof import('../utils/rtc/index');
    expect(() => rtc.loadAgoraSdk()).toThrow(/miniprogram\/vendor\/agora\/agora-miniapp-sdk\.js/);

    jest.resetModules();
    jest.doMock(SDK_FROM_HERE, () => ({ something: 'else' }), { virtual: true });
    const again = require('../utils/rtc/index') as typeof import('../utils/rtc/index');
    expect(() => again.loadAgoraSdk()).toThrow(/没有 Client/);
  });

  test('installed: the app gets the Agora client in every build', () => {
    jest.doMock(SDK_FROM_HERE, () => ({ Client: SdkClient }), { virtual: true });
    const rtc = require('../utils/rtc/index') as typeof import('../utils/rtc/index');
    for (const env of ['develop', 'trial', 'release'] as const) {
      runAs(env);
      expect(rtc.createRtcClient()).toBeInstanceOf(rtc.AgoraRtcClient);
    }
  });
});

describe('which client the app gets without the SDK', () => {
  beforeEach(() => {
    jest.doMock(SDK_FROM_HERE, () => { throw new Error('Cannot find module'); }, { virtual: true });
  });

  test('the developer tools’ build (local demo): the fake, with a warning naming the file', () => {
    const rtc = require('../utils/rtc/index') as typeof import('../utils/rtc/index');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    runAs('develop');
    expect(rtc.createRtcClient()).toBeInstanceOf(rtc.FakeRtcClient);
    expect(warn.mock.calls[0]?.[0]).toContain(AGORA_SDK_FILE);
    warn.mockRestore();
  });

  test.each(['trial', 'release'] as const)('%s: no fake — it fails, so a package without the SDK cannot pass as working', (env) => {
    const rtc = require('../utils/rtc/index') as typeof import('../utils/rtc/index');
    runAs(env);
    expect(() => rtc.createRtcClient()).toThrow(rtc.RtcUnavailableError);
  });
});

describe('the Agora adapter', () => {
  test('passes the calls through and turns the SDK’s answers into URLs', async () => {
    const client = new AgoraRtcClient({ Client: SdkClient as unknown as new () => never });
    const sdk = SdkClient.last!;

    await client.init('0123456789abcdef0123456789abcdef');
    await client.join('006token', 'case-case_1', 101);
    expect(await client.publish()).toBe('rtmp://agora.example/push/101');
    expect(await client.subscribe(1)).toBe('rtmp://agora.example/play/1');
    sdk.subscribeAnswer = 'rtmp://agora.example/play/102'; // 1.x answered the URL alone
    expect(await client.subscribe(102)).toBe('rtmp://agora.example/play/102');
    await client.renewToken('006token-2');
    await client.rejoin('006token-3', 'case-case_1', 101, [1, 102]);
    await client.leave();
    await client.destroy();

    expect(sdk.calls).toEqual([
      ['init', '0123456789abcdef0123456789abcdef'],
      ['join', '006token', 'case-case_1', 101],
      ['publish'],
      ['subscribe', 1],
      ['subscribe', 102],
      ['renewToken', '006token-2'],
      ['rejoin', '006token-3', 'case-case_1', 101, [1, 102]],
      ['leave'],
      ['destroy'],
    ]);
  });

  test('events arrive in our shapes, whichever the SDK version sent', () => {
    const client = new AgoraRtcClient({ Client: SdkClient as unknown as new () => never });
    const sdk = SdkClient.last!;
    const seen: [string, unknown][] = [];
    for (const event of ['stream-added', 'stream-removed', 'update-url', 'error', 'token-privilege-will-expire', 'client-banned'] as const) {
      client.on(event, (payload: RtcEvents[typeof event]) => seen.push([event, payload]));
    }

    sdk.handlers.get('stream-added')!({ uid: 1 });
    sdk.handlers.get('stream-added')!(102); // 1.x: the bare uid
    sdk.handlers.get('stream-removed')!('102');
    sdk.handlers.get('update-url')!({ uid: 1, url: 'rtmp://agora.example/play/1b' });
    sdk.handlers.get('error')!({ code: 904, reason: 'ws closed' });
    sdk.handlers.get('token-privilege-will-expire')!(undefined);
    sdk.handlers.get('client-banned')!({ code: 2, reason: 'same uid elsewhere' });

    expect(seen).toEqual([
      ['stream-added', { uid: 1 }],
      ['stream-added', { uid: 102 }],
      ['stream-removed', { uid: 102 }],
      ['update-url', { uid: 1, url: 'rtmp://agora.example/play/1b' }],
      ['error', { code: 904, reason: 'ws closed' }],
      ['token-privilege-will-expire', {}],
      ['client-banned', { code: 2, reason: 'same uid elsewhere' }],
    ]);
  });

  test('a failed SDK call rejects with an RtcError carrying the SDK’s code', async () => {
    const client = new AgoraRtcClient({ Client: SdkClient as unknown as new () => never });
    const sdk = SdkClient.last!;
    sdk.join = () => Promise.reject({ code: 501, reason: 'invalid token' });
    sdk.publishAnswer = {};

    await expect(client.join('bad', 'case-case_1', 101)).rejects.toMatchObject({ name: 'RtcError', code: 501, message: 'invalid token' });
    await expect(client.publish()).rejects.toBeInstanceOf(RtcError); // no URL in the answer
  });
});

describe('the fake client keeps the SDK’s rules', () => {
  test('init before join, join before publish; remotes present before the join are announced after it', async () => {
    const client = new FakeRtcClient();
    const added: number[] = [];
    client.on('stream-added', ({ uid }) => added.push(uid));
    client.addRemote(1);

    await expect(client.join('006t', 'case-x', 101)).rejects.toMatchObject({ code: 2 });
    await expect(client.publish()).rejects.toBeInstanceOf(RtcError);
    await client.init('app');
    await client.join('006t', 'case-x', 101);
    expect(await client.publish()).toBe('rtmp://fake-rtc.invalid/case-x/101/push');
    expect(await client.subscribe(1)).toBe('rtmp://fake-rtc.invalid/case-x/1/play');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(added).toEqual([1]);

    client.addRemote(102);
    expect(added).toEqual([1, 102]);
  });

  test('failNext, will-expire and destroy', async () => {
    const client = new FakeRtcClient();
    let warned = 0;
    client.on('token-privilege-will-expire', () => (warned += 1));
    client.failNext('init', { code: 7, reason: 'no network' });
    await expect(client.init('app')).rejects.toMatchObject({ code: 7, message: 'no network' });
    await client.init('app');
    client.willExpire();
    expect(warned).toBe(1);
    await client.destroy();
    await expect(client.join('t', 'c', 1)).rejects.toMatchObject({ code: 4 });
    client.willExpire();
    expect(warned).toBe(1); // no events after destroy
  });
});

test('tiles are captioned by who the uid is', () => {
  expect(memberLabel(1)).toBe('交警');
  expect(memberLabel(101)).toBe('A 车');
  expect(memberLabel(103)).toBe('C 车');
  expect(memberLabel(55)).toBe('用户 55');
});
