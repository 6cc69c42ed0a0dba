import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase } from '../../src/platform/database';
import { JobLease } from '../../src/platform/lease/job-lease.model';
import { JobRun } from '../../src/platform/lease/job-run.model';
import { freePort, killHard, startServerProcess, type ServerProcess } from '../chaos/server-process';
import { waitUntil } from '../wait';

/**
 * Two real server processes (main.ts) on one database with the sweeps every 500 ms: every tick of a
 * job is run by exactly one of them — counted from what each process logged it ran, not from the
 * claims — and when the holder is killed with SIGKILL the other takes the job over once its lease
 * (2 × 500 ms) has expired, not before.
 */
const EVERY_MS = 500;

interface Ran {
  job: string;
  slot: string;
  holder: string;
}

/** The "job ran" lines a process wrote (debug level). */
function runsOf(server: ServerProcess, job: string): Ran[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"job ran"'))
    .map((line) => JSON.parse(line) as Ran)
    .filter((r) => r.job === job);
}

describe('periodic jobs across two server processes', () => {
  const dbName = `jobs_${randomBytes(3).toString('hex')}`;
  let servers: ServerProcess[] = [];

  beforeAll(() => connectDatabase(process.env.TEST_MONGODB_URI!, dbName));
  afterAll(async () => {
    await Promise.all(servers.map((s) => killHard(s)));
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await disconnectDatabase();
  });

  it('runs each tick once between them, and the survivor takes over after the killed holder’s lease expires', async () => {
    const env = async () => ({ NODE_ENV: 'test', LOG_LEVEL: 'debug', PORT: String(await freePort()), MONGODB_URI: process.env.TEST_MONGODB_URI!, MONGODB_DB: dbName, JOB_SWEEP_INTERVAL_MS: String(EVERY_MS) });
    // Started together, so their first ticks race for a job nobody holds yet.
    servers = await Promise.all([startServerProcess(await env()), startServerProcess(await env())]);
    await waitUntil(() => runsOf(servers[0]!, 'call-sweep').length + runsOf(servers[1]!, 'call-sweep').length >= 8, 20_000);

    for (const job of ['call-sweep', 'decision-sweep']) {
      const runs = [...runsOf(servers[0]!, job), ...runsOf(servers[1]!, job)];
      const slots = runs.map((r) => Date.parse(r.slot)).sort((a, b) => a - b);
      expect(new Set(slots).size).toBe(slots.length); // no tick twice
      // …and hardly any skipped while both lived (only an event loop late past the next tick skips one).
      for (let i = 1; i < slots.length; i++) expect((slots[i]! - slots[i - 1]!) % EVERY_MS).toBe(0);
      expect(slots.length).toBeGreaterThanOrEqual(0.75 * ((slots.at(-1)! - slots[0]!) / EVERY_MS + 1));
      // The run log ops read says the same: who ran which tick (up to two ticks back: a run, or a line in a
      // pipe, may still be on its way).
      const cutoff = slots.at(-1)! - 2 * EVERY_MS;
      const logged = await JobRun.find({ job, slot: { $lte: new Date(cutoff) } }).lean();
      expect(new Map(logged.map((r) => [r.slot.getTime(), r.holder]))).toEqual(new Map(runs.filter((r) => Date.parse(r.slot) <= cutoff).map((r) => [Date.parse(r.slot), r.holder])));
    }

    // Kill the holder of the call sweep with SIGKILL: it cannot release its lease.
    const lease = (await JobLease.findById('call-sweep').lean())!;
    const holderIndex = servers.findIndex((s) => runsOf(s, 'call-sweep').some((r) => r.holder === lease.holder));
    const [dead, survivor] = holderIndex === 0 ? [servers[0]!, servers[1]!] : [servers[1]!, servers[0]!];
    await killHard(dead);
    const expiresAt = (await JobLease.findById('call-sweep').lean())!.expiresAt.getTime();
    const survivorRunsBefore = runsOf(survivor, 'call-sweep').length;

    await waitUntil(() => runsOf(survivor, 'call-sweep').length >= survivorRunsBefore + 3, 15_000);
    const survivorHolder = (await JobLease.findById('call-sweep').lean())!.holder;
    expect(survivorHolder).not.toBe(lease.holder);
    const takeover = await JobRun.find({ job: 'call-sweep', holder: survivorHolder }).sort({ slot: 1 }).lean();
    const firstAfterKill = takeover.find((r) => r.startedAt.getTime() >= expiresAt - 2 * EVERY_MS);
    // Not before the lease expired (the dead holder's ticks in between were left to it), and promptly after.
    expect(firstAfterKill!.startedAt.getTime()).toBeGreaterThanOrEqual(expiresAt);
    expect(firstAfterKill!.startedAt.getTime()).toBeLessThan(expiresAt + 2 * EVERY_MS);
    expect(survivor.output()).toContain(`"from":"${lease.holder}","msg":"job lease taken over"`);
    // Still one run per tick, over the whole run.
    const all = await JobRun.find({ job: 'call-sweep' }, { slot: 1 }).lean();
    expect(new Set(all.map((r) => r.slot.getTime())).size).toBe(all.length);
  }, 60_000);
});
