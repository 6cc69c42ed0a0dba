import { Case } from '../../src/cases/case.model';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { jpegImage } from '../evidence/evidence-fixtures';
import { decision, party, releasedCase, signedInStaff } from '../decisions/decision-fixtures';

let t: TestServer;
/** Delivered on Monday 30 November 2026 at 10:00: the window ends at 24:00 on Thursday 3 December. */
const MONDAY = new Date('2026-11-30T10:00:00+08:00');
const LAST_MINUTE = new Date('2026-12-03T23:59:00+08:00');
const TOO_LATE = new Date('2026-12-04T00:00:00+08:00');

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
});
afterAll(() => t.close());
beforeEach(() => {
  t.services.clock = () => MONDAY;
});

const application = (evidenceIds: string[] = []) => ({ request: '请求撤销原认定，重新认定', reasons: 'A 车追尾时我车已完全停稳，监控可证明。', evidenceIds });

async function deliveredCase(): Promise<{ caseId: string; a: TestDriver; b: TestDriver; number: string }> {
  const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
  const caseId = await releasedCase({ parties: [party('A', '粤J31313', a.id as never), party('B', '粤J42424', b.id as never)] });
  const res = await (await signedInStaff(t, 'officer')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'main', B: 'minor' }, 'B 车刹车灯不亮'));
  expect(res.status).toBe(201);
  return { caseId, a, b, number: res.body.decision.certificate.number };
}

async function reviewPhoto(driver: TestDriver, caseId: string): Promise<string> {
  const jpeg = await jpegImage(32, 32);
  const created = await driver.post(`/api/v1/cases/${caseId}/uploads`, { uploadKey: `review-${Date.now()}`, kind: 'review_evidence', mimeType: 'image/jpeg', size: jpeg.length });
  expect(created.status).toBe(201);
  const put = await fetch(`${t.url}/api/v1/uploads/${created.body.uploadId}/chunks/0`, { method: 'PUT', body: jpeg, headers: { authorization: `Bearer ${driver.token}`, 'content-type': 'application/octet-stream' } });
  expect(put.status).toBe(200);
  const done = await driver.post(`/api/v1/uploads/${created.body.uploadId}/complete`, {});
  expect(done.status).toBe(200);
  return done.body.evidence.id as string;
}

describe('复核: the application', () => {
  it('in time (the window’s last minute), with a photo: the review is received, and 网办进度 says so', async () => {
    const { caseId, a, b } = await deliveredCase();
    const photo = await reviewPhoto(b, caseId);
    t.services.clock = () => LAST_MINUTE;
    const res = await b.post(`/api/v1/matters/${caseId}/review`, application([photo]));
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('review_requested');
    expect(res.body.decision.review).toMatchObject({ requested: true, status: 'received', appliedByMe: true, open: false });
    const stored = await Case.findById(caseId).lean();
    expect(stored?.review?.applications.map((x) => x.party)).toEqual(['B']);
    expect(stored?.review?.applications[0]?.evidenceIds).toEqual([photo]);
    // The other party may still join inside the window; their 网办进度 says so.
    const forA = (await a.get('/api/v1/matters')).body.items.find((m: { caseId: string }) => m.caseId === caseId);
    expect(forA.decision.review).toMatchObject({ open: true, requested: true, appliedByMe: false });
  });

  it('late: refused with the deadline in words, nothing written', async () => {
    const { caseId, b } = await deliveredCase();
    t.services.clock = () => TOO_LATE;
    const res = await b.post(`/api/v1/matters/${caseId}/review`, application());
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'REVIEW_WINDOW_CLOSED', message: '复核申请期限已于 2026年12月3日 24:00 届满，不能再申请复核' });
    expect((await Case.findById(caseId).lean())?.review).toBeNull();
  });

  it('a second party’s application joins the first (one review per accident); the same party cannot apply twice', async () => {
    const { caseId, a, b } = await deliveredCase();
    const both = await Promise.all([a.post(`/api/v1/matters/${caseId}/review`, application()), b.post(`/api/v1/matters/${caseId}/review`, application())]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    const stored = await Case.findById(caseId).lean();
    expect(stored?.state).toBe('review_requested');
    expect(stored?.review?.applications.map((x) => x.party).sort()).toEqual(['A', 'B']);
    const again = await b.post(`/api/v1/matters/${caseId}/review`, application());
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REVIEW_ALREADY_APPLIED');
  });

  it('refuses a photo that is not this party’s 复核 photo, and a stranger', async () => {
    const { caseId, a, b } = await deliveredCase();
    const aPhoto = await reviewPhoto(a, caseId);
    const res = await b.post(`/api/v1/matters/${caseId}/review`, application([aPhoto]));
    expect(res.status).toBe(400);
    const stranger = await verifiedDriver(t);
    expect((await stranger.post(`/api/v1/matters/${caseId}/review`, application())).status).toBe(404);
  });
});

describe('复核: the reviewer’s desk', () => {
  it('lists received applications with their deadlines; accepts, then 维持: the case closes and every party is told', async () => {
    const { caseId, b } = await deliveredCase();
    await b.post(`/api/v1/matters/${caseId}/review`, application());
    const reviewer = await signedInStaff(t, 'reviewer', null);
    const pending = await reviewer.get('/reviews/pending');
    expect(pending.status).toBe(200);
    const item = pending.body.items.find((i: { caseId: string }) => i.caseId === caseId);
    expect(item).toMatchObject({ status: 'received', acceptBy: new Date('2026-12-05T10:00:00+08:00').toISOString(), overdue: false, address: '江门市蓬江区建设路', parties: [{ label: 'A', plate: '粤J31313' }, { label: 'B', plate: '粤J42424' }] });

    const early = await reviewer.post(`/reviews/cases/${caseId}/conclusion`, { conclusion: 'upheld', reason: '事实清楚，责任划分适当' });
    expect(early.body.code).toBe('REVIEW_NOT_ACCEPTED_YET');
    const accepted = await reviewer.post(`/reviews/cases/${caseId}/acceptance`, { accept: true, reason: null });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', concludeBy: new Date('2026-12-30T10:00:00+08:00').toISOString(), reviewer: { name: expect.any(String) }, overdue: false });
    const upheld = await reviewer.post(`/reviews/cases/${caseId}/conclusion`, { conclusion: 'upheld', reason: '事实清楚，责任划分适当' });
    expect(upheld.status).toBe(200);
    expect(upheld.body.status).toBe('upheld');
    expect((await Case.findById(caseId).lean())?.state).toBe('closed');
    const matter = (await b.get('/api/v1/matters')).body.items.find((m: { caseId: string }) => m.caseId === caseId);
    expect(matter.decision.review.status).toBe('upheld');
  });

  it('flags an application not accepted within 5 days as overdue', async () => {
    const { caseId, b } = await deliveredCase();
    await b.post(`/api/v1/matters/${caseId}/review`, application());
    t.services.clock = () => new Date('2026-12-05T10:01:00+08:00');
    const item = (await (await signedInStaff(t, 'reviewer', null)).get('/reviews/pending')).body.items.find((i: { caseId: string }) => i.caseId === caseId);
    expect(item.overdue).toBe(true);
    expect((await (await signedInStaff(t, 'reviewer', null)).get(`/reviews/cases/${caseId}`)).body).toMatchObject({ status: 'received', overdue: true, reviewer: null });
  });

  it('重新认定: back to the brigade; the new certificate supersedes the old one on the verify page; no second review', async () => {
    const { caseId, b, number: first } = await deliveredCase();
    await b.post(`/api/v1/matters/${caseId}/review`, application());
    const reviewer = await signedInStaff(t, 'reviewer', null);
    await reviewer.post(`/reviews/cases/${caseId}/acceptance`, { accept: true, reason: null });
    const redone = await reviewer.post(`/reviews/cases/${caseId}/conclusion`, { conclusion: 'redone', reason: '监控显示 B 车已停稳，应重新认定' });
    expect(redone.status).toBe(200);
    expect((await Case.findById(caseId).lean())?.state).toBe('released');

    const officer = await signedInStaff(t, 'officer');
    const again = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, '复核后重新认定：B 车已停稳'));
    expect(again.status).toBe(201);
    const second = again.body.decision.certificate.number;
    expect(second).not.toBe(first);
    expect((await t.http.get(`/api/v1/certificates/${first}/verify`)).body).toMatchObject({ status: 'superseded' });
    expect((await t.http.get(`/api/v1/certificates/${second}/verify`)).body).toMatchObject({ status: 'valid' });

    const secondTry = await b.post(`/api/v1/matters/${caseId}/review`, application());
    expect(secondTry.status).toBe(409);
    expect(secondTry.body.code).toBe('REVIEW_ALREADY_USED');
  });

  it('not accepted, with the reason: the certificate stands and the case closes; an officer cannot use the desk', async () => {
    const { caseId, b } = await deliveredCase();
    await b.post(`/api/v1/matters/${caseId}/review`, application());
    expect((await (await signedInStaff(t, 'officer')).post(`/reviews/cases/${caseId}/acceptance`, { accept: true, reason: null })).status).toBe(403);
    const reviewer = await signedInStaff(t, 'reviewer', null);
    const noReason = await reviewer.post(`/reviews/cases/${caseId}/acceptance`, { accept: false, reason: null });
    expect(noReason.status).toBe(400);
    const declined = await reviewer.post(`/reviews/cases/${caseId}/acceptance`, { accept: false, reason: '当事人已向人民法院提起诉讼' });
    expect(declined.body).toMatchObject({ status: 'not_accepted', notAcceptedReason: '当事人已向人民法院提起诉讼' });
    expect((await Case.findById(caseId).lean())?.state).toBe('closed');
  });
});
