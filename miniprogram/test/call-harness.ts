/**
 * The edges of the call page, faked with the phone's calling conventions: the RTC SDK (FakeRtcClient
 * through setRtcClientFactory — every client the page makes is kept), camera/microphone permission,
 * the camera (wx.chooseMedia), the file system (a photo as bytes in memory, read in slices like
 * FileSystemManager.readFile), the network state (wx.getNetworkType / onNetworkStatusChange) and
 * navigation. The server is fake-server.ts.
 */
import { FakeRtcClient, setRtcClientFactory } from '../utils/rtc/index';
import { find } from './page-driver';
import { stubWx } from './wx-stubs';

export const CALL = 'GET /api/v1/cases/case_1/call';
export const CONSENT = 'POST /api/v1/cases/case_1/recording-consent';
export const TOKEN = 'POST /api/v1/cases/case_1/rtc-token';
export const MY_INFO = 'PUT /api/v1/cases/case_1/my-info';
export const MESSAGES = 'POST /api/v1/cases/case_1/messages';
export const RESUME = 'POST /api/v1/cases/case_1/resume';
export const UPLOADS = 'POST /api/v1/cases/case_1/uploads';
export const UPLOAD = 'GET /api/v1/uploads/up_1';
export const COMPLETE = 'POST /api/v1/uploads/up_1/complete';
export const chunk = (index: number): string => `PUT /api/v1/uploads/up_1/chunks/${index}`;

export const USER_DATA_PATH = 'wxfile://usr';

/** Every RTC client the page created, oldest first. */
export function fakeRtc(): { clients: FakeRtcClient[]; last(): FakeRtcClient } {
  const clients: FakeRtcClient[] = [];
  setRtcClientFactory(() => {
    const client = new FakeRtcClient();
    clients.push(client);
    return client;
  });
  return {
    clients,
    last(): FakeRtcClient {
      const client = clients[clients.length - 1];
      if (!client) throw new Error('the page made no RTC client');
      return client;
    },
  };
}

/** A photo's bytes: a pattern, so a chunk from the wrong offset shows. */
export function photoBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 7 + 3) % 251;
  return bytes;
}

/** wx.getFileSystemManager over files in memory: saveFile copies, readFile reads [position, position+length). */
export function fakeFiles(initial: Record<string, Uint8Array> = {}) {
  const files = new Map<string, Uint8Array>(Object.entries(initial));
  const readFile = jest.fn((options: WechatMiniprogram.ReadFileOption) => {
    setTimeout(() => {
      const bytes = files.get(options.filePath);
      if (!bytes) {
        options.fail?.({ errMsg: `readFile:fail no such file or directory, open ${options.filePath}` } as WechatMiniprogram.FileError);
        return;
      }
      const start = options.position ?? 0;
      const end = options.length === undefined ? bytes.length : start + options.length;
      options.success?.({ data: bytes.slice(start, end).buffer, errMsg: 'readFile:ok' });
    }, 1);
  });
  const saveFile = jest.fn((options: WechatMiniprogram.SaveFileOption) => {
    setTimeout(() => {
      const bytes = files.get(options.tempFilePath);
      if (!bytes || !options.filePath) {
        options.fail?.({ errMsg: 'saveFile:fail', errCode: 1300002 } as WechatMiniprogram.FileError);
        return;
      }
      files.set(options.filePath, bytes);
      options.success?.({ savedFilePath: options.filePath, errMsg: 'saveFile:ok' });
    }, 1);
  });
  const unlink = jest.fn((options: WechatMiniprogram.UnlinkOption) => {
    files.delete(options.filePath);
    setTimeout(() => options.success?.({ errMsg: 'unlink:ok', errCode: 0 }), 1);
  });
  const manager = { readFile, saveFile, unlink };
  wx.getFileSystemManager = (() => manager) as unknown as typeof wx.getFileSystemManager;
  (wx as unknown as { env: { USER_DATA_PATH: string } }).env = { USER_DATA_PATH };
  return { files, readFile, saveFile, unlink };
}

/** The phone's network: wx.getNetworkType answers the current type; going on/offline tells the listeners. */
export function fakeNetwork(initial: WechatMiniprogram.GetNetworkTypeSuccessCallbackResult['networkType'] = 'wifi') {
  let type = initial;
  const listeners = new Set<(res: WechatMiniprogram.OnNetworkStatusChangeListenerResult) => void>();
  wx.getNetworkType = jest.fn((options: WechatMiniprogram.GetNetworkTypeOption) => {
    setTimeout(() => options.success?.({ networkType: type, signalStrength: 0, hasSystemProxy: false, weakNet: false, errMsg: 'getNetworkType:ok' }), 1);
  }) as unknown as typeof wx.getNetworkType;
  wx.onNetworkStatusChange = ((listener: (res: WechatMiniprogram.OnNetworkStatusChangeListenerResult) => void) => {
    listeners.add(listener);
  }) as unknown as typeof wx.onNetworkStatusChange;
  wx.offNetworkStatusChange = ((listener: (res: WechatMiniprogram.OnNetworkStatusChangeListenerResult) => void) => {
    listeners.delete(listener);
  }) as unknown as typeof wx.offNetworkStatusChange;
  const tell = (networkType: typeof type): void => {
    type = networkType;
    for (const listener of [...listeners]) listener({ isConnected: networkType !== 'none', networkType });
  };
  return {
    listeners,
    offline: (): void => tell('none'),
    online: (): void => tell('4g'),
  };
}

/** A photo taken with the camera: chooseMedia answers with it (and the file exists). */
export function cameraGives(files: Map<string, Uint8Array>, tempFilePath: string, bytes: Uint8Array): jest.Mock {
  files.set(tempFilePath, bytes);
  return stubWx('chooseMedia', {
    ok: { type: 'image', tempFiles: [{ tempFilePath, size: bytes.length, fileType: 'image', duration: 0, height: 1440, width: 1080, thumbTempFilePath: '' }] },
  });
}

/** The ordinary phone: permissions granted, online, navigation works. Returns the stubs tests look at. */
export function phone() {
  const authorize = stubWx('authorize', { ok: {} });
  const openSetting = stubWx('openSetting', { ok: { authSetting: { 'scope.camera': true, 'scope.record': true } } });
  const redirectTo = stubWx('redirectTo', { ok: {} });
  const navigateTo = stubWx('navigateTo', { ok: {} });
  const reLaunch = stubWx('reLaunch', { ok: {} });
  const makePhoneCall = stubWx('makePhoneCall', { ok: {} });
  stubWx('setKeepScreenOn', { ok: {} });
  const files = fakeFiles();
  const network = fakeNetwork();
  return { authorize, openSetting, redirectTo, navigateTo, reLaunch, makePhoneCall, files, network };
}

/** The bytes a fake-server request carried (a chunk's ArrayBuffer). */
export function bytesOf(data: unknown): Uint8Array {
  if (Object.prototype.toString.call(data) !== '[object ArrayBuffer]') throw new Error(`not an ArrayBuffer: ${Object.prototype.toString.call(data)}`);
  return new Uint8Array(data as ArrayBuffer);
}

/**
 * The attributes a native component (<live-pusher>, <live-player>) was rendered with. The simulator
 * renders tags it does not know as bare elements without DOM attributes, but keeps what the
 * template gave them in its own tree (toJSON).
 */
export function attributesOf(page: { querySelector(selector: string): unknown }, selector: string): Record<string, unknown> | null {
  const element = find(page, selector) as { toJSON(): unknown } | null | undefined;
  if (!element) return null;
  const json = element.toJSON();
  const node = (Array.isArray(json) ? json[0] : json) as { attrs?: { name: string; value: unknown }[] } | undefined;
  return Object.fromEntries((node?.attrs ?? []).map((a) => [a.name, a.value]));
}

/** What a <t-input> shows: the value its native input was rendered with. */
export function inputValue(page: { querySelector(selector: string): unknown }, selector: string): unknown {
  const host = find(page, selector) as { querySelector(selector: string): unknown } | null | undefined;
  const control = host?.querySelector('.t-input__control') as { toJSON(): unknown } | null | undefined;
  if (!control) return null;
  const json = control.toJSON();
  const node = (Array.isArray(json) ? json[0] : json) as { attrs?: { name: string; value: unknown }[] } | undefined;
  return node?.attrs?.find((a) => a.name === 'value')?.value;
}
