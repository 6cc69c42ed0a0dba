/**
 * 网办进度 in miniprogram-simulate against the fake server: the driver's matters with their steps,
 * the decision in plain words, the 认定书 (download with the token, then WeChat's viewer), the 复核
 * deadline, and the hand-off to the insurer with its claim number.
 */
import * as simulate from 'miniprogram-simulate';
import { BASE_URL, fakeServer } from './fake-server';
import { signedIn } from './fixtures';
import { decision, handoff, insurers, matter, releasedMatter } from './matter-fixtures';
import { closePage, domOf, find, isChecked, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf, stubWx } from './wx-stubs';

const MATTERS = 'GET /api/v1/matters';
const PDF = 'GET /api/v1/matters/case_1/certificate.pdf';
const INSURERS = 'GET /api/v1/insurers';
const HANDOFF = 'POST /api/v1/matters/case_1/insurer-handoff';

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/progress/index');
});
beforeEach(() => {
  wx.clearStorageSync();
  signedIn('verified');
});

let opened: ReturnType<typeof renderPage>[] = [];
function open(): ReturnType<typeof renderPage> {
  const page = renderPage(pageId);
  opened.push(page);
  return page;
}
afterEach(() => {
  for (const page of opened) closePage(page);
  opened = [];
});

/** Inside one matter's card (and the card's own parts). */
const inCard = (caseId: string, selector: string): string => `#matter-${caseId} >>> ${selector}`;
const cardText = (page: ReturnType<typeof renderPage>, caseId: string, selector: string): string | null =>
  textOf(page, inCard(caseId, selector)) ?? textOf(page, `#matter-${caseId} >>> .part >>> ${selector}`);

describe('网办进度 lists the matters', () => {
  test('each matter with its number, Beijing date, place, plates, state and every step with its time', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [releasedMatter(), matter()] } });
    const page = open();

    await waitFor(() => expect(domOf(page, '#matters')).not.toBeNull());
    expect(server.to(MATTERS)[0]!.header.Authorization).toBe('Bearer access-1');

    const waiting = textOf(page, '#matter-case_2') ?? '';
    expect(waiting).toContain('事故编号 E5F6G7H8');
    // 23:10Z on 1 December is 07:10 on 2 December in Beijing.
    expect(waiting).toContain('2026年12月2日 07:10');
    expect(waiting).toContain('江门市蓬江区建设三路');
    expect(waiting).toContain('我方 粤J22222');
    expect(waiting).toContain('粤J11111');
    expect(waiting).toContain('信息采集完成');
    const steps = textOf(page, inCard('case_2', '#steps')) ?? '';
    expect(steps).toMatch(/视频报警.*2026年12月2日 07:10.*交警接听.*07:12.*信息采集完成，撤离现场.*07:20/);
    expect(steps).not.toContain('认定书');
    expect(domOf(page, inCard('case_2', '#decision'))).toBeNull();

    const delivered = textOf(page, '#matter-case_1') ?? '';
    expect(delivered).toContain('事故认定书已送达');
    // A delivered matter shows its decision first; the steps open on demand.
    expect(textOf(page, inCard('case_1', '#steps'))).toBeNull();
    await tap(page, inCard('case_1', '#steps-toggle'));
    const allSteps = textOf(page, inCard('case_1', '#steps')) ?? '';
    for (const words of ['视频报警', '交警接听', '撤离现场', '交警作出责任认定', '事故认定书送达2026年11月30日 10:00']) expect(allSteps).toContain(words);
  });

  test('no matters: says so plainly and offers the way home', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [] } });
    const page = open();
    await waitFor(() => expect(domOf(page, '#empty')).not.toBeNull());
    expect(textOf(page, '#empty')).toContain('还没有办理中的事故');
    expect(domOf(page, '#matters')).toBeNull();
  });

  test('an error says why; 重试 loads the list; pulling down refreshes it', async () => {
    const server = fakeServer();
    server.on(
      MATTERS,
      { status: 500, body: { code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' } },
      { status: 200, body: { items: [releasedMatter()] } },
      { status: 200, body: { items: [releasedMatter(), matter()] } },
    );
    const stop = stubWx('stopPullDownRefresh', { ok: {} });
    const page = open();

    await waitFor(() => expect(textOf(page, '#load-error-message')).toBe('服务暂时不可用，请稍后重试'));
    await tap(page, '#retry');
    await waitFor(() => expect(domOf(page, '#matter-case_2')).not.toBeNull());
    expect(domOf(page, '#matter-case_1')).toBeNull();

    await (page.instance as unknown as { onPullDownRefresh(): Promise<void> }).onPullDownRefresh();
    await waitFor(() => expect(domOf(page, '#matter-case_1')).not.toBeNull());
    expect(stop).toHaveBeenCalledTimes(1);
    expect(server.to(MATTERS)).toHaveLength(3);
  });
});

describe('the decision and the 认定书', () => {
  test('reads the decision in plain Chinese, with the basis, the certificate number and the 复核 deadline', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter()] } });
    const page = open();
    await waitFor(() => expect(cardText(page, 'case_1', '#decision-sentence')).not.toBeNull());

    expect(cardText(page, 'case_1', '#decision-sentence')).toBe('您（B 车 粤J22222）负次要责任；A 车（粤J11111）负主要责任');
    expect(cardText(page, 'case_1', '#decision-basis')).toContain('变更车道时未让正常行驶的车辆先行');
    expect(cardText(page, 'case_1', '#certificate-number')).toBe('认定书编号：PJ2026000123');
    expect(cardText(page, 'case_1', '#review-deadline')).toBe('复核申请截止：2026年12月3日 24:00');
    expect(cardText(page, 'case_1', '#review-open')).toContain('可以申请复核');
    expect(cardText(page, 'case_1', '#apply-review')).toBe('申请复核');
  });

  test('a closed window says so, and one already applied for says 已申请复核', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter({ decision: decision({}, { open: false }) }), matter({ caseId: 'case_3', state: 'review_requested', decision: decision({}, { open: false, requested: true, appliedByMe: true, status: 'received' }) })] } });
    const page = open();
    await waitFor(() => expect(cardText(page, 'case_1', '#review-closed')).toBe('复核申请期限已过'));
    expect(cardText(page, 'case_1', '#apply-review')).toBeNull();
    expect(cardText(page, 'case_3', '#review-applied')).toBe('已申请复核');
    expect(cardText(page, 'case_3', '#review-status')).toContain('复核申请已收到');
    expect(cardText(page, 'case_3', '#apply-review')).toBeNull();
  });

  test('another party applied inside the window: said so, and this driver may still join the one review', async () => {
    const server = fakeServer();
    const joining = decision({}, { deadline: '2099-12-03T16:00:00.000Z', open: false, requested: true, appliedByMe: false, status: 'received' });
    const past = decision({}, { open: false, requested: true, appliedByMe: false, status: 'received', deadline: '2020-12-03T16:00:00.000Z' });
    server.on(MATTERS, { status: 200, body: { items: [matter({ state: 'review_requested', decision: joining }), matter({ caseId: 'case_4', state: 'review_requested', decision: past })] } });
    const page = open();
    await waitFor(() => expect(cardText(page, 'case_1', '#review-requested')).toContain('其他当事人已申请复核'));
    expect(cardText(page, 'case_1', '#review-requested')).toContain('可在截止前一并申请');
    expect(cardText(page, 'case_1', '#apply-review')).toBe('申请复核');
    expect(cardText(page, 'case_4', '#review-requested')).toBe('其他当事人已申请复核，复核结果会通知您');
    expect(cardText(page, 'case_4', '#apply-review')).toBeNull();
  });

  test('查看认定书 downloads the PDF with the token, then opens it with the menu to forward it', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter()] } });
    server.on(PDF, { status: 200, tempFilePath: 'http://tmp/cert-123.pdf' });
    const openDocument = stubWx('openDocument', { ok: {} });
    const page = open();
    await waitFor(() => expect(cardText(page, 'case_1', '#open-certificate')).toBe('查看认定书'));

    await tap(page, `#matter-case_1 >>> .part >>> #open-certificate`);

    await waitFor(() => expect(openDocument).toHaveBeenCalledTimes(1));
    expect(server.downloadFile).toHaveBeenCalledTimes(1);
    expect(server.to(PDF)[0]).toMatchObject({ url: `${BASE_URL}/api/v1/matters/case_1/certificate.pdf`, header: { Authorization: 'Bearer access-1' } });
    expect(optionsOf(openDocument)).toMatchObject({ filePath: 'http://tmp/cert-123.pdf', fileType: 'pdf', showMenu: true });
    expect(cardText(page, 'case_1', '#certificate-error')).toBeNull();
  });

  test('a download that fails says what to do and opens nothing; a second tap opens it', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter()] } });
    server.on(PDF, { fail: 'downloadFile:fail timeout' }, { status: 200, tempFilePath: 'http://tmp/cert.pdf' });
    const openDocument = stubWx('openDocument', { ok: {} });
    const page = open();
    await waitFor(() => expect(cardText(page, 'case_1', '#open-certificate')).toBe('查看认定书'));

    await tap(page, `#matter-case_1 >>> .part >>> #open-certificate`);
    await waitFor(() => expect(cardText(page, 'case_1', '#certificate-error')).toContain('请检查网络后再点「查看认定书」'));
    expect(openDocument).not.toHaveBeenCalled();

    await tap(page, `#matter-case_1 >>> .part >>> #open-certificate`);
    await waitFor(() => expect(openDocument).toHaveBeenCalledTimes(1));
    expect(cardText(page, 'case_1', '#certificate-error')).toBeNull();
  });

  test('a refused download (not delivered to this driver) says so instead of opening an error page', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter()] } });
    server.on(PDF, { status: 403, tempFilePath: 'http://tmp/error.json' });
    const openDocument = stubWx('openDocument', { ok: {} });
    const page = open();
    await waitFor(() => expect(cardText(page, 'case_1', '#open-certificate')).toBe('查看认定书'));
    await tap(page, `#matter-case_1 >>> .part >>> #open-certificate`);
    await waitFor(() => expect(cardText(page, 'case_1', '#certificate-error')).toContain('暂时无法查看认定书'));
    expect(openDocument).not.toHaveBeenCalled();
  });
});

describe('发送给保险公司', () => {
  const HANDOFF_PART = '#matter-case_1 >>> .part >>> ';

  async function pickInsurer(page: ReturnType<typeof renderPage>, code: string): Promise<void> {
    await tap(page, `${HANDOFF_PART}#handoff-start`);
    await waitFor(() => expect(find(page, `${HANDOFF_PART}#insurer-${code}`)).toBeTruthy());
    await tap(page, `${HANDOFF_PART}#insurer-${code}`);
  }

  test('pick the insurer, consent to what is sent — 发送 is disabled until then — and the claim number shows', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter()] } });
    server.on(INSURERS, { status: 200, body: insurers() });
    server.on(HANDOFF, { status: 200, body: handoff() });
    const page = open();
    await waitFor(() => expect(textOf(page, `${HANDOFF_PART}#handoff-start`)).toBe('发送给保险公司'));

    await pickInsurer(page, 'PINGAN');
    await waitFor(() => expect(isChecked(page, `${HANDOFF_PART}#insurer-PINGAN`)).toBe(true));
    const form = textOf(page, `${HANDOFF_PART}#handoff-form`) ?? '';
    expect(form).toMatch(/中国人保.*太平洋保险.*平安保险/);
    expect(isChecked(page, `${HANDOFF_PART}#insurer-PICC`)).toBe(false);
    for (const words of ['道路交通事故认定书', '证据清单', '交强险保单信息']) expect(form).toContain(words);
    expect(isChecked(page, `${HANDOFF_PART}#handoff-consent`)).toBe(false);
    expect(domOf(page, `${HANDOFF_PART}#handoff-send`)?.className).toContain('t-button--disabled');
    await tap(page, `${HANDOFF_PART}#handoff-send`);
    await simulate.sleep(20);
    expect(server.to(HANDOFF)).toHaveLength(0);

    await tap(page, `${HANDOFF_PART}#handoff-consent`);
    expect(isChecked(page, `${HANDOFF_PART}#handoff-consent`)).toBe(true);
    expect(domOf(page, `${HANDOFF_PART}#handoff-send`)?.className).not.toContain('t-button--disabled');
    await tap(page, `${HANDOFF_PART}#handoff-send`);

    await waitFor(() => expect(textOf(page, `${HANDOFF_PART}#claim-no`)).toBe('理赔报案号：PA-2026-778899'));
    expect(server.to(HANDOFF)).toHaveLength(1);
    expect(server.to(HANDOFF)[0]!.data).toEqual({ insurerCode: 'PINGAN', consent: true });
    expect(textOf(page, `${HANDOFF_PART}#handoff-status`)).toContain('平安保险已受理');
  });

  test('an insurer that fails and then answers: the error shows, then the number after 重试 (a new attempt, not a replay)', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter()] } });
    server.on(INSURERS, { status: 200, body: insurers() });
    server.on(
      HANDOFF,
      { status: 200, body: handoff({ status: 'failed', claimNo: null, error: '保险公司系统暂时无法受理，请稍后重试' }) },
      { status: 200, body: handoff() },
    );
    const page = open();
    await waitFor(() => expect(textOf(page, `${HANDOFF_PART}#handoff-start`)).toBe('发送给保险公司'));
    await pickInsurer(page, 'PINGAN');
    await tap(page, `${HANDOFF_PART}#handoff-consent`);
    await tap(page, `${HANDOFF_PART}#handoff-send`);

    await waitFor(() => expect(textOf(page, `${HANDOFF_PART}#handoff-error`)).toBe('保险公司系统暂时无法受理，请稍后重试'));
    expect(textOf(page, `${HANDOFF_PART}#claim-no`)).toBeNull();

    await tap(page, `${HANDOFF_PART}#handoff-retry`);
    await waitFor(() => expect(textOf(page, `${HANDOFF_PART}#claim-no`)).toBe('理赔报案号：PA-2026-778899'));
    expect(textOf(page, `${HANDOFF_PART}#handoff-error`)).toBeNull();
    const sent = server.to(HANDOFF);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.data).toEqual({ insurerCode: 'PINGAN', consent: true });
    expect(sent[1]!.header['Idempotency-Key']).not.toBe(sent[0]!.header['Idempotency-Key']);
  });

  test('a hand-off already accepted shows its claim number on the card', async () => {
    const server = fakeServer();
    server.on(MATTERS, { status: 200, body: { items: [matter({ decision: decision({ handoff: handoff({ claimNo: 'RB-1' , insurerName: '中国人保', insurerCode: 'PICC' }) }) })] } });
    const page = open();
    await waitFor(() => expect(textOf(page, `${HANDOFF_PART}#claim-no`)).toBe('理赔报案号：RB-1'));
    expect(textOf(page, `${HANDOFF_PART}#handoff-start`)).toBeNull();
  });
});
