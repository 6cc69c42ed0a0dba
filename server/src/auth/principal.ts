import type { Role, StaffRole } from '../../../typings/api/auth';

/** Who is making the request, once authenticated. */
export type Principal =
  | { kind: 'driver'; id: string; role: 'driver' }
  | { kind: 'staff'; id: string; role: StaffRole; username: string; brigadeCode: string | null; /** The name drivers see. */ displayName: string };

declare module 'koa' {
  interface DefaultState {
    /** Set by requireRole(); present in every handler mounted behind it. */
    principal: Principal;
  }
}

export type { Role };
