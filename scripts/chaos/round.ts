/**
 * One chaos client: a pair of drivers and their dispatcher going round and round the real flow, as the
 * mini-program and the console do it, through the balancer — A's safety check and report (one
 * idempotency key per report, the same on every retry), B joins with the case's code, the dispatcher
 * answers, A uploads a photo in chunks (an interrupted upload asks the server which chunks it holds
 * and sends only the rest, as miniprogram/utils/uploadQueue.ts does), and the dispatcher finishes the
 * case (redirect) so the pair can start again. Every acknowledgement goes into the ledger.
 */
import { createHash, randomUUID } from 'node:crypto';
import { PENGJIANG, QUALIFYING_ANSWERS } from '../lib/case-samples';
import { WRITE_HEADERS, type ClusterDriver, type ClusterStaff } from '../lib/cluster-people';
import { dropMidChunk, send, untilAnswered, type Answer } from './http';
import type { Kind, Ledger } from './ledger';
import { photoOfSize } from './photo';

const PLACE = { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 };

export interface Pair {
  a: ClusterDriver & { plate: string };
  b: ClusterDriver & { plate: string };
  desk: ClusterStaff;
}

export interface RoundOptions {
  base: string;
  ledger: Ledger;
  /** How long one operation may keep retrying (an engine restart takes a few seconds). */
  operationBudgetMs: number;
  /** Photo size and how often an upload is cut mid-chunk on purpose (0–1). */
  photoBytes: number;
  dropChance: number;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

class RoundFailed extends Error {}

/** Runs rounds until `stop()` says so; a round that cannot go on ends the client (noted in the ledger). */
export async function runClient(pair: Pair, options: RoundOptions, stop: () => boolean): Promise<number> {
  let rounds = 0;
  while (!stop()) {
    try {
      await round(pair, options);
      rounds++;
    } catch (err) {
      if (!(err instanceof RoundFailed)) options.ledger.problem(`client ${pair.a.id}: ${(err as Error).stack ?? String(err)}`);
      return rounds;
    }
  }
  return rounds;
}

async function round(pair: Pair, o: RoundOptions): Promise<void> {
  const { base, ledger } = o;
  const { a, b, desk } = pair;
  const deskWrite = { ...desk.headers, ...WRITE_HEADERS };
  ledger.drivers.add(a.id).add(b.id);

  /** One logical operation: sent, retried until answered, acknowledged or not. */
  const operation = async (kind: Kind, attempt: () => Promise<Answer>, settle?: (answer: Answer, repeated: boolean) => Promise<boolean>): Promise<Answer> => {
    ledger.counts[kind].sent++;
    const began = Date.now();
    const { answer, repeated } = await untilAnswered(ledger, kind, attempt, Date.now() + o.operationBudgetMs);
    ledger.counts[kind].ms += Date.now() - began;
    if (!answer) {
      ledger.counts[kind].unanswered++;
      ledger.problem(`${kind}: no answer within ${o.operationBudgetMs} ms`);
      throw new RoundFailed();
    }
    if ((answer.status >= 200 && answer.status < 300) || (settle && (await settle(answer, repeated)))) {
      ledger.counts[kind].acknowledged++;
      return answer;
    }
    ledger.counts[kind].refused++;
    ledger.problem(`${kind}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    throw new RoundFailed();
  };
  const budget = () => Date.now() + o.operationBudgetMs;

  const safety = await operation('safety', () => send(base, 'POST', '/api/v1/safety-checks', { headers: a.auth, json: { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true } }));

  const key = randomUUID();
  const report = { safetyCheckId: safety.body.safetyCheckId, location: PLACE, answers: QUALIFYING_ANSWERS, plate: a.plate };
  const reported = await operation('report', () => send(base, 'POST', '/api/v1/cases', { headers: { ...a.auth, 'idempotency-key': key }, json: report }));
  const caseId = String(reported.body.caseId);
  ledger.reports.push({ driverId: a.id, key, caseId });

  await operation('join', () => send(base, 'POST', '/api/v1/cases/join', { headers: b.auth, json: { code: reported.body.joinCode, plate: b.plate, factsConfirmed: true } }));
  ledger.joins.push({ caseId, driverId: b.id });

  // A repeated answer that hears "already answered" asks the case: answered is what was wanted (verify.ts checks it was once).
  const deskState = async () => (await untilAnswered(ledger, 'answer', () => send(base, 'GET', `/api/v1/desk/cases/${caseId}`, { headers: desk.headers }), budget())).answer;
  await operation('answer', () => send(base, 'POST', `/api/v1/desk/cases/${caseId}/answer`, { headers: deskWrite, json: {} }), async (answer, repeated) => {
    if (!repeated || answer.status !== 409) return false;
    const now = await deskState();
    return now?.status === 200 && ['in_call', 'collecting'].includes(now.body.state);
  });
  ledger.answers.push({ caseId });

  await upload(pair, o, caseId);

  await operation(
    'redirect',
    () => send(base, 'POST', `/api/v1/desk/cases/${caseId}/redirect`, { headers: deskWrite, json: { reason: '混沌测试：本轮结束', alternatives: ['call_122'] } }),
    async (answer, repeated) => {
      if (!repeated || answer.status !== 409) return false;
      const now = await deskState();
      return now?.status === 200 && now.body.state === 'redirected';
    },
  );
  ledger.redirects.push({ caseId });
}

/** A's photo as the phone's upload queue sends it: create (one uploadKey), the chunks the server lacks, complete with the hashes. */
async function upload(pair: Pair, o: RoundOptions, caseId: string): Promise<void> {
  const { base, ledger } = o;
  const auth = pair.a.auth;
  const counts = ledger.counts.upload;
  counts.sent++;
  const began = Date.now();
  const fail = (why: string): never => {
    ledger.problem(`upload: ${why}`);
    throw new RoundFailed();
  };
  const until = async (attempt: () => Promise<Answer>) => {
    const result = await untilAnswered(ledger, 'upload', attempt, Date.now() + o.operationBudgetMs);
    if (!result.answer) {
      counts.unanswered++;
      fail(`no answer within ${o.operationBudgetMs} ms`);
    }
    return result as { answer: Answer; repeated: boolean };
  };

  const file = await photoOfSize(o.photoBytes);
  const fileSha = sha256(file);
  const uploadKey = randomUUID();
  const created = await until(() => send(base, 'POST', `/api/v1/cases/${caseId}/uploads`, { headers: auth, json: { uploadKey, kind: 'other', mimeType: 'image/jpeg', size: file.length } }));
  if (created.answer.status !== 201 && created.answer.status !== 200) {
    counts.refused++;
    fail(`create ${created.answer.status} ${JSON.stringify(created.answer.body).slice(0, 300)}`);
  }
  const session = created.answer.body as { uploadId: string; chunkSize: number; totalChunks: number; received: number[] };
  const chunkOf = (i: number) => file.subarray(i * session.chunkSize, (i + 1) * session.chunkSize);
  const chunkHashes = Array.from({ length: session.totalChunks }, (_, i) => sha256(chunkOf(i)));
  let received = new Set(session.received);
  let interrupted = false;
  let dropAt = Math.random() < o.dropChance ? Math.floor(Math.random() * session.totalChunks) : -1;
  // What the phone does after any interruption: ask which chunks the server holds, send only the rest.
  const resync = async () => {
    interrupted = true;
    const now = await until(() => send(base, 'GET', `/api/v1/uploads/${session.uploadId}`, { headers: auth }));
    if (now.answer.status !== 200) fail(`session ${now.answer.status}`);
    received = new Set(now.answer.body.received as number[]);
  };

  for (let pass = 0; pass < 5; pass++) {
    for (let i = 0; i < session.totalChunks; i++) {
      if (received.has(i)) continue;
      const path = `/api/v1/uploads/${session.uploadId}/chunks/${i}`;
      if (i === dropAt) {
        dropAt = -1;
        await dropMidChunk(base, path, auth, chunkOf(i));
        await resync();
        i = -1; // from the first chunk the server lacks
        continue;
      }
      const sent = await until(() => send(base, 'PUT', path, { headers: auth, raw: chunkOf(i) }));
      if (sent.answer.status !== 200) {
        counts.refused++;
        fail(`chunk ${i}: ${sent.answer.status} ${JSON.stringify(sent.answer.body).slice(0, 300)}`);
      }
      if (sent.repeated) {
        await resync();
        i = -1;
        continue;
      }
      received = new Set(sent.answer.body.received as number[]);
    }
    const completed = await until(() => send(base, 'POST', `/api/v1/uploads/${session.uploadId}/complete`, { headers: auth, json: { sha256: fileSha, chunks: chunkHashes } }));
    if (completed.repeated) interrupted = true;
    const answer = completed.answer;
    if (answer.status === 200 && answer.body.evidence) {
      counts.acknowledged++;
      counts.ms += Date.now() - began;
      ledger.uploads.push({ caseId, uploadId: session.uploadId, sha256: fileSha, evidenceId: answer.body.evidence.id, interrupted });
      return;
    }
    // Chunks the server dropped or never had (UPLOAD_INCOMPLETE / UPLOAD_HASH_MISMATCH): send those again.
    if (answer.status === 409 && ['UPLOAD_INCOMPLETE', 'UPLOAD_HASH_MISMATCH'].includes(answer.body?.code)) {
      await resync();
      continue;
    }
    counts.refused++;
    fail(`complete ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  counts.refused++;
  fail('still incomplete after 5 passes');
}
