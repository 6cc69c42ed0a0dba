import { inject, provide, type InjectionKey, type Ref } from 'vue';
import type { RtcMember, StaffCaseView } from '../../../../typings/api/call';

/** What the call view's panels share: the case, and how to show a write's answer at once. */
export interface CallContext {
  caseId: string;
  view: Ref<StaffCaseView | null>;
  /** False once the case is released, redirected or handed back: the panels turn read-only. */
  active: Ref<boolean>;
  /** Show a StaffCaseView a write answered with (newer rev wins). */
  accept: (view: StaffCaseView) => void;
  /** Ask for the case again (after a write whose answer is not the whole view). */
  refresh: () => Promise<void>;
  /** "A 车" for 'A', "交警" for 'dispatcher': from the case's RTC members. */
  whoLabel: (who: string) => string;
}

const KEY: InjectionKey<CallContext> = Symbol('call');

export function provideCall(context: CallContext): void {
  provide(KEY, context);
}

export function useCall(): CallContext {
  const context = inject(KEY);
  if (!context) throw new Error('useCall() outside the call view');
  return context;
}

/** Messages from the desk carry `from: '交警'` (server/src/call/desk.routes.ts); the parties' carry their label. */
export const isDeskSender = (from: string) => from === '交警' || from === 'dispatcher';

export function labelFrom(members: readonly RtcMember[] | undefined, who: string): string {
  const member = members?.find((m) => m.who === who);
  if (member) return member.label;
  if (who === 'dispatcher') return '交警';
  return /^[A-Z]$/.test(who) ? `${who} 车` : who;
}
