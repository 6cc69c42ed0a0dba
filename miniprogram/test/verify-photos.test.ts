/**
 * The ID-photo page in miniprogram-simulate: wx.chooseMedia and wx.uploadFile are stubbed with the
 * phone's calling convention (a task with onProgressUpdate, `data` as a string), wx.request is the
 * fake server.
 */
import { BASE_URL, fakeServer } from './fake-server';
import { session, signedIn, verificationStatus } from './fixtures';
import { domOf, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';

const MANUAL_REVIEW = 'POST /api/v1/verification/manual-review';

type Picked = { tempFilePath: string; size: number } | 'cancel';

function stubChooseMedia(...picks: Picked[]) {
  const choose = jest.fn((options: WechatMiniprogram.ChooseMediaOption) => {
    const pick = picks.shift() ?? 'cancel';
    setTimeout(() => {
      if (pick === 'cancel') options.fail?.({ errMsg: 'chooseMedia:fail cancel' });
      else options.success?.({ type: 'image', tempFiles: [{ ...pick, fileType: 'image', duration: 0, height: 0, width: 0, thumbTempFilePath: '' }], errMsg: 'chooseMedia:ok' } as unknown as WechatMiniprogram.ChooseMediaSuccessCallbackResult);
    }, 1);
  });
  wx.chooseMedia = choose as unknown as typeof wx.chooseMedia;
  return choose;
}

interface PendingUpload {
  options: WechatMiniprogram.UploadFileOption;
  progress(percent: number): void;
  reply(status: number, body: unknown): void;
  fail(): void;
}

/** wx.uploadFile whose progress and outcome the test drives, one call at a time. */
function stubUploadFile() {
  const pending: PendingUpload[] = [];
  const upload = jest.fn((options: WechatMiniprogram.UploadFileOption) => {
    const listeners: ((res: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void)[] = [];
    pending.push({
      options,
      progress: (percent) => listeners.forEach((l) => l({ progress: percent, totalBytesSent: percent, totalBytesExpectedToSend: 100 })),
      reply: (status, body) =>
        options.success?.({ statusCode: status, data: JSON.stringify(body), errMsg: 'uploadFile:ok' } as WechatMiniprogram.UploadFileSuccessCallbackResult),
      fail: () => options.fail?.({ errMsg: 'uploadFile:fail timeout' }),
    });
    return { onProgressUpdate: (l: (typeof listeners)[number]) => listeners.push(l), abort: jest.fn() } as unknown as WechatMiniprogram.UploadTask;
  });
  wx.uploadFile = upload as unknown as typeof wx.uploadFile;
  return { upload, pending };
}

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/verify-photos/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn();
});

describe('ID photo page', () => {
  test('uploads front and back with visible progress, retries a failed one, then submits for review → pending', async () => {
    const server = fakeServer();
    server.on(MANUAL_REVIEW, { status: 200, body: verificationStatus({ status: 'pending_review', method: 'manual_review' }) });
    const choose = stubChooseMedia({ tempFilePath: 'wxfile://tmp_front.jpg', size: 800_000 }, { tempFilePath: 'wxfile://tmp_back.png', size: 900_000 });
    const { upload, pending } = stubUploadFile();
    const page = renderPage(pageId);
    expect(domOf(page, '#submit')?.className).toContain('t-button--disabled');

    await tap(page, '#choose-front');
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    expect(choose).toHaveBeenCalledWith(expect.objectContaining({ count: 1, mediaType: ['image'], sourceType: ['camera', 'album'] }));
    const front = pending[0]!;
    expect(front.options).toMatchObject({
      url: `${BASE_URL}/api/v1/verification/id-photos?side=front`,
      filePath: 'wxfile://tmp_front.jpg',
      name: 'file',
      formData: { side: 'front' },
    });
    expect(front.options.header?.Authorization).toBe('Bearer access-1');
    await waitFor(() => expect(textOf(page, '#progress-front')).toContain('正在上传 0%'));
    front.progress(45);
    await waitFor(() => expect(textOf(page, '#progress-front')).toContain('正在上传 45%'));
    front.reply(200, { side: 'front', size: 800_000, sha256: 'a'.repeat(64) });
    await waitFor(() => expect(textOf(page, '#done-front')).toBe('已上传'));
    expect(domOf(page, '#progress-front')).toBeNull();
    expect(domOf(page, '#submit')?.className).toContain('t-button--disabled'); // back still missing

    await tap(page, '#choose-back');
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    pending[1]!.progress(70);
    await waitFor(() => expect(textOf(page, '#progress-back')).toContain('70%'));
    pending[1]!.fail();
    await waitFor(() => expect(textOf(page, '#error-back')).toBe('网络不太好，请检查网络后重试'));
    expect(textOf(page, '#retry-back')).toBe('重试上传');

    await tap(page, '#retry-back');
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(3));
    expect(pending[2]!.options).toMatchObject({ filePath: 'wxfile://tmp_back.png', formData: { side: 'back' } });
    pending[2]!.reply(200, { side: 'back', size: 900_000, sha256: 'b'.repeat(64) });
    await waitFor(() => expect(textOf(page, '#done-back')).toBe('已上传'));
    expect(textOf(page, '#error-back')).toBeNull();
    expect(domOf(page, '#submit')?.className).not.toContain('t-button--disabled');

    await tap(page, '#submit');
    await waitFor(() => expect(textOf(page, '#pending')).toContain('正在人工审核'));
    expect(server.to(MANUAL_REVIEW)).toHaveLength(1);
  });

  test('a photo over 5 MB or of another type is refused before any upload; a server refusal is shown', async () => {
    fakeServer();
    stubChooseMedia(
      { tempFilePath: 'wxfile://tmp_big.jpg', size: 6 * 1024 * 1024 },
      { tempFilePath: 'wxfile://tmp_live.heic', size: 100_000 },
      'cancel',
      { tempFilePath: 'wxfile://tmp_ok.jpg', size: 100_000 },
    );
    const { upload, pending } = stubUploadFile();
    const page = renderPage(pageId);

    await tap(page, '#choose-front');
    await waitFor(() => expect(textOf(page, '#error-front')).toContain('超过 5 MB'));
    await tap(page, '#choose-front');
    await waitFor(() => expect(textOf(page, '#error-front')).toContain('JPG 或 PNG'));
    expect(upload).not.toHaveBeenCalled();

    await tap(page, '#choose-front'); // cancelled: nothing changes
    await new Promise((r) => setTimeout(r, 10));
    expect(textOf(page, '#error-front')).toContain('JPG 或 PNG');

    await tap(page, '#choose-front');
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    pending[0]!.reply(413, { code: 'PAYLOAD_TOO_LARGE', message: '照片太大，请重新拍摄' });
    await waitFor(() => expect(textOf(page, '#error-front')).toBe('照片太大，请重新拍摄'));
    expect(textOf(page, '#retry-front')).toBe('重试上传');
  });

  test('an expired token during upload is refreshed once and the same upload repeated with the same Idempotency-Key', async () => {
    const server = fakeServer();
    server.on('POST /api/v1/auth/refresh', { status: 200, body: session(2) });
    stubChooseMedia({ tempFilePath: 'wxfile://tmp_front.jpg', size: 100_000 });
    const { upload, pending } = stubUploadFile();
    const page = renderPage(pageId);

    await tap(page, '#choose-front');
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    pending[0]!.reply(401, { code: 'TOKEN_EXPIRED', message: '登录已过期' });
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    pending[1]!.reply(200, { side: 'front', size: 100_000, sha256: 'c'.repeat(64) });

    await waitFor(() => expect(textOf(page, '#done-front')).toBe('已上传'));
    expect(pending.map((p) => p.options.header?.Authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(pending[1]!.options.header?.['Idempotency-Key']).toBe(pending[0]!.options.header?.['Idempotency-Key']);
    expect(textOf(page, '#error-front')).toBeNull();
  });
});
