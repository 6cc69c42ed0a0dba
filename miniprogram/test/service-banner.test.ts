/**
 * The home page tells a driver that 视频快处 is suspended (or closed) before they start a report:
 * GET /service-hours on every show and pull-down, a banner with the reason, until when in Beijing
 * time and the other ways (122 dials), and the entry buttons disabled — until the answer is open
 * again. A failed question blocks nobody.
 */
import type { Alternative, ServiceHoursResponse } from '../../typings';
import { beijingWhen } from '../utils/serviceStatus';
import { fakeServer, fakeWxLogin } from './fake-server';
import { driver, eligibility, flowAfterLocation, place, session } from './fixtures';
import { domOf, pageLifetime, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { stubWx } from './wx-stubs';

const SERVICE = 'GET /api/v1/service-hours';
const ME = 'GET /api/v1/me';
const CURRENT = 'GET /api/v1/cases/current';
const FOG = '因大雾，视频快处暂停服务，请拨打 122，交警将到现场处理';

function status(verdict: Partial<ServiceHoursResponse['verdict']> = {}): { status: 200; body: ServiceHoursResponse } {
  return {
    status: 200,
    body: { verdict: { ok: true, code: 'OPEN', reason: '服务时间内', alternatives: [], nextOpenAt: null, ...verdict }, opensAt: '07:30', closesAt: '19:30' },
  };
}
const OPEN = status();
const suspended = (until: string | null, alternatives: Alternative[] = ['call_122', 'officer_on_scene']) =>
  status({ ok: false, code: 'SUSPENDED', reason: FOG, alternatives, nextOpenAt: until });

/** Beijing wall time of an instant, worked out with the platform's own time-zone data. */
function beijingParts(ms: number): { date: string; month: number; day: number; hhmm: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, month: Number(parts.month), day: Number(parts.day), hhmm: `${parts.hour}:${parts.minute}` };
}

const isDisabled = (page: ReturnType<typeof renderPage>, selector: string): boolean => (domOf(page, selector)?.className ?? '').includes('t-button--disabled');

let homeId: string;
beforeAll(() => {
  homeId = loadPage('pages/home/index');
});

beforeEach(() => {
  wx.clearStorageSync();
});

describe('the until time, in Beijing time whatever the phone’s zone', () => {
  test('the time alone on the same Beijing day, with the date on another', () => {
    const now = new Date('2026-11-25T02:00:00Z'); // 10:00 in Beijing
    expect(beijingWhen('2026-11-25T04:30:00Z', now)).toBe('12:30');
    // 00:30 UTC on the 25th is already 08:30 on the 25th in Beijing; 16:30 UTC is 00:30 on the 26th.
    expect(beijingWhen('2026-11-25T16:30:00Z', now)).toBe('11月26日 00:30');
    expect(beijingWhen('2026-11-24T17:00:00Z', new Date('2026-11-24T23:00:00Z'))).toBe('01:00');
  });
});

describe('home page: the service status banner', () => {
  test('suspended: 暂停服务 with the reason and until when, 122 dials, the entry is disabled; nobody is logged in for it', async () => {
    const login = fakeWxLogin('unused');
    const until = Date.now() + 90 * 60 * 1000;
    const server = fakeServer();
    server.on(SERVICE, suspended(new Date(until).toISOString()));
    const makePhoneCall = stubWx('makePhoneCall', { ok: {} });
    const page = renderPage(homeId);

    await waitFor(() => expect(textOf(page, '#service-title')).toBe('暂停服务'));
    expect(textOf(page, '#service-reason')).toBe(FOG);
    const at = beijingParts(until);
    const expected = at.date === beijingParts(Date.now()).date ? at.hhmm : `${at.month}月${at.day}日 ${at.hhmm}`;
    expect(textOf(page, '#service-until')).toBe(`预计 ${expected} 恢复`);
    // The alternatives the server named, 122 first, each in words.
    expect(textOf(page, '#service-alternatives')).toContain('拨打 122 报警');
    expect(textOf(page, '#service-alt-officer_on_scene')).toContain('原地等待交警到场');
    expect(textOf(page, '#service-alt-self_settlement')).toBeNull();
    // Asked without a session and without logging anybody in.
    expect(server.to(SERVICE)[0]?.header.Authorization).toBeUndefined();
    expect(login).not.toHaveBeenCalled();

    expect(isDisabled(page, '#entry')).toBe(true);
    expect(textOf(page, '#entry-blocked')).toContain('暂停服务');
    await tap(page, '#entry');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(login).not.toHaveBeenCalled();
    expect(server.to(ME)).toHaveLength(0);

    await tap(page, '#service-call-122-call_122');
    expect(makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '122' }));
  });

  test('a suspension until lifted by hand says so', async () => {
    const server = fakeServer();
    server.on(SERVICE, suspended(null));
    const page = renderPage(homeId);
    await waitFor(() => expect(textOf(page, '#service-until')).toBe('恢复时间另行通知'));
  });

  test('open: no banner, the entry works', async () => {
    const server = fakeServer();
    server.on(SERVICE, OPEN);
    const page = renderPage(homeId);
    await waitFor(() => expect(server.to(SERVICE)).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(domOf(page, '#service-notice')).toBeNull();
    expect(isDisabled(page, '#entry')).toBe(false);
    expect(textOf(page, '#entry-blocked')).toBeNull();
  });

  test('the question fails: no banner, the entry works (the report’s own check decides)', async () => {
    wx.setStorageSync('driverSession', session(1));
    const server = fakeServer();
    server.on(SERVICE, { fail: 'request:fail timeout' });
    server.on(ME, { status: 200, body: driver('verified') });
    server.on(CURRENT, { status: 200, body: { case: null } });
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);
    await waitFor(() => expect(server.to(SERVICE)).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(domOf(page, '#service-notice')).toBeNull();
    expect(isDisabled(page, '#entry')).toBe(false);

    await tap(page, '#entry');
    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-safety/index' })));
  });

  test('outside the hours: the banner says the hours, 开始报案 is disabled with them', async () => {
    const server = fakeServer();
    const reason = '视频快处服务时间为每天 07:30–19:30，现在不在服务时间，明天 07:30 恢复服务。可拨打 122、使用拍照快处或自行协商';
    server.on(SERVICE, status({ ok: false, code: 'OUTSIDE_HOURS', reason, alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'], nextOpenAt: '2026-11-26T23:30:00.000Z' }));
    const page = renderPage(homeId);
    await waitFor(() => expect(textOf(page, '#service-title')).toBe('不在服务时间'));
    expect(textOf(page, '#service-reason')).toBe(reason);
    expect(textOf(page, '#service-alt-self_settlement')).toContain('自行协商处理');
    expect(textOf(page, '#entry-blocked')).toContain('07:30–19:30');
    expect(isDisabled(page, '#entry')).toBe(true);
  });

  test('re-checked on show and on pull-down: 开始报案 disabled while suspended, enabled again once open', async () => {
    wx.setStorageSync('driverSession', session(1));
    const server = fakeServer();
    server.on(SERVICE, OPEN);
    server.on(ME, { status: 200, body: driver('verified') });
    server.on(CURRENT, { status: 200, body: { case: null } });
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);
    await waitFor(() => expect(server.to(SERVICE)).toHaveLength(1));
    await tap(page, '#entry');
    await waitFor(() => expect(navigateTo).toHaveBeenCalledTimes(1)); // on to the safety checklist
    expect(isDisabled(page, '#start-report')).toBe(false);

    // Back on the home page after ops suspended the service meanwhile.
    server.on(SERVICE, suspended(new Date(Date.now() + 3600_000).toISOString()));
    pageLifetime(page, 'show');
    await waitFor(() => expect(textOf(page, '#service-title')).toBe('暂停服务'));
    expect(server.to(SERVICE)).toHaveLength(2);
    expect(isDisabled(page, '#start-report')).toBe(true);
    expect(textOf(page, '#start-blocked')).toContain('暂停服务');
    await tap(page, '#start-report');
    expect(navigateTo).toHaveBeenCalledTimes(1);

    // Lifted: a pull-down brings 开始报案 back.
    server.on(SERVICE, OPEN);
    const stop = stubWx('stopPullDownRefresh', { ok: {} });
    await (page.instance as unknown as { onPullDownRefresh(): Promise<void> }).onPullDownRefresh();
    expect(stop).toHaveBeenCalled();
    expect(server.to(SERVICE)).toHaveLength(3);
    await waitFor(() => expect(domOf(page, '#service-notice')).toBeNull());
    expect(isDisabled(page, '#start-report')).toBe(false);
    await tap(page, '#start-report');
    expect(navigateTo).toHaveBeenCalledTimes(2);
  });

  test('asks for the brigade of the report under way when its place is known', async () => {
    flowAfterLocation({ eligibility: eligibility({ place: place({ brigade: { code: 'JM-TS', name: '棠下大队', dutyPhone: null } }) }) });
    const server = fakeServer();
    server.on(SERVICE, suspended(null));
    const page = renderPage(homeId);
    await waitFor(() => expect(textOf(page, '#service-title')).toBe('暂停服务'));
    expect(new URL(server.to(SERVICE)[0]?.url ?? '').searchParams.get('brigade')).toBe('JM-TS');
  });
});
