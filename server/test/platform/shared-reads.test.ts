import { sharedReads } from '../../src/platform/cache/shared-reads';

/** A clock the test moves by hand, and a read it settles by hand. */
function setUp(keepMs = 1000) {
  let nowMs = 0;
  const reads = sharedReads<number>({ keepMs, monotonicMs: () => nowMs });
  let loads = 0;
  const pending: ((v: number) => void)[] = [];
  const load = () => {
    loads++;
    return new Promise<number>((resolve) => pending.push(resolve));
  };
  return { reads, load, loads: () => loads, settle: (v: number) => pending.shift()!(v), advance: (ms: number) => (nowMs += ms) };
}
const AT = new Date('2026-11-30T10:00:00+08:00');

it('shares one read among everyone asking while it is under way and for keepMs after', async () => {
  const s = setUp();
  const a = s.reads.read('JM-PJ', s.load, AT);
  const b = s.reads.read('JM-PJ', s.load, AT);
  s.settle(7);
  expect([await a, await b, s.loads()]).toEqual([7, 7, 1]);
  s.advance(1000);
  expect(await s.reads.read('JM-PJ', s.load, AT)).toBe(7);
  expect(s.loads()).toBe(1);
  s.advance(1);
  const c = s.reads.read('JM-PJ', s.load, AT);
  s.settle(8);
  expect([await c, s.loads()]).toEqual([8, 2]);
});

it('keeps keys apart', async () => {
  const s = setUp();
  const a = s.reads.read('JM-PJ', s.load, AT);
  const b = s.reads.read('JM-XH', s.load, AT);
  s.settle(1);
  s.settle(2);
  expect([await a, await b, s.loads(), s.reads.size()]).toEqual([1, 2, 2, 2]);
});

it('reads afresh when the service clock moved further than keepMs (a test jumping time)', async () => {
  const s = setUp();
  const a = s.reads.read('k', s.load, AT);
  s.settle(1);
  await a;
  const later = s.reads.read('k', s.load, new Date(AT.getTime() + 1001));
  s.settle(2);
  expect([await later, s.loads()]).toEqual([2, 2]);
});

it('after forget, askers read afresh and a read under way is not kept', async () => {
  const s = setUp();
  const before = s.reads.read('k', s.load, AT);
  s.reads.forget('k');
  const after = s.reads.read('k', s.load, AT);
  s.settle(1); // the read that began before the change
  s.settle(2);
  expect([await before, await after]).toEqual([1, 2]);
  expect(await s.reads.read('k', s.load, AT)).toBe(2);
  expect(s.loads()).toBe(2);
  s.reads.forget();
  expect(s.reads.size()).toBe(0);
});

it('does not keep a failed read', async () => {
  let calls = 0;
  const reads = sharedReads<number>({ keepMs: 60_000 });
  const failing = () => {
    calls++;
    return Promise.reject(new Error('engine down'));
  };
  await expect(reads.read('k', failing, AT)).rejects.toThrow('engine down');
  await expect(reads.read('k', async () => 3, AT)).resolves.toBe(3);
  expect(calls).toBe(1);
});

it('a load that throws synchronously rejects instead of escaping', async () => {
  const reads = sharedReads<number>({ keepMs: 1000 });
  await expect(reads.read('k', () => { throw new Error('bad'); }, AT)).rejects.toThrow('bad');
  expect(reads.size()).toBe(0);
});

it('runs a thenable (a mongoose query runs again on every then) once for all its askers', async () => {
  let runs = 0;
  // Like a mongoose Query: each then() runs it again.
  const query: PromiseLike<number> = { then: (onFulfilled, onRejected) => Promise.resolve(++runs).then(onFulfilled, onRejected) };
  const reads = sharedReads<number>({ keepMs: 1000 });
  const answers = await Promise.all([reads.read('k', () => query, AT), reads.read('k', () => query, AT), reads.read('k', () => query, AT)]);
  expect([answers, runs]).toEqual([[1, 1, 1], 1]);
});

it('joins a read under way only while it is young: a read that hangs does not hold every later asker', async () => {
  const s = setUp(30_000);
  const hung = s.reads.read('k', s.load, AT); // never settled
  s.advance(1_000);
  void s.reads.read('k', s.load, AT);
  expect(s.loads()).toBe(1); // joined: 1 s old
  s.advance(1_001);
  const later = s.reads.read('k', s.load, AT);
  expect(s.loads()).toBe(2); // 2 s old and still under way: read afresh
  s.settle(1); // the hung one, at last
  s.settle(2);
  expect([await hung, await later]).toEqual([1, 2]);
});
