import type { AccidentScenario, LiabilityGrade, LiabilityProposal, PartyTags } from '../../../typings/api/decisions';

/**
 * The library's rule (快处快赔): one party fits a scenario → that party full, the others none; every
 * party fits → equal; otherwise (nobody, or two of three) there is no proposal and the officer decides.
 */
export function proposeLiability(partyLabels: readonly string[], tags: readonly PartyTags[], library: readonly AccidentScenario[]): LiabilityProposal {
  const known = new Map(library.map((s) => [s.code, s]));
  const fitting = partyLabels.map((label) => ({
    label,
    scenarios: (tags.find((t) => t.party === label)?.scenarioCodes ?? []).flatMap((code) => known.get(code) ?? []),
  }));
  const fits = fitting.filter((p) => p.scenarios.length > 0);
  const basisOf = (p: (typeof fitting)[number]) => p.scenarios.map((s) => `${s.title}（${s.basis}）`).join('；');
  if (fits.length === 1 && partyLabels.length > 1) {
    const [only] = fits;
    return {
      rule: 'one_fits',
      parties: fitting.map((p) => ({ label: p.label, liability: (p === only ? 'full' : 'none') as LiabilityGrade, basis: p === only ? basisOf(p) : '无过错' })),
      explanation: `只有 ${only!.label} 方符合情形，建议 ${only!.label} 方负全部责任`,
    };
  }
  if (fits.length === partyLabels.length && fits.length > 1) {
    return {
      rule: 'all_fit',
      parties: fitting.map((p) => ({ label: p.label, liability: 'equal' as LiabilityGrade, basis: basisOf(p) })),
      explanation: '各方均符合情形，建议各方负同等责任',
    };
  }
  return {
    rule: 'undecided',
    parties: null,
    explanation: fits.length === 0 ? '尚未为任何一方标注情形，由民警认定' : '部分当事方符合情形，由民警认定',
  };
}
