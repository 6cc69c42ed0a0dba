/**
 * After a chaos run, straight from the database: every acknowledged request is there exactly once
 * (reports, joins, answers, evidence items, redirects), no idempotency key made two cases, every case's
 * evidence chain verifies (the server's own check, GET …/evidence/verify), every upload — above all the
 * interrupted ones — was fixed as the bytes the client sent, and no case is stuck (a claimed event
 * never applied, or an open_cases row out of step with its case).
 */
import { caseIdFor } from '../../server/src/cases/case-report.service';
import { CaseEvent, caseEventId } from '../../server/src/cases/case-event.model';
import { Case, isActive, isOpen } from '../../server/src/cases/case.model';
import { OpenCase } from '../../server/src/cases/open-case.model';
import { Evidence } from '../../server/src/evidence/evidence.model';
import type { ClusterStaff } from '../lib/cluster-people';
import { send, untilAnswered } from './http';
import { KINDS, Ledger, type Kind } from './ledger';

export type Checked = Exclude<Kind, 'safety'>;
const CHECKED: readonly Checked[] = KINDS.filter((k): k is Checked => k !== 'safety');

export interface Verdict {
  lost: Record<Checked, number>;
  duplicated: Record<Checked, number>;
  /** Two cases from one (driver, idempotency key), or a driver in two active cases at once. */
  keysWithTwoCases: number;
  driversInTwoActiveCases: number;
  chainsChecked: number;
  chainsBroken: number;
  uploadsInterrupted: number;
  /** Uploads whose fixed item has another hash than the bytes sent (interrupted or not). */
  uploadsWrongHash: number;
  stuck: number;
  /**
   * Events claimed but not yet applied when the clients stopped — a background change (the recording
   * stopping after a redirect) whose writer lost the engine half-way — that the next read of the case
   * finished, as designed (case-revisions.ts loadCase). Not stuck; shown for what it is.
   */
  finishedByARead: number;
  /** Human-readable reasons, a few. */
  details: string[];
}

const zero = () => Object.fromEntries(CHECKED.map((k) => [k, 0])) as Record<Checked, number>;

export async function verifyRun(ledger: Ledger, base: string, verifier: ClusterStaff): Promise<Verdict> {
  const v: Verdict = { lost: zero(), duplicated: zero(), keysWithTwoCases: 0, driversInTwoActiveCases: 0, chainsChecked: 0, chainsBroken: 0, uploadsInterrupted: 0, uploadsWrongHash: 0, stuck: 0, finishedByARead: 0, details: [] };
  const note = (text: string) => v.details.length < 30 && v.details.push(text);
  const drivers = [...ledger.drivers];
  // The check's own requests are not the clients': counted apart (a 500 among them still shows in the instances' logs).
  const own = new Ledger();
  v.finishedByARead = await settle(own, base, verifier, drivers);
  const cases = await Case.find({ $or: [{ initiatorId: { $in: drivers } }, { 'parties.driverId': { $in: drivers } }] }).lean();
  const byId = new Map(cases.map((c) => [String(c._id), c]));
  const events = await CaseEvent.find({ caseId: { $in: cases.map((c) => c._id) } }, { caseId: 1, event: 1, rev: 1 }).lean();
  const eventCount = (caseId: string, event: string) => events.filter((e) => String(e.caseId) === caseId && e.event === event).length;
  const once = (kind: Checked, n: number, what: string) => {
    if (n === 0) (v.lost[kind]++, note(`lost ${kind}: ${what}`));
    if (n > 1) (v.duplicated[kind]++, note(`duplicated ${kind} (${n}×): ${what}`));
  };

  for (const ack of ledger.reports) {
    const expected = String(caseIdFor(ack.driverId, ack.key));
    once('report', expected === ack.caseId && byId.has(expected) ? 1 : 0, `key ${ack.key} → ${ack.caseId}`);
  }
  const perKey = new Map<string, number>();
  const activePerDriver = new Map<string, number>();
  for (const c of cases) {
    if (c.idempotencyKey) perKey.set(`${c.initiatorId}:${c.idempotencyKey}`, (perKey.get(`${c.initiatorId}:${c.idempotencyKey}`) ?? 0) + 1);
    if (isActive(c.state)) for (const p of c.parties) activePerDriver.set(String(p.driverId), (activePerDriver.get(String(p.driverId)) ?? 0) + 1);
  }
  v.keysWithTwoCases = [...perKey.values()].filter((n) => n > 1).length;
  v.driversInTwoActiveCases = [...activePerDriver.values()].filter((n) => n > 1).length;
  v.duplicated.report += v.keysWithTwoCases;

  for (const ack of ledger.joins) {
    const c = byId.get(ack.caseId);
    const seats = c ? c.parties.filter((p) => String(p.driverId) === ack.driverId).length : 0;
    once('join', seats, `driver ${ack.driverId} in case ${ack.caseId}`);
    if (seats === 1 && eventCount(ack.caseId, 'join') > 1) once('join', 2, `case ${ack.caseId} has ${eventCount(ack.caseId, 'join')} join events`);
  }
  for (const ack of ledger.answers) once('answer', eventCount(ack.caseId, 'answer'), `case ${ack.caseId}`);
  for (const ack of ledger.redirects) {
    const c = byId.get(ack.caseId);
    once('redirect', c?.state === 'redirected' ? eventCount(ack.caseId, 'redirect') : 0, `case ${ack.caseId} (${c?.state})`);
  }

  const items = await Evidence.find({ sourceId: { $in: ledger.uploads.map((u) => u.uploadId) } }, { sourceId: 1, sha256: 1, caseId: 1 }).lean();
  for (const ack of ledger.uploads) {
    const fixed = items.filter((i) => i.sourceId === ack.uploadId);
    const listed = (byId.get(ack.caseId)?.evidence ?? []).filter((e) => e.id === ack.evidenceId).length;
    once('upload', Math.min(fixed.length, listed) === 0 ? 0 : Math.max(fixed.length, listed), `upload ${ack.uploadId} (items ${fixed.length}, listed on the case ${listed})`);
    if (ack.interrupted) v.uploadsInterrupted++;
    if (fixed.some((i) => i.sha256 !== ack.sha256 || i._id !== ack.evidenceId)) (v.uploadsWrongHash++, note(`upload ${ack.uploadId}: fixed ${fixed.map((i) => i.sha256).join(',')}, sent ${ack.sha256}`));
  }
  for (const caseId of new Set(ledger.uploads.map((u) => u.caseId))) {
    v.chainsChecked++;
    const { answer } = await untilAnswered(own, 'upload', () => send(base, 'GET', `/api/v1/desk/cases/${caseId}/evidence/verify`, { headers: verifier.headers }), Date.now() + 30_000);
    if (answer?.status !== 200 || answer.body.ok !== true) (v.chainsBroken++, note(`chain of ${caseId}: ${answer?.status} ${JSON.stringify(answer?.body).slice(0, 300)}`));
  }

  const rows = await OpenCase.find({}, { _id: 1, rev: 1 }).lean();
  const rowOf = new Map(rows.map((r) => [String(r._id), r]));
  for (const c of cases) {
    if (events.some((e) => String(e.caseId) === String(c._id) && e.rev === c.rev + 1) || (await CaseEvent.exists({ _id: caseEventId(c._id, c.rev + 1) }))) (v.stuck++, note(`case ${c._id}: event ${c.rev + 1} claimed, not applied`));
    const row = rowOf.get(String(c._id));
    if (isOpen(c.state) ? !row || row.rev !== c.rev : row) (v.stuck++, note(`case ${c._id} (${c.state}, rev ${c.rev}): open_cases row ${row ? `rev ${row.rev}` : 'missing'}`));
  }
  // A row whose case is none of the run's (the run has the database to itself): left behind.
  for (const row of rows) if (!byId.has(String(row._id))) (v.stuck++, note(`open_cases row ${row._id} without its case`));
  return v;
}

/**
 * Lets background changes of the last rounds land (a recording stopped and fixed after the redirect)
 * and has every case with an event still pending read once through the API, as the next console or
 * phone would — that read finishes the event. Bounded: 20 s.
 */
async function settle(ledger: Ledger, base: string, verifier: ClusterStaff, drivers: string[]): Promise<number> {
  const finished = new Set<string>();
  const deadline = Date.now() + 20_000;
  await new Promise((r) => setTimeout(r, 1000));
  while (Date.now() < deadline) {
    const cases = await Case.find({ initiatorId: { $in: drivers } }, { _id: 1, rev: 1 }).lean();
    const pending: string[] = [];
    for (const c of cases) if (await CaseEvent.exists({ _id: caseEventId(c._id, c.rev + 1) })) pending.push(String(c._id));
    if (pending.length === 0) break;
    for (const id of pending) {
      finished.add(id);
      await untilAnswered(ledger, 'answer', () => send(base, 'GET', `/api/v1/desk/cases/${id}`, { headers: verifier.headers }), Date.now() + 10_000);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return finished.size;
}

export function verdictFailed(v: Verdict): boolean {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return sum(v.lost) + sum(v.duplicated) + v.keysWithTwoCases + v.driversInTwoActiveCases + v.chainsBroken + v.uploadsWrongHash + v.stuck > 0;
}
