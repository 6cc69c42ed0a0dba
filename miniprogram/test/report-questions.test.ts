/**
 * 事故情况 and 核对结果 in miniprogram-simulate: the questions are answered by tapping TDesign's own
 * radios, the plate typed into its input; the eligibility check, the case and the join go to the
 * fake server. Earlier steps are the report flow in (fake) wx storage.
 */
import type { CaseAnswers, FailedVerdict } from '../../typings';
import { fakeServer } from './fake-server';
import { caseView, eligibility, flowAfterLocation, goodAnswers, signedIn } from './fixtures';
import { domOf, isChecked, pageLifetime, renderPage, tap, textOf, typeInto, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf, stubWx } from './wx-stubs';

const CHECK = 'POST /api/v1/eligibility/check';
const CREATE = 'POST /api/v1/cases';
const JOIN = 'POST /api/v1/cases/join';
const LOCATION = { lat: 22.5786, lng: 113.0815, coordType: 'gcj02', accuracyM: 15 };

let questionsId: string;
let resultId: string;
beforeAll(() => {
  questionsId = loadPage('pages/report-questions/index');
  resultId = loadPage('pages/report-result/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn('verified');
  flowAfterLocation();
});

type Page = ReturnType<typeof renderPage>;

/**
 * The answers and plate as a page re-opened mid-report finds them (the page fills them in from the
 * report flow): for tests about what happens after 提交, without tapping sixteen radios each time.
 */
function answered(answers: CaseAnswers = goodAnswers(), plate = '粤J12345'): void {
  wx.setStorageSync('reportFlow', { ...(wx.getStorageSync('reportFlow') as object), answers });
  wx.setStorageSync('reportPlate', plate);
}

/** Taps the radio for each answer, as the driver would. */
async function answer(page: Page, answers: CaseAnswers, plate = '粤J12345'): Promise<void> {
  for (const [key, value] of Object.entries(answers)) await tap(page, `#answer-${key}-${String(value)}`);
  await typeInto(page, '#plate', plate);
}

const INJURED: FailedVerdict = { rule: 'case', ok: false, code: 'INJURY', reason: '有人员受伤的事故不能视频快处，请拨打 122 报警。', alternatives: ['call_122'] };
const DISPUTED: FailedVerdict = {
  rule: 'case',
  ok: false,
  code: 'FACTS_DISPUTED',
  reason: '各方对事实有争议，需要交警到现场处理。',
  alternatives: ['officer_on_scene'],
};
const OUTSIDE_HOURS: FailedVerdict = {
  rule: 'hours',
  ok: false,
  code: 'OUTSIDE_HOURS',
  reason: '视频快处的服务时间是每天 7:30 至 19:30。',
  alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'],
  nextOpenAt: '2025-06-01T23:30:00.000Z',
};

describe('questions', () => {
  test('nothing is sent until every question is answered and the plate looks right', async () => {
    const server = fakeServer();
    const page = renderPage(questionsId);
    expect(textOf(page, '#q-vehicleCount')).toContain('事故涉及几辆车');
    expect(textOf(page, '#q-anyoneLeftScene')).toContain('离开现场');

    await tap(page, '#answer-vehicleCount-2');
    expect(isChecked(page, '#answer-vehicleCount-2')).toBe(true);
    expect(isChecked(page, '#answer-vehicleCount-3')).toBe(false);
    await typeInto(page, '#plate', '粤J1234');
    await tap(page, '#submit');

    expect(textOf(page, '#error-vehicleCount')).toBeNull();
    expect(textOf(page, '#error-anyoneInjured')).toBe('请选择一项');
    expect(textOf(page, '#error-plate')).toBe('车牌号应为 7 位，新能源车 8 位，如 粤J12345');
    expect(textOf(page, '#form-error')).toContain('还有问题没有回答');

    await typeInto(page, '#plate', 'JJ12345');
    await tap(page, '#submit');
    expect(textOf(page, '#error-plate')).toBe('车牌号第一个字应是省份简称，如「粤」');
    expect(server.requests).toHaveLength(0);
  });

  test('not eligible: the result page shows every reason, when it opens next, and 122 dials 122', async () => {
    const server = fakeServer();
    server.on(CHECK, { status: 200, body: eligibility({ eligible: false, failed: [OUTSIDE_HOURS, INJURED, DISPUTED] }) });
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(questionsId);

    await answer(page, goodAnswers({ anyoneInjured: true, factsDisputed: true }), '粤j 123o5');
    await tap(page, '#submit');

    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-result/index' })));
    expect(server.to(CHECK)).toHaveLength(1);
    expect(server.to(CHECK)[0]!.data).toEqual({ location: LOCATION, answers: goodAnswers({ anyoneInjured: true, factsDisputed: true }) });
    expect(server.to(CREATE)).toHaveLength(0);
    expect(wx.getStorageSync('reportPlate')).toBe('粤J12305'); // normalised: uppercase, no space, O → 0

    const makePhoneCall = stubWx('makePhoneCall', { ok: {} });
    const result = renderPage(resultId);
    expect(textOf(result, '#reason-OUTSIDE_HOURS')).toBe(OUTSIDE_HOURS.reason);
    expect(textOf(result, '#reason-INJURY')).toBe(INJURED.reason);
    expect(textOf(result, '#reason-FACTS_DISPUTED')).toBe(DISPUTED.reason);
    expect(textOf(result, '#next-open')).toBe('视频快处下次开放时间：6月2日 07:30');
    const alternatives = textOf(result, '#alternatives') ?? '';
    for (const title of ['拨打 122 报警', '原地等待交警到场', '交管12123', '自行协商处理']) expect(alternatives).toContain(title);
    expect(alternatives.indexOf('拨打 122 报警')).toBeLessThan(alternatives.indexOf('自行协商处理'));

    await tap(result, '#call-122-call_122');
    expect(makePhoneCall).toHaveBeenCalledTimes(1);
    expect(optionsOf(makePhoneCall)).toMatchObject({ phoneNumber: '122' });
    await tap(result, '#call-122-officer_on_scene');
    expect(optionsOf(makePhoneCall, 1)).toMatchObject({ phoneNumber: '122' });
  });

  test('eligible: the case is created with an Idempotency-Key; 重试 after a failure sends the same key, then the waiting page opens', async () => {
    const server = fakeServer();
    server.on(CHECK, { status: 200, body: eligibility() });
    server.on(
      CREATE,
      { status: 500, body: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } },
      { status: 201, body: caseView({ caseId: 'case_42' }) },
    );
    const reLaunch = stubWx('reLaunch', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    // Re-opened mid-report: the answers and plate are filled in from the report flow.
    expect(isChecked(page, '#answer-vehicleCount-2')).toBe(true);
    expect(isChecked(page, '#answer-anyoneInjured-false')).toBe(true);
    expect(isChecked(page, '#answer-anyoneInjured-true')).toBe(false);
    expect(page.data.plate).toBe('粤J12345');
    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#create-error-message')).toBe('服务器开小差了，请稍后再试'));
    expect(reLaunch).not.toHaveBeenCalled();
    await tap(page, '#retry-create');

    await waitFor(() => expect(reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_42' })));
    const [first, second] = server.to(CREATE);
    expect(server.to(CREATE)).toHaveLength(2);
    expect(first!.data).toEqual({ safetyCheckId: 'sc_1', location: LOCATION, answers: goodAnswers(), plate: '粤J12345' });
    expect(first!.header['Idempotency-Key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second!.header['Idempotency-Key']).toBe(first!.header['Idempotency-Key']);
    expect(second!.data).toEqual(first!.data);
    expect(wx.getStorageSync('reportFlow')).toBe(''); // the report is over
  });

  test('a network failure on every automatic try: 重试 still sends the one Idempotency-Key', async () => {
    const server = fakeServer();
    server.on(CHECK, { status: 200, body: eligibility() });
    const lost = { fail: 'request:fail timeout' };
    server.on(CREATE, lost, lost, lost, { status: 200, body: caseView({ caseId: 'case_42' }) });
    const reLaunch = stubWx('reLaunch', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#create-error-message')).toBe('网络不太好，请检查网络后重试'), 5000);
    expect(server.to(CREATE)).toHaveLength(3);
    await tap(page, '#retry-create');

    await waitFor(() => expect(reLaunch).toHaveBeenCalledTimes(1));
    const keys = server.to(CREATE).map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
  });

  test('an open case close by: the driver is asked for the other party\'s code and sent to the join page; nothing is joined from here', async () => {
    const server = fakeServer();
    server.on(CHECK, {
      status: 200,
      body: eligibility({ nearbyOpenCases: [{ distanceM: 38.4, createdAt: '2025-06-01T02:26:00.000Z', vehicleCount: 2, partyCount: 1 }] }),
    });
    const navigateTo = stubWx('navigateTo', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#nearby')).toContain('附近刚有一起报案，可能是对方已报案'));
    expect(textOf(page, '#nearby-ask')).toBe('请向对方要手机上显示的 6 位案件码（或扫码）加入。');
    expect(textOf(page, '#nearby-0')).toBe('38 米外、4 分钟前报案，共 2 辆车，已有 1 辆车的司机加入。');
    expect(textOf(page, '#new-case')).toBe('不是同一起事故，新建报案');
    await tap(page, '#join-by-code');

    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-join/index' })));
    expect(server.to(JOIN)).toHaveLength(0);
    expect(server.to(CREATE)).toHaveLength(0);
    expect(textOf(page, '#nearby')).not.toBeNull(); // back from the join page, the choice is still there
  });

  test('an open case close by: 新建报案 creates a new case; a join page that will not open is explained', async () => {
    const server = fakeServer();
    server.on(CHECK, {
      status: 200,
      body: eligibility({ nearbyOpenCases: [{ distanceM: 80, createdAt: '2025-06-01T02:30:00.000Z', vehicleCount: 3, partyCount: 3 }] }),
    });
    server.on(CREATE, { status: 201, body: caseView({ caseId: 'case_8' }) });
    stubWx('navigateTo', { fail: 'navigateTo:fail page limit exceeded' });
    const reLaunch = stubWx('reLaunch', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');
    await waitFor(() => expect(textOf(page, '#nearby-0')).toContain('80 米外、刚刚报案'));

    await tap(page, '#join-by-code');
    await waitFor(() => expect(textOf(page, '#nearby-error')).toBe('页面打开失败，请稍后再试'));
    await tap(page, '#new-case');

    await waitFor(() => expect(reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_8' })));
    expect(server.to(CREATE)).toHaveLength(1);
    expect(server.to(JOIN)).toHaveLength(0);
  });

  test('a rough fix: the driver pins the spot on the map and the check is sent again with confirmedOnMap', async () => {
    const server = fakeServer();
    server.on(
      CHECK,
      { status: 200, body: eligibility({ needsMapConfirmation: true, place: { ...eligibility().place, address: '江门市蓬江区某路附近' } }) },
      { status: 200, body: eligibility() },
    );
    server.on(CREATE, { status: 201, body: caseView() });
    const chooseLocation = stubWx('chooseLocation', { fail: 'chooseLocation:fail cancel' }, { ok: { name: '建设三路', address: '江门市蓬江区建设三路', latitude: 22.5801, longitude: 113.0833 } });
    const reLaunch = stubWx('reLaunch', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');
    await waitFor(() => expect(textOf(page, '#map-confirm')).toContain('目前定位在：江门市蓬江区某路附近'));
    expect(server.to(CREATE)).toHaveLength(0);

    await tap(page, '#map-confirm-button'); // backs out of the map: still asked
    await waitFor(() => expect(chooseLocation).toHaveBeenCalledTimes(1));
    expect(textOf(page, '#map-confirm')).not.toBeNull();
    expect(server.to(CHECK)).toHaveLength(1);

    await tap(page, '#map-confirm-button');
    await waitFor(() => expect(reLaunch).toHaveBeenCalledTimes(1));
    const pinned = { lat: 22.5801, lng: 113.0833, coordType: 'gcj02', accuracyM: 15, confirmedOnMap: true };
    expect(server.to(CHECK)[1]!.data).toEqual({ location: pinned, answers: goodAnswers() });
    expect(server.to(CREATE)[0]!.data).toMatchObject({ location: pinned });
  });

  test('an expired safety confirmation: back to the safety page, then the case is sent with the new one', async () => {
    const server = fakeServer();
    server.on(CHECK, { status: 200, body: eligibility() });
    server.on(
      CREATE,
      { status: 409, body: { code: 'SAFETY_CHECK_EXPIRED', message: '现场安全确认已超过 30 分钟，请重新确认' } },
      { status: 201, body: caseView({ caseId: 'case_5' }) },
    );
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const reLaunch = stubWx('reLaunch', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#safety-message')).toBe('现场安全确认已超过 30 分钟，请重新确认'));
    await tap(page, '#confirm-safety');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-safety/index?then=back' }));

    // The safety page confirms again and navigates back here.
    wx.setStorageSync('reportFlow', { ...(wx.getStorageSync('reportFlow') as object), safetyCheckId: 'sc_2' });
    pageLifetime(page, 'show');

    await waitFor(() => expect(reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_5' })));
    const [expired, renewed] = server.to(CREATE);
    expect(expired!.data).toMatchObject({ safetyCheckId: 'sc_1' });
    expect(renewed!.data).toMatchObject({ safetyCheckId: 'sc_2', answers: goodAnswers(), plate: '粤J12345' });
    expect(renewed!.header['Idempotency-Key']).not.toBe(expired!.header['Idempotency-Key']); // a different request
    expect(server.to(CHECK)).toHaveLength(1);
  });

  test('the driver already has an open case (a lost answer, a second tap): that case opens instead', async () => {
    const server = fakeServer();
    server.on(CHECK, { status: 200, body: eligibility() });
    server.on(CREATE, { status: 409, body: { code: 'OPEN_CASE_EXISTS', message: '您有一起正在处理的事故，请继续处理该案件', caseId: 'case_old' } });
    const reLaunch = stubWx('reLaunch', { ok: {} });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');

    await waitFor(() => expect(reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_old' })));
    expect(server.to(CREATE)).toHaveLength(1);
  });

  test('the server finds the fix too rough when creating (LOCATION_UNCONFIRMED): asks for the map pin', async () => {
    const server = fakeServer();
    server.on(CHECK, { status: 200, body: eligibility() });
    server.on(CREATE, { status: 422, body: { code: 'LOCATION_UNCONFIRMED', message: '定位精度不够，请在地图上确认事故地点' } });
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');

    await waitFor(() => expect(textOf(page, '#map-confirm')).toContain('请在地图上确认事故地点'));
    expect(textOf(page, '#map-error')).toBe('定位精度不够，请在地图上确认事故地点');
    expect(domOf(page, '#map-confirm-button')).not.toBeNull();
  });

  test('without a safety confirmation the driver is sent to make one first', async () => {
    flowAfterLocation({ safetyCheckId: null });
    const server = fakeServer();
    answered();
    const page = renderPage(questionsId);
    await tap(page, '#submit');

    expect(textOf(page, '#safety-message')).toBe('请先完成现场安全确认。');
    expect(domOf(page, '#confirm-safety')).not.toBeNull();
    expect(server.requests).toHaveLength(0);
  });
});

describe('result page', () => {
  test('without a stored result it says so and offers the way home', () => {
    const page = renderPage(resultId);
    expect(textOf(page, '#no-result')).toContain('没有需要显示的结果');
    expect(domOf(page, '#not-eligible')).toBeNull();
  });
});
