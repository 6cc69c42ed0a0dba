import { randomBytes } from 'node:crypto';
import type { EvidenceItem, EvidenceVerification } from '../../../typings/api/call';
import { edit, loadCase, type CaseSnapshot, type CaseActorKind, type CaseServices } from '../cases';
import { isDuplicateKey } from '../platform/database';
import { AppError, notFound } from '../platform/errors';
import { faultPoint } from '../platform/faults';
import { chainHash, evidenceId, extensionOf, parseEvidenceId, sha256Hex } from './evidence-chain';
import { Evidence, type EvidenceRecord } from './evidence.model';

/** The copy of an item the case keeps (`case.evidence[]`); the authoritative record is in `evidence`. */
export interface EvidenceSummary {
  id: string;
  seq: number;
  kind: string;
  party?: string | null;
  shotRequestId?: string | null;
  mimeType: string;
  size: number;
  sha256: string;
  prevChainHash?: string | null;
  chainHash: string;
  fixedAt: Date;
}

export const evidenceContentUrl = (id: string) => `/api/v1/evidence/${encodeURIComponent(id)}/content`;

/** A case's evidence summary (or an `evidence` document) as the API shows it. */
export function toEvidenceItem(summary: EvidenceSummary, caseId: string): EvidenceItem {
  const id = summary.id || evidenceId(caseId, summary.seq);
  return {
    id,
    seq: summary.seq,
    kind: summary.kind as EvidenceItem['kind'],
    party: summary.party ?? null,
    shotRequestId: summary.shotRequestId ?? null,
    mimeType: summary.mimeType,
    size: summary.size,
    sha256: summary.sha256,
    prevChainHash: summary.prevChainHash ?? '',
    chainHash: summary.chainHash,
    fixedAt: summary.fixedAt.toISOString(),
    contentUrl: evidenceContentUrl(id),
  };
}

export const summaryOf = (item: EvidenceRecord): EvidenceSummary => ({
  id: item._id,
  seq: item.seq,
  kind: item.kind,
  party: item.party ?? null,
  shotRequestId: item.shotRequestId ?? null,
  mimeType: item.mimeType,
  size: item.size,
  sha256: item.sha256,
  prevChainHash: item.prevChainHash ?? '',
  chainHash: item.chainHash,
  fixedAt: item.fixedAt,
});

export interface EvidenceActor {
  kind: string;
  id: string | null;
}

export interface FixInput {
  caseId: string;
  /** What it came from: the upload id, or `frame-…`. The same source is fixed once, ever. */
  sourceId: string;
  kind: string;
  party: string | null;
  shotRequestId: string | null;
  mimeType: string;
  data: Buffer;
  actor: EvidenceActor;
}

/** Plenty for any number of concurrent writers on one case: each lost claim means another item landed. */
const MAX_CLAIMS = 50;

/**
 * Fixes a file as the case's next evidence item, and returns it (or the item this source already
 * became — a retry, a concurrent duplicate, or a completion that stopped before updating the case).
 *
 * 1. The file goes into the blob store first, under a key of its own (source + random), so no item
 *    ever refers to a file that is not there, and no later write can replace a fixed item's file.
 * 2. Item n is claimed by inserting `<caseId>:<n>` with the hash of the file, the server's time and
 *    item n−1's chainHash. A lost claim (someone fixed n first) moves on to n+1; the unique
 *    `sourceId` makes a second claim for the same source fail, and the first one is returned.
 *
 * The items are immutable once inserted, so item n−1's chainHash, read before claiming n, cannot change.
 */
export async function fixEvidence(services: CaseServices, input: FixInput): Promise<EvidenceRecord> {
  const sha256 = sha256Hex(input.data);
  const blobKey = `evidence/${input.caseId}/${input.sourceId}-${randomBytes(6).toString('hex')}.${extensionOf(input.mimeType)}`;
  await services.blobs.put(blobKey, input.data);
  // A failed claim keeps its file: the insert may have landed with its answer lost (the database killed
  // mid-reply, a fail-over), and then this file is the evidence. A spare copy costs space, never evidence.
  const item = await claimNext(services, input, sha256, blobKey);
  // The source was fixed by another completion (a race or a retry): its file is the evidence, this copy is spare.
  if (item.blobKey !== blobKey) await services.blobs.delete(blobKey);
  return item;
}

async function claimNext(services: CaseServices, input: FixInput, sha256: string, blobKey: string): Promise<EvidenceRecord> {
  const snapshot = await loadCase(input.caseId);
  const known = new Map(snapshot.evidence.map((e) => [e.seq, e.chainHash]));
  let seq = Math.max(0, ...snapshot.evidence.map((e) => e.seq)) + 1;
  for (let attempt = 1; attempt <= MAX_CLAIMS; attempt++) {
    const id = evidenceId(input.caseId, seq);
    const taken = await Evidence.findById(id).lean<EvidenceRecord>();
    if (taken) {
      if (taken.sourceId === input.sourceId) return taken;
      seq++;
      continue;
    }
    const prevChainHash = seq === 1 ? '' : ((await Evidence.findById(evidenceId(input.caseId, seq - 1)).lean<EvidenceRecord>())?.chainHash ?? known.get(seq - 1));
    if (prevChainHash === undefined) throw new Error(`evidence ${seq - 1} of case ${input.caseId} is missing: cannot chain item ${seq}`);
    const fixedAt = services.clock();
    const item = {
      _id: id,
      caseId: snapshot._id,
      seq,
      kind: input.kind,
      party: input.party,
      shotRequestId: input.shotRequestId,
      mimeType: input.mimeType,
      size: input.data.length,
      sha256,
      prevChainHash,
      chainHash: chainHash({ prevChainHash, sha256, seq, fixedAt, kind: input.kind, party: input.party }),
      fixedAt,
      blobKey,
      sourceId: input.sourceId,
      by: input.actor,
    };
    try {
      await Evidence.create(item);
      faultPoint('evidence-inserted');
      // Counted once, by the writer whose insert won (a retry or a racing duplicate returns above).
      services.metrics.evidenceFixed.inc({ kind: input.kind });
      services.metrics.evidenceFixedBytes.inc({ kind: input.kind }, input.data.length);
      return item as EvidenceRecord;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Refused: either number n went to someone else (go on from there), or this source is fixed
    // already — by a concurrent complete, or by one that stopped before recording it on the upload.
    const winner = await Evidence.findById(id).lean<EvidenceRecord>();
    if (winner) {
      if (winner.sourceId === input.sourceId) return winner;
      seq++;
      continue;
    }
    // Rare (a race on the same source): the one place this module reads `evidence` by another field.
    const mine = await Evidence.findOne({ sourceId: input.sourceId }).lean<EvidenceRecord>();
    if (mine) return mine;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3 * attempt));
  }
  throw new AppError(409, 'CONFLICT', '证据正在被固定，请稍后重试');
}

/** Thrown inside a plan when the case already lists the item: nothing to change. */
class AlreadyRecorded extends Error {}

/**
 * Records a fixed item on the case (event `evidence_fixed`, the state unchanged): its summary joins
 * `case.evidence` (appended; read in seq order), and the shot request it answers gets its evidenceId. Idempotent:
 * a case that lists the item already is returned as it is.
 */
export async function recordOnCase(services: CaseServices, item: EvidenceRecord): Promise<CaseSnapshot> {
  const caseId = String(item.caseId);
  const listed = (c: CaseSnapshot) => c.evidence.some((e) => e.id === item._id);
  try {
    return await edit(
      caseId,
      'evidence_fixed',
      { kind: (item.by?.kind ?? 'system') as CaseActorKind, id: item.by?.id ?? null },
      (c) => {
        if (listed(c)) throw new AlreadyRecorded();
        // Items are fixed in seq order but may be recorded out of it (two completions racing):
        // appended, the case's list is sorted where it is read (views), never rewritten here.
        const shot = item.shotRequestId ? c.shotRequests.findIndex((r) => r.id === item.shotRequestId && !r.evidenceId) : -1;
        const who = item.party ? `${item.party} 方` : '现场';
        return {
          reason: `第 ${item.seq} 项证据（${item.kind}，${who}）SHA-256 ${item.sha256}`,
          push: { evidence: [summaryOf(item)] },
          setPaths: shot >= 0 ? { [`shotRequests.${shot}.evidenceId`]: item._id } : {},
        };
      },
      services,
    );
  } catch (err) {
    if (err instanceof AlreadyRecorded) return loadCase(caseId);
    throw err;
  }
}

/** An item and its file, for whoever may see the case (the route checks that first). */
export async function evidenceContent(services: CaseServices, id: string): Promise<{ item: EvidenceRecord; data: Buffer }> {
  const item = await Evidence.findById(id).lean<EvidenceRecord>();
  if (!item) throw notFound('证据不存在');
  const data = await services.blobs.get(item.blobKey).catch(() => null);
  if (!data) throw notFound('证据文件不存在');
  return { item, data };
}

export const caseIdOfEvidence = (id: string) => parseEvidenceId(id)?.caseId ?? null;

/**
 * Re-reads every item of the case by primary key in seq order, re-hashes its stored file and
 * recomputes the chain: an altered file, an edited record, a removed or inserted item all show,
 * each on the item where the break is. The case's own copies of the summaries are compared too.
 */
export async function verifyCaseEvidence(services: CaseServices, snapshot: CaseSnapshot): Promise<EvidenceVerification> {
  const caseId = String(snapshot._id);
  const listed = new Map(snapshot.evidence.map((e) => [e.seq, e]));
  const lastListed = Math.max(0, ...listed.keys());
  const items: EvidenceVerification['items'] = [];
  let expectedPrev = '';
  for (let seq = 1; ; seq++) {
    const id = evidenceId(caseId, seq);
    const item = await Evidence.findById(id).lean<EvidenceRecord>();
    const copy = listed.get(seq);
    if (!item) {
      // Past the last item, unless the case lists items beyond: then this one was removed.
      if (seq > lastListed) break;
      items.push({ seq, id, fileOk: false, chainOk: false, problem: '证据记录缺失：案件中登记过，证据库中已不存在' });
      expectedPrev = copy?.chainHash ?? '';
      continue;
    }
    const problems: string[] = [];
    let fileOk = true;
    const data = await services.blobs.get(item.blobKey).catch(() => null);
    if (!data) {
      fileOk = false;
      problems.push('文件缺失');
    } else if (data.length !== item.size || sha256Hex(data) !== item.sha256) {
      fileOk = false;
      problems.push('文件内容与固定时的哈希不一致');
    }
    let chainOk = true;
    if ((item.prevChainHash ?? '') !== expectedPrev) {
      chainOk = false;
      problems.push('链条断裂：上一项哈希不符');
    }
    const recomputed = chainHash({ prevChainHash: item.prevChainHash ?? '', sha256: item.sha256, seq: item.seq, fixedAt: item.fixedAt, kind: item.kind, party: item.party ?? null });
    if (item.seq !== seq || recomputed !== item.chainHash) {
      chainOk = false;
      problems.push('本项记录被改动：重新计算的链哈希不符');
    }
    if (copy && (copy.sha256 !== item.sha256 || copy.chainHash !== item.chainHash || copy.fixedAt.getTime() !== item.fixedAt.getTime())) {
      chainOk = false;
      problems.push('与案件中登记的哈希不一致');
    }
    items.push({ seq, id, fileOk, chainOk, problem: problems.length > 0 ? problems.join('；') : null });
    expectedPrev = item.chainHash;
  }
  return { ok: items.every((i) => i.fileOk && i.chainOk), checkedAt: services.clock().toISOString(), items };
}
