import type { AccidentScenario } from '../../../../../typings/api/decisions';

/**
 * The library being edited, against the revision it started from. The rules are the server's
 * (decisions/decision.schemas.ts), checked here first so a typo is caught in the dialog; the server
 * checks again on save.
 */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
export const LIMITS = { title: [2, 30], description: [2, 200], basis: [4, 200] } as const;

/** What is wrong with one scenario, field by field (empty when nothing is). */
export function scenarioProblems(s: AccidentScenario, others: AccidentScenario[]): Partial<Record<keyof AccidentScenario, string>> {
  const problems: Partial<Record<keyof AccidentScenario, string>> = {};
  if (!CODE_PATTERN.test(s.code)) problems.code = '编码为小写字母开头的小写字母、数字和下划线，2–40 位';
  else if (others.some((o) => o.code === s.code)) problems.code = '已有相同编码的情形';
  for (const field of ['title', 'description', 'basis'] as const) {
    const [min, max] = LIMITS[field];
    const length = s[field].trim().length;
    if (length < min || length > max) problems[field] = `${min}–${max} 个字`;
  }
  return problems;
}

export type RowChange = 'added' | 'edited' | null;

/** Whether a scenario is new or changed against the saved revision. */
export function changeOf(s: AccidentScenario, saved: AccidentScenario[]): RowChange {
  const before = saved.find((o) => o.code === s.code);
  if (!before) return 'added';
  return before.title !== s.title || before.description !== s.description || before.basis !== s.basis ? 'edited' : null;
}

/** "新增 1 项，修改 2 项，停用 1 项" — or null when the draft is the saved revision. */
export function changeSummary(draft: AccidentScenario[], saved: AccidentScenario[]): string | null {
  const added = draft.filter((s) => changeOf(s, saved) === 'added').length;
  const edited = draft.filter((s) => changeOf(s, saved) === 'edited').length;
  const retired = saved.filter((s) => !draft.some((d) => d.code === s.code)).length;
  const order = draft.map((s) => s.code).join() !== saved.filter((s) => draft.some((d) => d.code === s.code)).map((s) => s.code).join();
  const parts = [added && `新增 ${added} 项`, edited && `修改 ${edited} 项`, retired && `停用 ${retired} 项`, !added && !edited && !retired && order && '调整顺序'].filter(Boolean);
  return parts.length ? parts.join('，') : null;
}
