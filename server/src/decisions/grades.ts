import type { LiabilityGrade } from '../../../typings/api/decisions';

/**
 * Whether a set of §60 grades can stand together: one party full and the rest none; two or more
 * equal and the rest none; one main with one or more minor (and the rest none); or nobody at fault.
 * Returns the words to say when it cannot, null when it can.
 */
export function gradeProblem(grades: readonly LiabilityGrade[]): string | null {
  const count = (g: LiabilityGrade) => grades.filter((x) => x === g).length;
  const [full, main, equal, minor, none] = (['full', 'main', 'equal', 'minor', 'none'] as const).map(count) as [number, number, number, number, number];
  if (none === grades.length) return null;
  if (full === 1 && none === grades.length - 1) return null;
  if (equal >= 2 && equal + none === grades.length) return null;
  if (main === 1 && minor >= 1 && main + minor + none === grades.length) return null;
  if (full > 1) return '不能有两方都负全部责任';
  if (full === 1) return '一方负全部责任时，其他各方应无责任';
  if (equal === 1) return '同等责任至少涉及两方';
  if (main > 1) return '不能有两方都负主要责任';
  if (main === 1) return '一方负主要责任时，应有一方负次要责任，且不能与同等责任并存';
  if (minor > 0) return '有一方负次要责任时，应有一方负主要责任';
  return '责任划分不成立，请检查各方责任';
}
