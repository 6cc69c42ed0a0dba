import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { REPO_ROOT, startEmbeddedEngine, type EmbeddedEngine } from '../../../scripts/lib/embedded-engine';
import { Case } from '../../src/cases/case.model';
import { OpenCase } from '../../src/cases/open-case.model';
import { connectDatabase, disconnectDatabase } from '../../src/platform/database';
import { caseDoc } from '../cases/fixtures';

/**
 * The embedded engine on PostgreSQL: FerretDB's pushed-down equality filters (`_jsonb->$1 @> $2`)
 * really use an index — the GIN mirror of each index the schemas declare, planned with the real key
 * (force_custom_plan) — and the private cluster keeps its data across restarts and never outlives
 * whoever started it.
 */
const DB = 'mirror_test';
const STORED = 3000;

describe('FerretDB on a private PostgreSQL cluster', () => {
  const dataDir = join(REPO_ROOT, '.data', `pg-engine-${randomBytes(3).toString('hex')}`);
  let engine: EmbeddedEngine;
  const psql = (sql: string) => {
    const run = spawnSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', engine.pgSocketDir!, '-U', 'postgres', '-d', 'ferretdb', '-c', sql], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
    return run.stdout.trim();
  };
  const tableOf = (collection: string) => psql(`SELECT _jsonb->>'table' FROM ${DB}._ferretdb_database_metadata WHERE _jsonb->>'_id' = '${collection}'`);
  const ginIndexOf = (table: string, field: string) =>
    psql(`SELECT indexname FROM pg_indexes WHERE schemaname = '${DB}' AND tablename = '${table}' AND indexdef LIKE '%USING gin%' AND indexdef LIKE '%(_jsonb -> ''${field}''::text)%'`);
  const indexScans = (index: string) => Number(psql(`SELECT idx_scan FROM pg_stat_user_indexes WHERE schemaname = '${DB}' AND indexrelname = '${index}'`));
  /** The plan PostgreSQL makes for FerretDB's own statement shape, with the database's plan_cache_mode unless overridden. */
  const plan = (table: string, field: string, value: string, mode?: string) =>
    psql(`${mode ? `SET plan_cache_mode = ${mode}; ` : ''}PREPARE q(text, jsonb) AS SELECT _jsonb FROM ${DB}."${table}" WHERE _jsonb->$1 @> $2; EXPLAIN EXECUTE q('${field}', '${JSON.stringify(value)}')`);

  let someId: Types.ObjectId;
  beforeAll(async () => {
    engine = await startEmbeddedEngine({ dataDir, backend: 'postgresql', fast: true });
    await connectDatabase(engine.uri, DB);
    // Enough finished cases that a scan and an index lookup plan differently.
    const docs = Array.from({ length: STORED }, (_, i) => caseDoc({ state: 'closed', brigadeCode: `JM-${i % 30}` }));
    await Case.insertMany(docs);
    someId = (docs[1234] as { _id?: Types.ObjectId })._id ?? (await Case.findOne({}, { _id: 1 }).skip(1234).lean())!._id;
    await OpenCase.insertMany(docs.map((d, i) => ({ _id: new Types.ObjectId(), rev: 1, state: 'queued', brigadeCode: `JM-${i % 30}`, reportedAt: new Date(), joinCode: d.joinCode, joinCodeExpiresAt: d.joinCodeExpiresAt })));
    psql('ANALYZE');
  }, 120_000);
  afterAll(async () => {
    await disconnectDatabase();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('mirrors every index the schemas declare as a GIN jsonb_path_ops index', () => {
    const cases = tableOf('cases');
    for (const field of ['_id', 'brigadeCode', 'state', 'joinCode', 'reportedAt']) expect(ginIndexOf(cases, field)).not.toBe('');
    const open = tableOf('open_cases');
    for (const field of ['_id', 'brigadeCode', 'driverIds', 'joinCode']) expect(ginIndexOf(open, field)).not.toBe('');
    expect(psql(`SELECT indexdef FROM pg_indexes WHERE indexname = '${ginIndexOf(cases, '_id')}'`)).toContain('jsonb_path_ops');
  });

  it("plans FerretDB's _id and queue filters as index scans (and would not with generic plans)", () => {
    const cases = tableOf('cases');
    const byId = plan(cases, '_id', String(someId));
    expect(byId).toMatch(new RegExp(`Bitmap Index Scan on ${ginIndexOf(cases, '_id')}`));
    const queue = plan(tableOf('open_cases'), 'brigadeCode', 'JM-7');
    expect(queue).toMatch(new RegExp(`Bitmap Index Scan on ${ginIndexOf(tableOf('open_cases'), 'brigadeCode')}`));
    // What the database setting buys: a generic plan cannot see the key, so it scans.
    expect(plan(cases, '_id', String(someId), 'force_generic_plan')).toMatch(/Seq Scan/);
  });

  it("FerretDB's own queries use the indexes: their scan counters move", async () => {
    const cases = tableOf('cases');
    const idIndex = ginIndexOf(cases, '_id');
    const queueIndex = ginIndexOf(tableOf('open_cases'), 'brigadeCode');
    const [idBefore, queueBefore] = [indexScans(idIndex), indexScans(queueIndex)];
    for (let i = 0; i < 5; i++) {
      expect((await Case.findById(someId).lean())?._id.equals(someId)).toBe(true);
      expect(await OpenCase.find({ brigadeCode: 'JM-7' }).lean()).toHaveLength(STORED / 30);
    }
    // An idle backend publishes its counters about every 10 s (PostgreSQL 15): wait for them.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (indexScans(idIndex) < idBefore + 5 || indexScans(queueIndex) < queueBefore + 5)) await new Promise((r) => setTimeout(r, 200));
    expect(indexScans(idIndex)).toBeGreaterThanOrEqual(idBefore + 5);
    expect(indexScans(queueIndex)).toBeGreaterThanOrEqual(queueBefore + 5);
  }, 60_000);

  it('keeps the data across a restart, with the mirror still in place', async () => {
    await disconnectDatabase();
    await engine.stop();
    engine = await startEmbeddedEngine({ dataDir, backend: 'postgresql', fast: true });
    await connectDatabase(engine.uri, DB);
    expect(await Case.countDocuments({ brigadeCode: 'JM-3' })).toBe(STORED / 30);
    expect(ginIndexOf(tableOf('cases'), '_id')).not.toBe('');
  }, 60_000);

  it('leaves no cluster behind when whatever started it is killed', async () => {
    const holderDir = join(REPO_ROOT, '.data', `pg-holder-${randomBytes(3).toString('hex')}`);
    const holder = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'engine-holder.ts'), holderDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const wrapper = await new Promise<number>((resolve, reject) => {
        holder.stdout!.on('data', (c: Buffer) => {
          const m = /ready (\d+)/.exec(c.toString());
          if (m) resolve(Number(m[1]));
        });
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      const postmasters = () => clusterProcesses(join(holderDir, 'pg', 'cluster'));
      expect(postmasters().length).toBeGreaterThan(0);
      holder.kill('SIGKILL'); // a test run killed outright: no teardown runs
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (postmasters().length > 0 || alive(wrapper))) await new Promise((r) => setTimeout(r, 200));
      expect({ cluster: postmasters(), engine: alive(wrapper) }).toEqual({ cluster: [], engine: false });
    } finally {
      holder.kill('SIGKILL');
      rmSync(holderDir, { recursive: true, force: true });
    }
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** postgres processes whose command line names this cluster folder. */
function clusterProcesses(clusterDir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(clusterDir) && alive(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}
