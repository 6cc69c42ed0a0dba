/**
 * CallSession without the simulator: a scripted API, jest's fake clock, FakeRtcClient. Each pause
 * the session takes is read from the timers it was given, so the schedules are checked as numbers.
 */
import type { PartyCallView, RtcCredentials } from '../../typings/api/call';
import {
  CallSession,
  POLL_BACKOFF_MS,
  POLL_MESSAGES,
  POLL_MIN_INTERVAL_MS,
  RECONNECT_DELAYS_MS,
  RENEW_RETRY_MS,
  RENEW_TRIES,
  VIDEO_MESSAGES,
  type CallApi,
  type Timers,
  type VideoPatch,
} from '../utils/call/callSession';
import { ApiRequestError, MESSAGES } from '../utils/errors';
import { FakeRtcClient } from '../utils/rtc/index';
import { callView, rtcCredentials } from './fixtures';

/** One answer of the fake API: a value or an error, after `ms` of (fake) network time. */
type Answer<T> = { ok: T; ms?: number } | { error: unknown; ms?: number } | 'hang';

const networkDown = (): ApiRequestError => new ApiRequestError('NETWORK_FAILED', 0, MESSAGES.network);

/** Answers in order; the last repeats. Records what was asked. */
function scripted<T>(answers: Answer<T>[]) {
  const asked: unknown[] = [];
  const fn = (arg?: unknown): Promise<T> => {
    asked.push(arg);
    const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? 'hang';
    if (answer === 'hang') return new Promise<T>(() => undefined);
    return new Promise<T>((resolve, reject) => {
      setTimeout(() => ('ok' in answer ? resolve(answer.ok) : reject(answer.error)), answer.ms ?? 1);
    });
  };
  return { fn, asked, answers };
}

interface Harness {
  session: CallSession;
  views: PartyCallView[];
  notes: string[];
  video: VideoPatch[];
  consentAsked: number;
  /** Every pause the session asked its timers for, in ms, in order. */
  delays: number[];
  clients: FakeRtcClient[];
  polls: ReturnType<typeof scripted<PartyCallView>>;
  tokens: ReturnType<typeof scripted<RtcCredentials>>;
  screen: boolean[];
}

function start(
  options: { polls?: Answer<PartyCallView>[]; tokens?: Answer<RtcCredentials>[]; newClient?: (client: FakeRtcClient, n: number) => void } = {},
): Harness {
  const polls = scripted(options.polls ?? [{ ok: callView({ rev: 3 }) }, 'hang']);
  const tokens = scripted(options.tokens ?? [{ ok: rtcCredentials(1) }, { ok: rtcCredentials(2) }, { ok: rtcCredentials(3) }]);
  const h: Partial<Harness> = { views: [], notes: [], video: [], consentAsked: 0, delays: [], clients: [], polls, tokens, screen: [] };
  const timers: Timers = {
    setTimeout: (run, ms) => {
      h.delays!.push(ms);
      return setTimeout(run, ms);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
  };
  const api: CallApi = { call: (since) => polls.fn(since), rtcToken: () => tokens.fn() };
  h.session = new CallSession(
    {
      api,
      timers,
      keepScreenOn: (on) => h.screen!.push(on),
      createRtc: () => {
        const client = new FakeRtcClient();
        h.clients!.push(client);
        options.newClient?.(client, h.clients!.length);
        return client;
      },
    },
    {
      view: (view) => h.views!.push(view),
      syncNote: (text) => h.notes!.push(text),
      video: (patch) => h.video!.push(patch),
      consentRequired: () => {
        h.consentAsked! += 1;
      },
    },
  );
  return h as Harness;
}

const lastClient = (h: Harness): FakeRtcClient => {
  const client = h.clients.at(-1);
  if (!client) throw new Error('no RTC client made');
  return client;
};
/** Lets the fake clock run `ms` while `promise` settles (the fake API answers on timers). */
async function settle<T>(promise: Promise<T>, ms = 1): Promise<T> {
  await jest.advanceTimersByTimeAsync(ms);
  return promise;
}

const lastState = (h: Harness): string | undefined => h.video.filter((p) => p.videoState).at(-1)?.videoState;

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the long poll', () => {
  test('asks with the last rev it showed, and shows each newer view', async () => {
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { ok: callView({ rev: 4 }), ms: 200 }, { ok: callView({ rev: 7 }), ms: 200 }, 'hang'] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(1000);

    expect(h.polls.asked).toEqual([undefined, 3, 4, 7]);
    expect(h.views.map((v) => v.rev)).toEqual([3, 4, 7]);
  });

  test('failures back off 1 s, 2 s, 5 s, 10 s, 15 s, 15 s …; the note says so; one answer resets both', async () => {
    const down = { error: networkDown() };
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, down, down, down, down, down, down, down, { ok: callView({ rev: 4 }) }, down, 'hang'] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(120_000);

    // Every 1 ms is a fake network answer; the rest are the session's own pauses.
    const pauses = h.delays.filter((ms) => ms !== 1);
    expect(pauses).toEqual([1000, 2000, 5000, 10000, 15000, 15000, 15000, 1000]);
    expect(POLL_BACKOFF_MS).toEqual([1000, 2000, 5000, 10000, 15000]);
    expect(h.notes).toEqual([POLL_MESSAGES.unstable, '', POLL_MESSAGES.unstable]);
    expect(h.views.map((v) => v.rev)).toEqual([3, 4]);
  });

  test('a case that is gone (404/403) says the server’s words, not “network”', async () => {
    const gone = new ApiRequestError('NOT_FOUND', 404, '案件不存在');
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { error: gone }, 'hang'] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(10);

    expect(h.notes).toEqual(['案件不存在']);
  });

  test('an unchanged answer sooner than the minimum interval waits out the rest; a changed one asks again at once', async () => {
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { ok: callView({ rev: 3 }), ms: 300 }, { ok: callView({ rev: 4 }), ms: 300 }, 'hang'] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(299);
    expect(h.polls.asked).toHaveLength(2);

    await jest.advanceTimersByTimeAsync(1);
    expect(h.delays.at(-1)).toBe(POLL_MIN_INTERVAL_MS - 300);
    await jest.advanceTimersByTimeAsync(POLL_MIN_INTERVAL_MS - 300 - 1);
    expect(h.polls.asked).toHaveLength(2); // still waiting
    await jest.advanceTimersByTimeAsync(1);
    expect(h.polls.asked).toHaveLength(3);

    await jest.advanceTimersByTimeAsync(300); // the changed answer
    expect(h.polls.asked).toEqual([undefined, 3, 3, 4]);
    expect(h.delays.filter((ms) => ms !== 1 && ms !== 300)).toEqual([POLL_MIN_INTERVAL_MS - 300]);
  });

  test('wake() ends a pause early: the page shown again asks at once', async () => {
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { error: networkDown() }, { ok: callView({ rev: 5 }) }, 'hang'] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(1);
    expect(h.polls.asked).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(1); // the 1 s backoff

    h.session.wake();
    await jest.advanceTimersByTimeAsync(0);
    expect(h.polls.asked).toEqual([undefined, 3, 3]);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.views.at(-1)?.rev).toBe(5);
  });

  test('closing during a pause: no request after it and no timer left running', async () => {
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { error: networkDown() }] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(1);
    expect(jest.getTimerCount()).toBe(1);

    h.session.close();
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.polls.asked).toHaveLength(2);
  });

  test('closing while a poll is out: its answer is not shown and nothing more is asked', async () => {
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { ok: callView({ rev: 4 }), ms: 5000 }] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(100);

    h.session.close();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.views.map((v) => v.rev)).toEqual([3]);
    expect(h.polls.asked).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('polling ends once the case is off the call (released), with no timer left', async () => {
    const h = start({ polls: [{ ok: callView({ rev: 3 }) }, { ok: callView({ rev: 9, state: 'released' }), ms: 50 }, { ok: callView({ rev: 10 }) }] });
    await settle(h.session.open());
    await jest.advanceTimersByTimeAsync(10_000);

    expect(h.polls.asked).toEqual([undefined, 3]);
    expect(h.views.at(-1)?.state).toBe('released');
    expect(jest.getTimerCount()).toBe(0);
  });

  test('a view older than the one shown (a write’s answer overtaken by a poll) is dropped', async () => {
    const h = start({ polls: ['hang'] });
    expect(h.session.offer(callView({ rev: 5 }))).toBe(true);
    expect(h.session.offer(callView({ rev: 4 }))).toBe(false);
    expect(h.session.offer(callView({ rev: 5 }))).toBe(true);
    expect(h.views.map((v) => v.rev)).toEqual([5, 5]);
  });
});

describe('the video channel', () => {
  async function live(h: Harness): Promise<FakeRtcClient> {
    h.session.offer(callView({ rev: 3 }));
    await settle(h.session.startVideo());
    expect(lastState(h)).toBe('live');
    return lastClient(h);
  }

  test('joins with the server’s token, publishes, keeps the screen on, and shows the officer first', async () => {
    const h = start();
    const client = await live(h);
    expect(client.callsOf('join')).toEqual([['006token-1', 'case-case_1', 101]]);
    expect(h.video.at(-1)).toEqual({ videoState: 'live', videoMessage: '', pusherUrl: 'rtmp://fake-rtc.invalid/case-case_1/101/push' });
    expect(h.screen).toEqual([true]);

    client.addRemote(102);
    client.addRemote(1);
    client.addRemote(101); // our own stream: no player
    await jest.advanceTimersByTimeAsync(0);
    const players = h.video.filter((p) => p.players).at(-1)?.players ?? [];
    expect(players.map((p) => [p.uid, p.label, p.big])).toEqual([
      [1, '交警', true],
      [102, 'B 车', false],
    ]);
  });

  test('a drop rejoins after 0.5 s, 2 s, 5 s, 10 s, 20 s; then it is the driver’s (重新连接), with no timer left', async () => {
    // Every client after the first cannot get back in.
    const h = start({ tokens: [{ ok: rtcCredentials(1) }], newClient: (client, n) => n > 1 && client.failNext('rejoin', { code: 904, reason: 'no network' }) });
    const first = await live(h);
    first.addRemote(1);
    await jest.advanceTimersByTimeAsync(0);
    const before = h.delays.length;

    first.fail(904, 'connection lost');
    expect(h.video.at(-1)).toEqual({ videoState: 'reconnecting', videoMessage: VIDEO_MESSAGES.dropped });
    await jest.advanceTimersByTimeAsync(60_000);

    expect(h.delays.slice(before).filter((ms) => ms !== 1)).toEqual([...RECONNECT_DELAYS_MS]);
    expect(RECONNECT_DELAYS_MS).toEqual([500, 2000, 5000, 10000, 20000]);
    expect(h.clients).toHaveLength(1 + RECONNECT_DELAYS_MS.length);
    expect(h.clients.slice(1).every((c) => c.callsOf('rejoin')[0]?.[3]?.toString() === '1')).toBe(true); // the streams it knew
    expect(first.destroyed).toBe(true);
    expect(h.video.at(-1)).toEqual({ videoState: 'failed', videoMessage: VIDEO_MESSAGES.gaveUp });
    expect(jest.getTimerCount()).toBe(0);

    // 重新连接: at once, and the schedule starts over.
    const retry = h.session.retryVideo();
    expect(lastState(h)).toBe('reconnecting');
    await settle(retry);
    expect(h.clients).toHaveLength(2 + RECONNECT_DELAYS_MS.length);
    expect(h.delays.at(-1)).toBe(RECONNECT_DELAYS_MS[0]);
  });

  test('a rejoin that works resets the schedule', async () => {
    const h = start();
    const first = await live(h);
    first.fail();
    await jest.advanceTimersByTimeAsync(RECONNECT_DELAYS_MS[0]! + 5);
    expect(lastState(h)).toBe('live');
    expect(lastClient(h).callsOf('rejoin')[0]?.[0]).toBe('006token-2');

    const before = h.delays.length;
    lastClient(h).fail();
    expect(h.delays.slice(before)).toEqual([RECONNECT_DELAYS_MS[0]]);
  });

  test('a token about to expire is renewed from the server without leaving the channel', async () => {
    const h = start();
    const client = await live(h);

    client.willExpire();
    await jest.advanceTimersByTimeAsync(10);

    expect(client.callsOf('renewToken')).toEqual([['006token-2']]);
    expect(h.tokens.asked).toHaveLength(2);
    expect(h.clients).toHaveLength(1);
    expect(client.callsOf('rejoin')).toHaveLength(0);
  });

  test('renewing retries 3 s apart, three tries in all; after that the expiry itself rejoins at once', async () => {
    const down = { error: networkDown() };
    const h = start({ tokens: [{ ok: rtcCredentials(1) }, down, down, down, { ok: rtcCredentials(5) }] });
    const client = await live(h);

    client.willExpire();
    await jest.advanceTimersByTimeAsync(1);
    expect(h.tokens.asked).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(RENEW_RETRY_MS - 1);
    expect(h.tokens.asked).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.tokens.asked).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.tokens.asked).toHaveLength(1 + RENEW_TRIES);
    expect(RENEW_TRIES).toBe(3);
    expect(client.callsOf('renewToken')).toHaveLength(0);
    expect(jest.getTimerCount()).toBe(0);

    client.didExpire();
    expect(h.delays.at(-1)).toBe(0);
    await jest.advanceTimersByTimeAsync(10);
    expect(lastClient(h).callsOf('rejoin')[0]?.[0]).toBe('006token-5');
  });

  test('closing while a renewal retry or a rejoin waits: both timers go, the client leaves', async () => {
    const h = start({ tokens: [{ ok: rtcCredentials(1) }, { error: networkDown() }] });
    const client = await live(h);
    client.willExpire();
    await jest.advanceTimersByTimeAsync(1);
    client.fail();
    expect(jest.getTimerCount()).toBe(2); // the renewal retry and the rejoin

    h.session.close();
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(client.destroyed).toBe(true);
    expect(h.screen.at(-1)).toBe(false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.clients).toHaveLength(1);
    expect(h.tokens.asked).toHaveLength(2);
  });

  test('stopped while the token is on its way: that client leaves without joining', async () => {
    const h = start({ tokens: [{ ok: rtcCredentials(1), ms: 200 }] });
    h.session.offer(callView({ rev: 3 }));
    const joining = h.session.startVideo();
    await jest.advanceTimersByTimeAsync(50);
    await h.session.stopVideo();
    expect(h.video.at(-1)).toEqual({ videoState: 'off', pusherUrl: '', players: [] });

    await jest.advanceTimersByTimeAsync(200);
    await joining;
    expect(lastClient(h).callsOf('join')).toHaveLength(0);
    expect(lastClient(h).destroyed).toBe(true);
  });

  test('the server wants the recording consent first: the page is told, nothing is retried', async () => {
    const h = start({ tokens: [{ error: new ApiRequestError('RECORDING_CONSENT_REQUIRED', 409, '请先同意录音录像') }] });
    h.session.offer(callView({ rev: 3 }));
    await settle(h.session.startVideo());
    await jest.advanceTimersByTimeAsync(60_000);

    expect(h.consentAsked).toBe(1);
    expect(lastState(h)).toBe('idle');
    expect(h.clients).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('no RTC client to be had: failed with what to do instead, no retry', async () => {
    const h = start();
    const session = new CallSession(
      { api: { call: () => new Promise(() => undefined), rtcToken: () => h.tokens.fn() }, createRtc: () => { throw new Error('no sdk'); } },
      { view: () => undefined, syncNote: () => undefined, video: (p) => h.video.push(p), consentRequired: () => undefined },
    );
    await session.startVideo();
    expect(lastState(h)).toBe('failed');
    expect(h.video.at(-1)?.videoMessage).toBe(VIDEO_MESSAGES.unavailable);
    expect(h.tokens.asked).toHaveLength(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
