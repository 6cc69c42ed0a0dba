/**
 * `npm run load [-- --rate 200 --duration 60 --instances 2 --consoles 4 --dispatchers 2 --places 12 --data-dir DIR --keep --cpu-prof-dir DIR]`:
 * the mixed workload (scripts/load/workload.ts) with autocannon through HAProxy against a local
 * production-shaped cluster (scripts/lib/cluster.ts: the engine or MONGODB_URI, Redis, N instances),
 * while a few consoles hold their live queue streams open. Prints p50 / p99 / count / non-2xx per
 * route; exits 1 on any error (a non-2xx answer, a connection error or time-out, a stream that ended)
 * or when the asked rate was not sustained (under 90 %).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { QUALIFYING_ANSWERS } from '../lib/case-samples';
import { startCluster, type Cluster } from '../lib/cluster';
import { connectTo, openAllDay, signedInStaff, verifiedDrivers, type ClusterDriver } from '../lib/cluster-people';
import { openSse, type SseStream } from '../lib/sse-reader';
import { DISTRICTS } from '../../server/src/brigades/districts';
import bbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { DEFAULT_BRIGADES } from '../../server/src/brigades/default-brigades';
import { RouteBook } from './route-stats';
import { JSON_HEADERS, flows, mixText, routeOf, type Place, type Pools } from './workload';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    instances: { type: 'string', default: '2' },
    consoles: { type: 'string', default: '4' },
    dispatchers: { type: 'string', default: '2' },
    places: { type: 'string', default: '12' },
    'data-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** Write each instance's CPU profile (node --cpu-prof) into this folder on the graceful stop. */
    'cpu-prof-dir': { type: 'string' },
  },
});
const RATE = positive('rate');
const DURATION_S = positive('duration');
const INSTANCES = positive('instances');
const CONSOLES = positive('consoles');
/** Per brigade. */
const DISPATCHERS = positive('dispatchers');
/** Eligible report places per district. */
const PLACES = positive('places');

/**
 * Limits that a person cannot reach but this synthetic load does, raised through their own settings
 * (nothing else is changed): a dispatcher here acts on several cases a second.
 */
const RAISED_LIMITS: Record<string, { value: string; default: string; why: string }> = {
  CASE_EDIT_MAX_PER_MINUTE: { value: '100000', default: '60', why: 'each of the dispatchers asks for a photo on several cases a second' },
};


async function main(): Promise<number> {
  const dataDir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'qh-load-'));
  // The engine's PostgreSQL runs as its own user, which must be able to reach its folder inside.
  if (!args['data-dir']) chmodSync(dataDir, 0o755);
  const t0 = Date.now();
  say(`cluster: ${INSTANCES} instances behind HAProxy, Redis, ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'the embedded engine'} (data in ${dataDir})…`);
  say(`rate limits raised for this synthetic load, through their settings only: ${Object.entries(RAISED_LIMITS).map(([k, v]) => `${k}=${v.value} (default ${v.default}: ${v.why})`).join('; ')}`);
  const cluster = await startCluster({
    instances: INSTANCES,
    dataDir,
    env: Object.fromEntries(Object.entries(RAISED_LIMITS).map(([k, v]) => [k, v.value])),
    nodeArgs: args['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof-dir']}`] : [],
  });
  let streams: SseStream[] = [];
  try {
    say(`cluster up in ${secs(Date.now() - t0)} at ${cluster.url} (instances ${cluster.instances.map((s) => `${s.url} [${s.servedBy()}]`).join(', ')})`);
    await connectTo(cluster);
    await openAllDay('npm run load');
    const shares = flows(emptyPools(), QUALIFYING_ANSWERS);
    const reportShare = shares.find((f) => f.name === 'reports')!.share;
    // Two drivers per report round (three requests); redirected cases give theirs back, so the pool
    // needs to cover the cases in flight: half a minute of rounds is ample (a shortfall reads instead, counted).
    const driversNeeded = Math.ceil(((RATE * reportShare) / 3) * Math.min(DURATION_S, 30) * 2) + 40;
    const t1 = Date.now();
    say(`people: ${DISPATCHERS} dispatchers in each of the ${DEFAULT_BRIGADES.length} brigades, ${driversNeeded} verified drivers (signed in through the balancer)…`);
    // One after another: each sign-in is a bcrypt check (deliberately slow), a dozen at once time out.
    const dispatchers: Pools['dispatchers'] = [];
    for (const b of DEFAULT_BRIGADES) {
      for (let i = 1; i <= DISPATCHERS; i++) dispatchers.push({ ...(await signedInStaff(cluster, { username: `load-${b.code}-${i}`, brigadeCode: b.code })), brigadeCode: b.code });
    }
    const fresh = await verifiedDrivers(cluster, driversNeeded, 16);
    const places = await eligiblePlaces(cluster, fresh[0]!);
    const pools: Pools = { fresh, withCase: [], toAnswer: new Map(DEFAULT_BRIGADES.map((b) => [b.code as string, []])), parties: new Map(), dispatchers, places, done: { reported: 0, joined: 0, answered: 0, redirected: 0, fallbacks: 0, pollsOfEnded: 0 } };
    // A few cases before the run: the polls have someone to poll from the first second.
    for (let i = 0; i < 21; i++) await reportBeforeRun(cluster, pools, places[i % places.length]!);
    say(`people and ${places.length} places (${PLACES} per district, each checked eligible) ready in ${secs(Date.now() - t1)}`);

    // One console per brigade first (their streams carry different queues).
    const consoles = [...dispatchers.filter((d) => d.username.endsWith('-1')), ...dispatchers.filter((d) => !d.username.endsWith('-1'))].slice(0, CONSOLES);
    streams = await Promise.all(consoles.map((d) => openSse(`${cluster.url}/api/v1/queue/stream`, d.headers)));
    for (const s of streams) if (s.status !== 200) throw new Error(`a console's queue stream answered ${s.status}`);
    say(`${streams.length} consoles hold their queue streams open (${streams.map((s) => s.headers.get('x-served-by')).join(', ')})`);

    const book = new RouteBook();
    const runs = flows(pools, QUALIFYING_ANSWERS);
    const rates = splitRate(RATE, runs.map((f) => f.share));
    say(`mix: ${mixText(RATE)}`);
    say(`load: ${RATE} requests/s for ${DURATION_S} s through ${cluster.url}: ${runs.map((f, i) => `${f.name} ${rates[i]}/s`).join(', ')}…`);
    const t2 = Date.now();
    const results = await Promise.all(
      runs.map((flow, i) => {
        let settle!: (result: autocannon.Result) => void;
        let fail!: (err: Error) => void;
        const finished = new Promise<autocannon.Result>((resolve, reject) => ((settle = resolve), (fail = reject)));
        const instance = autocannon({
          url: cluster.url,
          title: flow.name,
          connections: flow.connections,
          overallRate: rates[i]!,
          duration: DURATION_S,
          timeout: 30,
          headers: JSON_HEADERS,
          requests: flow.requests,
        }, (err, result) => (err ? fail(err) : settle(result)));
        instance.on('response', (client: any, status: number, _bytes: number, ms: number) => {
          const { route, body } = routeOf(client.requestIterator.context);
          book.record(route, status, ms, body);
        });
        return finished;
      }),
    );
    const elapsed = Date.now() - t2;
    // autocannon's errors: connections refused or reset, and time-outs (counted in both).
    const connectionErrors = results.reduce((n, r) => n + r.errors, 0);
    const timeouts = results.reduce((n, r) => n + r.timeouts, 0);
    const sent = results.reduce((n, r) => n + r.requests.total, 0);

    const ended = streams.filter((s) => s.ended()).length;
    const queueEvents = streams.map((s) => s.events.filter((e) => e.event === 'queue').length);
    const streamErrors = streams.reduce((n, s) => n + s.events.filter((e) => e.event === 'error').length, 0);

    console.log(`\n${book.table()}\n`);
    const { count, non2xx } = book.total;
    const achieved = count / (elapsed / 1000);
    // Below the asked rate the latencies describe a saturated cluster, not the asked load: the run failed.
    const shortOfRate = achieved < RATE * 0.9;
    console.log(`achieved ${achieved.toFixed(1)} requests/s over ${secs(elapsed)} (asked ${RATE}/s${shortOfRate ? ': NOT SUSTAINED, the cluster (or this machine) is saturated' : ''}); autocannon counted ${sent} answered requests`);
    console.log(`cases: ${pools.done.reported} reported, ${pools.done.joined} joined, ${pools.done.answered} answered, ${pools.done.redirected} redirected; ${pools.done.fallbacks} rounds found nothing to do and read instead (stand-in); ${pools.done.pollsOfEnded} polls found no open case and read a just-ended one`);
    console.log(`queue streams: ${streams.length} held open for the run, ${ended} ended early, ${queueEvents.join(' / ')} queue updates received, ${streamErrors} refresh errors`);
    console.log(`mix: ${mixText(RATE)}`);
    console.log(`rate limits raised (env only): ${Object.entries(RAISED_LIMITS).map(([k, v]) => `${k}=${v.value}`).join(', ')}`);
    const errors = non2xx + connectionErrors + ended + streamErrors;
    console.log(`errors: ${errors} (non-2xx ${non2xx}, connection errors ${connectionErrors} of which time-outs ${timeouts}, streams ended ${ended}, stream refresh errors ${streamErrors})`);
    for (const line of book.failures()) console.log(`  ${line}`);
    return errors === 0 && !shortOfRate ? 0 : 1;
  } finally {
    for (const s of streams) s.close();
    await mongoose.disconnect().catch(() => undefined);
    await cluster.stop();
    if (!args.keep && !args['data-dir']) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One report and join before the run, through the balancer like the rest. */
async function reportBeforeRun(cluster: Cluster, pools: Pools, at: Place): Promise<void> {
  const [a, b] = [pools.fresh.shift()!, pools.fresh.shift()!];
  const post = async (driver: ClusterDriver, path: string, body: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(cluster.url + path, { method: 'POST', headers: { ...driver.auth, ...JSON_HEADERS, ...extra }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, any>;
    if (res.status >= 300) throw new Error(`before the run: POST ${path} answered ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const safety = await post(a, '/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
  const reported = await post(a, '/api/v1/cases', { safetyCheckId: safety.safetyCheckId, location: { lat: at.lat, lng: at.lng, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS, plate: '粤J12345' }, { 'idempotency-key': `load-${randomUUID()}` });
  await post(b, '/api/v1/cases/join', { code: reported.joinCode, plate: '粤J20002', factsConfirmed: true });
  pools.withCase.push({ driver: a, caseId: reported.caseId }, { driver: b, caseId: reported.caseId });
  pools.parties.set(reported.caseId, [a, b]);
  pools.toAnswer.get(at.brigadeCode)!.push(reported.caseId);
}

/**
 * Report places spread over every district (accidents are, and a queue of cases all at one spot
 * would make every case "nearby" every other): random points inside each district's outline that
 * the eligibility check accepts (no excluded road) and routes to a brigade.
 */
async function eligiblePlaces(cluster: Cluster, asker: ClusterDriver): Promise<Place[]> {
  const places: Place[] = [];
  for (const brigade of DEFAULT_BRIGADES) {
    const district = DISTRICTS.find((d) => d.adcode === brigade.districtAdcodes[0])!;
    const [west, south, east, north] = bbox(district.area);
    let found = 0;
    for (let attempt = 0; found < PLACES && attempt < PLACES * 20; attempt++) {
      const lng = west + Math.random() * (east - west);
      const lat = south + Math.random() * (north - south);
      if (!booleanPointInPolygon([lng, lat], district.area)) continue;
      const res = await fetch(`${cluster.url}/api/v1/eligibility/check`, {
        method: 'POST',
        headers: { ...asker.auth, ...JSON_HEADERS },
        body: JSON.stringify({ location: { lat, lng, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS }),
      });
      const verdict = (await res.json()) as { eligible?: boolean; place?: { brigade: { code: string } | null } };
      if (res.status !== 200 || !verdict.eligible || !verdict.place?.brigade) continue;
      places.push({ lat, lng, brigadeCode: verdict.place.brigade.code });
      found++;
    }
    if (found === 0) throw new Error(`no eligible place found in ${district.name}`);
  }
  // Interleaved, so consecutive reports go to different brigades.
  return places.map((p, i) => ({ p, k: (i % PLACES) * 100 + Math.floor(i / PLACES) })).sort((a, b) => a.k - b.k).map(({ p }) => p);
}

function emptyPools(): Pools {
  return { fresh: [], withCase: [], toAnswer: new Map(), parties: new Map(), dispatchers: [], places: [], done: { reported: 0, joined: 0, answered: 0, redirected: 0, fallbacks: 0, pollsOfEnded: 0 } };
}

/** Whole requests per second per flow, summing to the rate. */
function splitRate(rate: number, shares: number[]): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  const rates = shares.map((s) => Math.max(1, Math.floor((rate * s) / total)));
  rates[0]! += rate - rates.reduce((a, b) => a + b, 0);
  return rates;
}

function positive(name: 'rate' | 'duration' | 'instances' | 'consoles' | 'dispatchers' | 'places'): number {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < (name === 'consoles' ? 0 : 1)) {
    console.error(`--${name} must be a whole number ≥ 1 (got "${args[name]}")`);
    process.exit(2);
  }
  return n;
}

function say(text: string) {
  console.log(`▸ ${text}`);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`load run failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
