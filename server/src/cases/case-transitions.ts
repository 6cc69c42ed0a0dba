import { AppError, forbidden } from '../platform/errors';
import type { CaseState } from '../../../typings/api/cases';
import type { CaseChange, CaseFieldChanges } from './case-change';
import { findTransition, type CaseActorKind, type CaseEvent } from './lifecycle';
import { STATE_WORDS } from './state-words';

export interface TransitionActor {
  kind: CaseActorKind;
  id: string | null;
}

/** The change one row of the table makes, or 409/403 when the table has no such row for this actor. */
export function planTransition(state: CaseState, event: CaseEvent, actor: TransitionActor, reason: string | null = null, set: CaseFieldChanges = {}): CaseChange {
  const rule = findTransition(state, event);
  if (!rule) throw new AppError(409, 'CONFLICT', `案件当前状态为「${STATE_WORDS[state]}」，不能执行该操作`);
  if (!rule.by.includes(actor.kind)) throw forbidden('无权对该案件执行此操作');
  return { event, to: rule.to, actor, reason, set };
}
