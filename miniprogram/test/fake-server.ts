/**
 * Stands in for our API behind wx.request, with wx.request's real calling convention: it returns a
 * task at once and later calls `success({ statusCode, data, header })` — for any HTTP status — or
 * `fail({ errMsg })` when no answer arrived. Replies are queued per `"METHOD /path"`; the last
 * one repeats. wx.downloadFile (the 认定书 PDF) goes to the same server as a GET: its reply's
 * `tempFilePath` is where the phone put the file (`success({ statusCode, tempFilePath })`).
 */
export type Reply = (
  | { status: number; body?: unknown; header?: Record<string, string>; tempFilePath?: string }
  | { fail: string } // errMsg, e.g. 'request:fail timeout'
) & { delayMs?: number }; // how long the "network" takes; 1 ms unless told

export interface SeenRequest {
  key: string; // "GET /api/v1/me"
  url: string;
  method: string;
  header: Record<string, string>;
  data: unknown;
}

export const BASE_URL = 'http://127.0.0.1:3000'; // config.ts in the simulator's envVersion 'develop'

export function fakeServer() {
  const replies = new Map<string, Reply[]>();
  const requests: SeenRequest[] = [];

  const request = jest.fn((options: WechatMiniprogram.RequestOption) => {
    const url = new URL(options.url);
    const key = `${options.method ?? 'GET'} ${url.pathname}`;
    requests.push({ key, url: options.url, method: options.method ?? 'GET', header: { ...(options.header ?? {}) }, data: options.data });
    const queue = replies.get(key) ?? [];
    const reply: Reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? {
      status: 404,
      body: { code: 'NOT_FOUND', message: `fake server has no reply for ${key}` },
    };
    const timer = setTimeout(() => {
      if ('fail' in reply) {
        options.fail?.({ errMsg: reply.fail } as unknown as WechatMiniprogram.RequestFailCallbackErr);
      } else {
        options.success?.({
          statusCode: reply.status,
          data: reply.body ?? '',
          header: { 'Content-Type': 'application/json; charset=utf-8', ...reply.header },
          cookies: [],
          errMsg: 'request:ok',
        } as unknown as WechatMiniprogram.RequestSuccessCallbackResult);
      }
    }, reply.delayMs ?? 1);
    return { abort: () => clearTimeout(timer) } as unknown as WechatMiniprogram.RequestTask;
  });
  wx.request = request as unknown as typeof wx.request;

  const downloadFile = jest.fn((options: WechatMiniprogram.DownloadFileOption) => {
    const key = `GET ${new URL(options.url).pathname}`;
    requests.push({ key, url: options.url, method: 'GET', header: { ...(options.header ?? {}) }, data: undefined });
    const queue = replies.get(key) ?? [];
    const reply: Reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 404 };
    const timer = setTimeout(() => {
      if ('fail' in reply) options.fail?.({ errMsg: reply.fail } as unknown as WechatMiniprogram.GeneralCallbackResult);
      else options.success?.({ statusCode: reply.status, tempFilePath: reply.tempFilePath ?? 'http://tmp/download', errMsg: 'downloadFile:ok' } as WechatMiniprogram.DownloadFileSuccessCallbackResult);
    }, reply.delayMs ?? 1);
    return { abort: () => clearTimeout(timer) } as unknown as WechatMiniprogram.DownloadTask;
  });
  wx.downloadFile = downloadFile as unknown as typeof wx.downloadFile;

  return {
    request,
    downloadFile,
    requests,
    /** Queue replies for one endpoint, in order; the last keeps answering. */
    on(key: string, ...queued: Reply[]): void {
      replies.set(key, queued);
    },
    to(key: string): SeenRequest[] {
      return requests.filter((r) => r.key === key);
    },
  };
}

/** wx.login handing out codes in order (async, like the phone). */
export function fakeWxLogin(...codes: string[]) {
  let next = 0;
  const login = jest.fn((options: WechatMiniprogram.LoginOption) => {
    const code = codes[Math.min(next, codes.length - 1)] ?? '';
    next += 1;
    setTimeout(() => options.success?.({ code, errMsg: 'login:ok' } as WechatMiniprogram.LoginSuccessCallbackResult), 1);
  });
  wx.login = login as unknown as typeof wx.login;
  return login;
}
