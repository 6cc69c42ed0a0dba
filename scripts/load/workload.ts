/**
 * The mixed workload of `npm run load` as autocannon request sequences, one autocannon instance per
 * flow, each at its share of the overall rate:
 *
 * - polls:   a driver with an open case asks for their current case, then for that case by id (the phone's
 *            waiting screen);
 * - reports: a fresh verified driver confirms the safety checklist and reports (an Idempotency-Key
 *            each) at one of the places across the city's seven districts, a second fresh driver
 *            joins with the case code;
 * - desk:    a dispatcher answers a joined case of their brigade, reads it, asks party A for a plate photo and
 *            redirects it (不适用快处: the case ends, both drivers go back to the pool, free to report again);
 * - queue:   a console reads its brigade's queue.
 *
 * The shares follow the real clients per case (MIX below), so reads dominate as they do in service.
 *
 * Every body that must be new is made in setupRequest (fresh drivers, keys, the codes and case ids the
 * previous answers gave). Nothing races by design: each case is answered by one dispatcher (a shared
 * FIFO hands it out once), each driver reports or joins once. When the pre-made drivers or the joined
 * cases run out, a flow reads instead (a poll or a queue read), labelled as such.
 */
import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import type { ClusterDriver, ClusterStaff } from '../lib/cluster-people';

export interface Pools {
  /** Verified drivers that have not reported or joined yet (taken from the front). */
  fresh: ClusterDriver[];
  /** Drivers with a case, for the polls. */
  withCase: { driver: ClusterDriver; caseId: string }[];
  /** Joined cases nobody answered yet, per brigade, in order. */
  toAnswer: Map<string, string[]>;
  /** The two drivers of each joined case: free to report again once the desk has redirected it. */
  parties: Map<string, ClusterDriver[]>;
  /** Dispatchers with their brigade. */
  dispatchers: (ClusterStaff & { brigadeCode: string })[];
  /** Places checked eligible before the run, with the brigade they route to. */
  places: Place[];
  /** Counts of what the flows achieved. */
  done: { reported: number; joined: number; answered: number; redirected: number; fallbacks: number; pollsOfEnded: number };
}

export interface Place {
  lat: number;
  lng: number;
  brigadeCode: string;
}

export interface Flow {
  name: string;
  /** Its share of the overall rate. */
  share: number;
  connections: number;
  requests: autocannon.Request[];
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * What one reported case costs in requests, from the real clients' behaviour:
 * - the waiting page (miniprogram/pages/report-waiting) re-reads GET /cases/:id every
 *   `refreshAfterSeconds` = 5 s while queued (server/src/cases/case-view.ts), each of the two parties;
 *   a busy peak queue is taken as a 2-minute wait: 2 × 120 / 5 = 48 reads, plus the home page's
 *   GET /cases/current when each phone opens the app (2): 50 poll requests = 25 poll rounds;
 *   (on the call the page long-polls …/call?since=rev, held up to 25 s: a held request, not a rate);
 * - consoles hold their live queue streams (server/console/src/composables/useQueue.ts) and re-read
 *   GET /queue on open, on a tab switch and every 5 s while a stream is down: taken as 10 reads per case;
 * - writes: safety check, report, join (3); the desk's answer, a photo request and the redirect,
 *   with a read of the case (4).
 */
export const MIX = { pollRounds: 25, pollRequests: 50, queueReads: 10, reportRequests: 3, deskRequests: 4 } as const;
export const MIX_PER_CASE = MIX.pollRequests + MIX.queueReads + MIX.reportRequests + MIX.deskRequests;

/** The mix in words, for the run's summary: per case, and the share of writes. */
export function mixText(rate: number): string {
  const cases = rate / MIX_PER_CASE;
  const writes = MIX.reportRequests + MIX.deskRequests - 1;
  return `per reported case ${MIX.pollRequests} driver polls (2 parties × 5 s refresh × 2 min queued + app opens), ${MIX.queueReads} console queue reads (streams held besides), ` +
    `${MIX.reportRequests} report requests (safety check, report, join), ${MIX.deskRequests} desk requests (answer, case read, photo request, redirect): ` +
    `${MIX_PER_CASE} requests, ${writes} writes (${((100 * writes) / MIX_PER_CASE).toFixed(0)} %); at ${rate}/s that is ${cases.toFixed(1)} cases/s = ${Math.round(cases * 60)} cases/min ` +
    `(Jiangmen's peak is a few cases a minute: ≈ ${Math.round((cases * 60) / 5)}× headroom over 5/min)`;
}
const WRITE = { 'x-console-request': '1' };

interface Ctx {
  __route?: string;
  __body?: string;
  driver?: ClusterDriver;
  joiner?: ClusterDriver;
  caseId?: string;
  joinCode?: string;
  safetyCheckId?: string;
  place?: Place;
  desk?: ClusterStaff & { brigadeCode: string };
  /** This round's first step found nothing to do: the rest of it reads instead. */
  idle?: boolean;
  /** The route the request being answered really was, when a read stood in for a step. */
  standIn?: string;
}

/** The route label and body of the answer, for the per-route book (read in the instance's 'response' event). */
function step(route: string, setup: (req: autocannon.Request, ctx: Ctx) => autocannon.Request, after?: (status: number, body: string, ctx: Ctx) => void): autocannon.Request {
  return {
    setupRequest: (req, context) => setup(req, context as Ctx),
    onResponse: (status, body, context) => {
      const ctx = context as Ctx;
      ctx.__route = ctx.standIn ? `${ctx.standIn} (stand-in)` : route;
      ctx.standIn = undefined;
      ctx.__body = body;
      if (!ctx.idle) after?.(status, body, ctx);
    },
  };
}

/** The label a step answered under (a read standing in for an idle step says so). */
export function routeOf(context: unknown): { route: string; body: string } {
  const ctx = context as Ctx;
  return { route: ctx.__route ?? 'unknown', body: ctx.__body ?? '' };
}

const SAFETY = JSON.stringify({ hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });

export function flows(pools: Pools, answers: unknown): Flow[] {
  let nextDesk = 0;
  let nextPlace = 0;
  /** The last few ended cases' phones (read only when no case is open). */
  const ended: Pools['withCase'] = [];
  const pollOf = (req: autocannon.Request, ctx: Ctx): autocannon.Request => {
    // No open case at this instant (the desk caught up): a phone whose case just ended reads it once more.
    const from = pools.withCase.length > 0 ? pools.withCase : ended;
    const pick = from[Math.floor(Math.random() * from.length)]!;
    if (from === ended) pools.done.pollsOfEnded++;
    if (ctx.idle) ctx.standIn = 'GET /api/v1/cases/current';
    else Object.assign(ctx, { driver: pick.driver, caseId: pick.caseId });
    return { ...req, method: 'GET', path: '/api/v1/cases/current', headers: pick.driver.auth, body: undefined };
  };
  const queueRead = (req: autocannon.Request, ctx: Ctx): autocannon.Request => {
    ctx.desk ??= pools.dispatchers[nextDesk++ % pools.dispatchers.length]!;
    if (ctx.idle) ctx.standIn = 'GET /api/v1/queue';
    return { ...req, method: 'GET', path: '/api/v1/queue', headers: ctx.desk.headers, body: undefined };
  };
  const deskWrite = (req: autocannon.Request, ctx: Ctx, path: string, body: unknown): autocannon.Request =>
    ctx.idle ? queueRead(req, ctx) : { ...req, method: 'POST', path: `/api/v1/desk/cases/${ctx.caseId}${path}`, headers: { ...ctx.desk!.headers, ...WRITE, ...JSON_HEADERS }, body: JSON.stringify(body) };

  return [
    {
      name: 'polls',
      share: MIX.pollRequests / MIX_PER_CASE,
      // Enough connections that the rate holds with answers of a few hundred ms.
      connections: 48,
      requests: [
        step('GET /api/v1/cases/current', pollOf),
        step('GET /api/v1/cases/:id', (req, ctx) => ({ ...req, method: 'GET', path: `/api/v1/cases/${ctx.caseId}`, headers: ctx.driver!.auth, body: undefined })),
      ],
    },
    {
      name: 'reports',
      share: MIX.reportRequests / MIX_PER_CASE,
      connections: 8,
      requests: [
        step(
          'POST /api/v1/safety-checks',
          (req, ctx) => {
            const driver = pools.fresh.shift();
            const joiner = pools.fresh.shift();
            if (!driver || !joiner) {
              pools.done.fallbacks++;
              ctx.idle = true;
              return pollOf(req, ctx);
            }
            Object.assign(ctx, { driver, joiner, place: pools.places[nextPlace++ % pools.places.length]! });
            return { ...req, method: 'POST', path: '/api/v1/safety-checks', headers: { ...driver.auth, ...JSON_HEADERS }, body: SAFETY };
          },
          (status, body, ctx) => {
            if (status === 201) ctx.safetyCheckId = (JSON.parse(body) as { safetyCheckId: string }).safetyCheckId;
          },
        ),
        step(
          'POST /api/v1/cases',
          (req, ctx) =>
            (ctx.idle ||= !ctx.safetyCheckId)
              ? pollOf(req, ctx)
              : {
                  ...req,
                  method: 'POST',
                  path: '/api/v1/cases',
                  headers: { ...ctx.driver!.auth, ...JSON_HEADERS, 'idempotency-key': randomUUID() },
                  body: JSON.stringify({ safetyCheckId: ctx.safetyCheckId, location: { lat: ctx.place!.lat, lng: ctx.place!.lng, coordType: 'gcj02', accuracyM: 10 }, answers, plate: '粤J12345' }),
                },
          (status, body, ctx) => {
            if (status !== 201) return;
            const reported = JSON.parse(body) as { caseId: string; joinCode: string };
            Object.assign(ctx, { caseId: reported.caseId, joinCode: reported.joinCode });
            pools.done.reported++;
            pools.withCase.push({ driver: ctx.driver!, caseId: reported.caseId });
          },
        ),
        step(
          'POST /api/v1/cases/join',
          (req, ctx) =>
            (ctx.idle ||= !ctx.joinCode)
              ? pollOf(req, ctx)
              : { ...req, method: 'POST', path: '/api/v1/cases/join', headers: { ...ctx.joiner!.auth, ...JSON_HEADERS }, body: JSON.stringify({ code: ctx.joinCode, plate: '粤J20002', factsConfirmed: true }) },
          (status, _body, ctx) => {
            if (status !== 200) return;
            pools.done.joined++;
            pools.withCase.push({ driver: ctx.joiner!, caseId: ctx.caseId! });
            pools.parties.set(ctx.caseId!, [ctx.driver!, ctx.joiner!]);
            pools.toAnswer.get(ctx.place!.brigadeCode)?.push(ctx.caseId!);
          },
        ),
      ],
    },
    {
      name: 'desk',
      share: MIX.deskRequests / MIX_PER_CASE,
      connections: 8,
      requests: [
        step(
          'POST /api/v1/desk/cases/:id/answer',
          (req, ctx) => {
            ctx.desk = pools.dispatchers[nextDesk++ % pools.dispatchers.length]!;
            const caseId = pools.toAnswer.get(ctx.desk.brigadeCode)?.shift();
            if (!caseId) {
              pools.done.fallbacks++;
              ctx.idle = true;
              return queueRead(req, ctx);
            }
            ctx.caseId = caseId;
            return deskWrite(req, ctx, '/answer', {});
          },
          (status, _body, ctx) => {
            if (status === 200) pools.done.answered++;
          },
        ),
        step('GET /api/v1/desk/cases/:id', (req, ctx) => (ctx.idle ? queueRead(req, ctx) : { ...req, method: 'GET', path: `/api/v1/desk/cases/${ctx.caseId}`, headers: ctx.desk!.headers, body: undefined })),
        step('POST /api/v1/desk/cases/:id/shot-requests', (req, ctx) => deskWrite(req, ctx, '/shot-requests', { party: 'A', kind: 'plate' })),
        step(
          'POST /api/v1/desk/cases/:id/redirect',
          (req, ctx) => deskWrite(req, ctx, '/redirect', { reason: '压测：改用其他方式处理', alternatives: ['call_122'] }),
          (status, _body, ctx) => {
            if (status !== 200) return;
            pools.done.redirected++;
            // The phones stop polling an ended case (refreshAfterSeconds null): polls go to open cases only.
            const polling = pools.withCase.filter((w) => w.caseId === ctx.caseId);
            pools.withCase = pools.withCase.filter((w) => w.caseId !== ctx.caseId);
            ended.push(...polling);
            if (ended.length > 50) ended.splice(0, ended.length - 50);
            pools.fresh.push(...(pools.parties.get(ctx.caseId!) ?? []));
            pools.parties.delete(ctx.caseId!);
          },
        ),
      ],
    },
    {
      name: 'queue',
      share: MIX.queueReads / MIX_PER_CASE,
      connections: 12,
      requests: [step('GET /api/v1/queue', (req, ctx) => queueRead(req, ctx))],
    },
  ];
}
