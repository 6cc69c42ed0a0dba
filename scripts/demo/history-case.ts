/**
 * One case's steps after its draft: refused, queued, answered or given up, redirected or released,
 * then decided, delivered, handed to insurers and closed or reviewed — as the app's events.
 */
import { caseEventId } from '../../server/src/cases/case-event.model';
import { draftCase, shortName, stored } from './history-draft';
import { ACCIDENT_TYPES, beijingYear, deadlineOf, DISPATCHER_REASONS, INSURERS, officeHours, REASON_WEIGHTS, sec, WEATHER, type CaseInput, type Doc, type Random } from './history-params';

/**
 * One case: its steps are planned as the app's events would be (each `set` exactly what that door
 * writes), stopped at the first step after `now`; the document is the initial draft with every
 * applied event's changes on top — so the event log replays to the document.
 */
export function makeCase(input: CaseInput): { doc: Doc; events: Doc[]; handoffs: Doc[] } {
  const { random, reportedAt, brigade, now } = input;
  const { key, initiatorId, _id, place, vehicleCount, parties, failed, doc } = draftCase(input);
  const events: Doc[] = [];
  const handoffs: Doc[] = [];
  let stopped = false;
  /** Applies one event (unless it lies after `now`, which stops the case where it is). */
  const step = (at: Date, event: string, to: string, actor: { kind: string; id: string | null }, changes: { set?: Doc; push?: Doc; reason?: string | null } = {}) => {
    if (stopped || at > now) return (stopped = true), false;
    const rev = doc.rev + 1;
    events.push({ _id: caseEventId(_id, rev), caseId: _id, rev, at, event, from: doc.state, to, actor, reason: changes.reason ?? null, set: changes.set ?? {}, setPaths: [], push: changes.push ?? {} });
    Object.assign(doc, changes.set ?? {});
    for (const [field, items] of Object.entries(changes.push ?? {})) doc[field] = [...doc[field], ...(items as unknown[])];
    if (to !== doc.state) doc.stateChangedAt = at;
    doc.state = to;
    doc.rev = rev;
    doc.updatedAt = at;
    return true;
  };
  const system = { kind: 'system', id: null };
  const driver = { kind: 'driver', id: String(initiatorId) };

  if (failed.length > 0) {
    step(reportedAt, 'refuse', 'redirected', system, { reason: failed.map((f) => f.code).join(',') });
    return { doc, events, handoffs };
  }
  // The queue: a log-normal wait, longer at busy hours, against the caller's patience.
  const wait = Math.max(3, random.lognormal(30 * (0.6 + 0.45 * input.busy), 0.75));
  step(reportedAt, 'submit', 'queued', driver, { set: { queuedAt: reportedAt } });
  // The other drivers join with the code while it waits.
  for (const party of parties.slice(1)) {
    party.joinedAt = party.factsConfirmedAt = sec(reportedAt, (0.3 + 0.6 * random.u()) * Math.min(60, wait));
    step(party.joinedAt, 'join', 'queued', { kind: 'driver', id: String(party.driverId) }, { push: { parties: [stored(party)] } });
  }
  const patience = 20 + random.exponential(500);
  if (random.chance(0.004)) {
    step(sec(reportedAt, 1800), 'time_out', 'abandoned', system, { reason: '排队超时，无人接听', set: { abandonedAt: sec(reportedAt, 1800) } });
    return { doc, events, handoffs };
  }
  if (patience < wait) {
    step(sec(reportedAt, patience), 'cancel', 'cancelled', driver, { reason: '等待时间过长' });
    return { doc, events, handoffs };
  }
  const dispatcher = random.pick(input.desk);
  const desk = { kind: 'dispatcher', id: String(dispatcher.id) };
  const answeredAt = sec(reportedAt, wait);
  step(answeredAt, 'answer', 'in_call', desk, { set: { answeredAt, answeredBy: { id: String(dispatcher.id), name: dispatcher.name } } });
  step(sec(answeredAt, 20 + random.u() * 40), 'start_collecting', 'collecting', desk);
  if (random.chance(0.004)) {
    const at = sec(answeredAt, 240 + random.u() * 300);
    step(at, 'time_out', 'abandoned', system, { reason: '通话无响应', set: { abandonedAt: at } });
    return { doc, events, handoffs };
  }
  if (random.chance(0.08)) {
    const reason = random.pick(DISPATCHER_REASONS, REASON_WEIGHTS);
    const alternatives = reason === '有人员受伤' || reason === '涉嫌酒驾、无证驾驶' ? ['call_122', 'officer_on_scene'] : ['call_122', 'photo_quick_handling'];
    step(sec(answeredAt, random.lognormal(150, 0.5)), 'redirect', 'redirected', desk, { reason, set: { redirect: { reason, alternatives } } });
    return { doc, events, handoffs };
  }
  const handlingSeconds = Math.max(40, Math.round(random.lognormal(225, 0.42)));
  const releasedAt = sec(answeredAt, handlingSeconds);
  const facts = { occurredAt: sec(reportedAt, -(60 + random.u() * 600)), place: place.address, directions: {}, impactPoints: {}, summary: `${random.pick(ACCIDENT_TYPES)}，双方车辆轻微受损` };
  if (!step(releasedAt, 'release', 'released', desk, { set: { releasedAt, handlingSeconds, facts } })) return { doc, events, handoffs };

  // After the call: decide, deliver, and the 复核 window.
  const decideAndDeliver = (after: Date, round: number): Date | null => {
    const officer = { id: String(random.objectId(after)), name: `${shortName(brigade.name)}民警` };
    const decidedAt = officeHours(random, sec(after, random.lognormal(1.5 * 3600, 0.8)));
    const liabilities = vehicleCount === 2 ? random.pick([['full', 'none'], ['main', 'minor'], ['equal', 'equal']], [0.7, 0.15, 0.15]) : ['full', 'none', 'none'];
    const decisionParties = doc.parties.map((p: Doc, i: number) => ({ label: p.label, liability: liabilities[i], basis: '', damages: null }));
    const decision = {
      proposal: { rule: 'undecided', parties: null, explanation: '' },
      decisionId: `history-${input.seed}-${input.n}-${round}`,
      scenarioLibraryRev: 1,
      parties: decisionParties,
      reason: '依据视频及现场照片认定',
      differsFromProposal: true,
      weather: random.pick(WEATHER, [0.5, 0.2, 0.15, 0.08, 0.05, 0.02]),
      accidentType: facts.summary!.slice(0, facts.summary!.indexOf('，')),
      facts: facts.summary,
      officer,
      decidedAt,
      certificateNumber: null,
      certificateIssuedAt: null,
    };
    if (!step(decidedAt, 'determine', 'determined', { kind: 'officer', id: officer.id }, { set: { decision } })) return null;
    // Numbered from 900000 in their year: a history number never meets one the live desk claims.
    const number = `${brigade.code}-${beijingYear(decidedAt)}-${String(900_000 + (input.n % 99_999)).padStart(6, '0')}${round ? `R${round}` : ''}`;
    const issuedAt = sec(decidedAt, 5);
    if (!step(issuedAt, 'certificate_issued', 'determined', system, { reason: `认定书 ${number}`, set: { decision: { ...decision, certificateNumber: number, certificateIssuedAt: issuedAt } } })) return null;
    const deliveredAt = sec(issuedAt, 10);
    const deadline = deadlineOf(deliveredAt);
    const delivered = step(deliveredAt, 'deliver', 'delivered', system, { set: { deliveredAt, reviewDeadline: deadline, deliveries: doc.parties.map((p: Doc) => ({ party: p.label, deliveredAt })) } });
    if (!delivered) return null;
    // Some parties send it to their insurer.
    for (const party of parties) {
      // One hand-off per party and case (its unique key): a second certificate after 重新认定 is not sent again.
      if (handoffs.some((h) => h.party === party.label) || !random.chance(0.22)) continue;
      const consentAt = sec(deliveredAt, random.lognormal(3600, 1));
      if (consentAt > now) continue;
      const ok = random.chance(0.95);
      handoffs.push({
        _id: random.objectId(deliveredAt),
        caseId: _id,
        party: party.label,
        driverId: party.driverId,
        insurerCode: party.insurerCode,
        insurerName: INSURERS.find((i) => i.code === party.insurerCode)!.name,
        status: ok ? 'accepted' : 'failed',
        idempotencyKey: `${key}-${party.label}`,
        certificateNumber: number,
        request: { generated: true },
        consentAt,
        claimNo: ok ? `CLM${input.seed}${input.n}${party.label}` : null,
        sentAt: ok ? sec(consentAt, 2) : null,
        error: ok ? null : '保险公司系统暂时不可用，请稍后重试',
        attempts: 1,
        createdAt: consentAt,
        updatedAt: sec(consentAt, 2),
      });
    }
    return deadline;
  };

  const deadline = decideAndDeliver(releasedAt, 0);
  if (!deadline) return { doc, events, handoffs };
  if (round1Review(random)) {
    const deliveredAt = doc.deliveredAt as Date;
    const appliedAt = new Date(deliveredAt.getTime() + random.u() * (deadline.getTime() - deliveredAt.getTime()));
    const application = { party: 'B', driverId: doc.parties[1].driverId, request: '请求重新认定', reasons: '对责任划分有异议', evidenceIds: [], appliedAt };
    const received = { status: 'received', applications: [application], receivedAt: appliedAt, acceptBy: sec(appliedAt, 5 * 86400), acceptedAt: null, notAcceptedReason: null, concludeBy: null, concludedAt: null, conclusionReason: null, reviewer: { id: null, name: null }, certificateNumber: doc.decision.certificateNumber };
    if (!step(appliedAt, 'request_review', 'review_requested', { kind: 'driver', id: String(application.driverId) }, { set: { review: received } })) return { doc, events, handoffs };
    const reviewer = { id: String(random.objectId(appliedAt)), name: '支队复核民警' };
    const decidedAt = sec(appliedAt, random.lognormal(86400, 0.5));
    if (random.chance(0.15)) {
      const review = { ...received, status: 'not_accepted', notAcceptedReason: '当事人已向人民法院提起诉讼', concludedAt: decidedAt, reviewer };
      step(decidedAt, 'decline_review', 'closed', { kind: 'reviewer', id: reviewer.id }, { reason: review.notAcceptedReason, set: { review } });
      return { doc, events, handoffs };
    }
    const accepted = { ...received, status: 'accepted', acceptedAt: decidedAt, concludeBy: sec(decidedAt, 30 * 86400), reviewer };
    if (!step(decidedAt, 'review_accepted', 'review_requested', { kind: 'reviewer', id: reviewer.id }, { reason: '复核申请已受理', set: { review: accepted } })) return { doc, events, handoffs };
    const concludedAt = sec(decidedAt, random.lognormal(5 * 86400, 0.5));
    const upheld = random.chance(0.8);
    const review = { ...accepted, status: upheld ? 'upheld' : 'redone', concludedAt, conclusionReason: upheld ? '原认定事实清楚，责任划分得当' : '原认定责任划分不当' };
    if (!step(concludedAt, 'review', 'reviewed', { kind: 'reviewer', id: reviewer.id }, { reason: review.conclusionReason, set: { review } })) return { doc, events, handoffs };
    if (upheld) {
      step(sec(concludedAt, 1), 'close', 'closed', system, { reason: '复核维持原认定' });
      return { doc, events, handoffs };
    }
    const superseded = doc.decision.certificateNumber;
    if (!step(sec(concludedAt, 1), 'send_back', 'released', system, { reason: '复核决定重新认定', set: { decision: null, supersedesCertificate: superseded, deliveredAt: null, reviewDeadline: null, deliveries: [] } })) return { doc, events, handoffs };
    const again = decideAndDeliver(sec(concludedAt, 1), 1);
    if (again) step(again, 'close', 'closed', system, { reason: '复核期限届满，未申请复核' });
    return { doc, events, handoffs };
  }
  step(deadline, 'close', 'closed', system, { reason: '复核期限届满，未申请复核' });
  return { doc, events, handoffs };
}

/** About 3 % of delivered certificates draw a 复核 application. */
const round1Review = (random: Random) => random.chance(0.03);
