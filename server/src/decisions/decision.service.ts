import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CaseFileView, DecisionRecord, LiabilityProposal, PartyTags, PendingDecision, TagsResponse } from '../../../typings/api/decisions';
import { deskCaseView } from '../call';
import { awaitingDecision, caseHistory, caseNumber, placeLabel, edit, loadCase, transition, type CaseFieldChanges, type CaseServices, type CaseSnapshot } from '../cases';
import { AppError, badRequest } from '../platform/errors';
import { gradeProblem } from './grades';
import { proposeLiability } from './proposal';
import { currentScenarioLibrary } from './scenario-library';
import type { decideSchema, scenarioTagsSchema } from './decision.schemas';

type Officer = { id: string; name: string };

const tagsOfCase = (c: CaseSnapshot): PartyTags[] => (c.scenarioTags ?? []).map((t) => ({ party: t.party, scenarioCodes: [...t.scenarioCodes] }));

async function proposalFor(c: CaseSnapshot): Promise<{ proposal: LiabilityProposal; rev: number }> {
  const library = await currentScenarioLibrary();
  return { proposal: proposeLiability(c.parties.map((p) => p.label), tagsOfCase(c), library.scenarios), rev: library.rev };
}

/** The tags and the proposal as they stand (the dispatcher's call screen shows them too). */
export async function tagsOf(c: CaseSnapshot): Promise<TagsResponse> {
  return { tags: tagsOfCase(c), proposal: (await proposalFor(c)).proposal };
}

/** Tags one party with the scenarios that fit (during the call by the dispatcher, or by the officer). */
export async function tagParty(services: CaseServices, caseId: string, actor: { kind: 'dispatcher' | 'officer'; id: string }, input: z.infer<typeof scenarioTagsSchema>): Promise<TagsResponse> {
  const library = await currentScenarioLibrary();
  const unknown = input.scenarioCodes.filter((code) => !library.scenarios.some((s) => s.code === code));
  if (unknown.length > 0) throw badRequest(`情形库中没有：${unknown.join('、')}`);
  const updated = await edit(
    caseId,
    'scenario_tags',
    actor,
    (c) => {
      if (!c.parties.some((p) => p.label === input.party)) throw badRequest(`没有 ${input.party} 车`);
      const others = tagsOfCase(c).filter((t) => t.party !== input.party);
      const scenarioTags = [...others, { party: input.party, scenarioCodes: input.scenarioCodes }].sort((a, b) => a.party.localeCompare(b.party));
      return { set: { scenarioTags } as CaseFieldChanges };
    },
    services,
  );
  return { tags: tagsOfCase(updated), proposal: proposeLiability(updated.parties.map((p) => p.label), tagsOfCase(updated), library.scenarios) };
}

const DECIDED_STATES_MESSAGE = '该案件已由其他民警认定';

/**
 * The officer's decision. The grades must stand together (§60), and a decision that differs from the
 * proposal (or is made without one) carries a written reason. Two officers deciding at once: the
 * `determine` row lets one win; the other is told the case is decided (409 ALREADY_DECIDED).
 */
export async function decide(services: CaseServices, caseId: string, officer: Officer, input: z.infer<typeof decideSchema>): Promise<CaseSnapshot> {
  const current = await loadCase(caseId);
  if (current.state !== 'released') throw notReleased(current);
  const labels = current.parties.map((p) => p.label).sort();
  const given = input.parties.map((p) => p.label).sort();
  if (labels.join() !== given.join()) throw badRequest(`请为每一方（${labels.join('、')}）各认定一次责任`);
  const problem = gradeProblem(input.parties.map((p) => p.liability));
  if (problem) throw new AppError(400, 'LIABILITY_INCONSISTENT', problem);

  const { proposal, rev } = await proposalFor(current);
  const differs = !proposal.parties || proposal.parties.some((p) => input.parties.find((d) => d.label === p.label)?.liability !== p.liability);
  if (differs && !input.reason) {
    throw new AppError(400, 'REASON_REQUIRED', proposal.parties ? '认定与系统建议不同，请写明理由' : '没有系统建议，请写明认定理由');
  }
  const now = services.clock();
  return transition(caseId, 'determine', { kind: 'officer', id: officer.id }, {
    check: (latest) => {
      if (latest.state !== 'released') throw notReleased(latest);
    },
    set: {
      decision: {
        proposal: { rule: proposal.rule, parties: proposal.parties ? proposal.parties.map((p) => ({ ...p, damages: null })) : null, explanation: proposal.explanation },
        decisionId: randomUUID(),
        scenarioLibraryRev: rev,
        parties: input.parties,
        reason: input.reason,
        differsFromProposal: differs,
        weather: input.weather,
        accidentType: input.accidentType,
        facts: input.facts,
        officer,
        decidedAt: now,
        certificateNumber: null,
        certificateIssuedAt: null,
      },
    } as never,
    services,
  });
}

function notReleased(c: CaseSnapshot): AppError {
  if (c.decision) return new AppError(409, 'ALREADY_DECIDED', DECIDED_STATES_MESSAGE);
  return new AppError(409, 'CASE_NOT_RELEASED', '案件尚未放行，不能认定');
}

export function decisionRecord(c: CaseSnapshot, verifyUrl: (number: string) => string): DecisionRecord | null {
  const d = c.decision;
  if (!d?.proposal || !d.officer) return null;
  return {
    proposal: { rule: d.proposal.rule as LiabilityProposal['rule'], parties: d.proposal.parties ? d.proposal.parties.map(({ label, liability, basis }) => ({ label, liability: liability as never, basis })) : null, explanation: d.proposal.explanation },
    parties: d.parties.map(({ label, liability, basis, damages }) => ({ label, liability: liability as never, basis, damages: damages as never })),
    reason: d.reason ?? null,
    differsFromProposal: d.differsFromProposal,
    weather: d.weather,
    accidentType: d.accidentType,
    facts: d.facts,
    officer: { id: d.officer.id, name: d.officer.name },
    decidedAt: d.decidedAt.toISOString(),
    certificate: d.certificateNumber && d.certificateIssuedAt ? { number: d.certificateNumber, issuedAt: d.certificateIssuedAt.toISOString(), verifyUrl: verifyUrl(d.certificateNumber) } : null,
  };
}

export async function caseFile(services: CaseServices, c: CaseSnapshot, verifyUrl: (number: string) => string): Promise<CaseFileView> {
  const [view, { proposal, rev }, history] = await Promise.all([deskCaseView(services, c), proposalFor(c), caseHistory(c._id)]);
  return {
    caseNo: caseNumber(c._id),
    case: view,
    tags: tagsOfCase(c),
    proposal,
    scenarioLibraryRev: rev,
    decision: decisionRecord(c, verifyUrl),
    timeline: history.map((e) => ({ at: e.at.toISOString(), event: e.event, from: e.from, to: e.to, actor: e.actor?.kind ?? 'system', reason: e.reason ?? null })),
  };
}

export async function pendingDecisions(brigadeCode: string | null): Promise<PendingDecision[]> {
  const cases = await awaitingDecision(brigadeCode);
  return cases.map((c) => ({
    caseId: String(c._id),
    caseNo: caseNumber(c._id),
    brigadeCode: c.brigadeCode ?? null,
    address: placeLabel(c),
    releasedAt: c.releasedAt ? c.releasedAt.toISOString() : null,
    parties: c.parties.map((p) => ({ label: p.label, plate: p.plate })),
    tagged: (c.scenarioTags ?? []).some((t) => t.scenarioCodes.length > 0),
  }));
}
