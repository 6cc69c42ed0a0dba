/** 我的 → 实人认证: the way in for existing online users. */
import { fakeServer } from './fake-server';
import { signedIn, verificationStatus } from './fixtures';
import { renderPage, tapCell, waitFor } from './page-driver';
import { loadPage } from './simulator';

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/me/index');
});
beforeEach(() => {
  wx.clearStorageSync();
  signedIn();
});

const cellText = (page: ReturnType<typeof renderPage>) => (page.dom?.textContent ?? '').replace(/\s+/g, ' ');

it('shows where verification stands and opens it in existing-user mode', async () => {
  const server = fakeServer();
  server.on('GET /api/v1/verification', { status: 200, body: verificationStatus() });
  const navigateTo = jest.fn();
  wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
  const page = renderPage(pageId);
  await waitFor(() => expect(page.data.verificationLabel).toBe('未认证'));
  expect(cellText(page)).toContain('未认证');
  await tapCell(page, '#me-verification');
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/verify/index?entry=existing_user' });
  expect(server.to('GET /api/v1/verification')[0]!.header.Authorization).toBe('Bearer access-1');
});

it('says verified, with the masked name, and offers nothing to redo', async () => {
  const server = fakeServer();
  server.on('GET /api/v1/verification', { status: 200, body: verificationStatus({ status: 'verified', method: 'face', maskedName: '张*' }) });
  const page = renderPage(pageId);
  await waitFor(() => expect(page.data.verified).toBe(true));
  expect(cellText(page)).toContain('已认证');
  expect(cellText(page)).toContain('张*');
  const navigateTo = jest.fn();
  wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
  await tapCell(page, '#me-verification');
  expect(navigateTo).not.toHaveBeenCalled();
});

it('shows the error in Chinese when the status cannot be loaded', async () => {
  const server = fakeServer();
  server.on('GET /api/v1/verification', { fail: 'request:fail timeout' });
  const page = renderPage(pageId);
  await waitFor(() => expect(page.data.errorMessage).not.toBe(''), 8000);
  expect(page.data.errorMessage).toMatch(/网络/);
});

it('leads to 网办进度', async () => {
  const server = fakeServer();
  server.on('GET /api/v1/verification', { status: 200, body: verificationStatus() });
  const navigateTo = jest.fn();
  wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
  const page = renderPage(pageId);
  await waitFor(() => expect(page.data.loading).toBe(false));
  expect(cellText(page)).toContain('网办进度');
  await tapCell(page, '#me-progress');
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/progress/index' });
});
