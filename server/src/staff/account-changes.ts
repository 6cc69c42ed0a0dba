import type { StaffRole } from '../../../typings/api/auth';
import type { UpdateStaffRequest } from '../../../typings/api/staff';
import { AppError, badRequest, conflict, notFound } from '../platform/errors';
import { generatePassword, hashPassword } from './passwords';
import { Staff } from './staff.model';
import { NEEDS_BRIGADE_MESSAGE, needsBrigade } from './staff.schemas';

/** What an account is, as far as an ops change decides anything on it. */
export interface AccountState {
  displayName: string;
  role: StaffRole;
  brigadeCode: string | null;
  disabled: boolean;
}

const changedElsewhere = () => conflict('该账号刚被其他人修改过，请刷新后重试');
const lastOps = () => new AppError(409, 'LAST_OPS_ACCOUNT', '这是最后一个启用的运维账号，不能改为其他角色或停用：请先为另一位运维建号');

const activeOps = (exceptId?: string) => Staff.exists({ role: 'ops', disabled: false, ...(exceptId ? { _id: { $ne: exceptId } } : {}) });

/**
 * Changes an account for ops user `by`. A new role, brigade or enabled state ends the account's sessions
 * (sessionVersion), so an open console cannot keep the old role's or brigade's view. Ops cannot demote
 * or disable themselves (they would lock themselves out mid-change), and the last enabled ops account
 * stays ops: nobody could manage accounts any more.
 */
export async function updateStaff(id: string, input: UpdateStaffRequest, by: string) {
  const staff = await Staff.findById(id).lean();
  if (!staff) throw notFound('账号不存在');
  const before: AccountState = { displayName: staff.displayName, role: staff.role, brigadeCode: staff.brigadeCode ?? null, disabled: staff.disabled };
  const after: AccountState = {
    displayName: input.displayName ?? before.displayName,
    role: input.role ?? before.role,
    brigadeCode: input.brigadeCode === undefined ? before.brigadeCode : input.brigadeCode,
    disabled: input.disabled ?? before.disabled,
  };
  if (needsBrigade(after.role) && !after.brigadeCode) throw badRequest(NEEDS_BRIGADE_MESSAGE, [{ path: 'brigadeCode', message: NEEDS_BRIGADE_MESSAGE }]);
  const leavesOps = before.role === 'ops' && !before.disabled && (after.role !== 'ops' || after.disabled);
  if (leavesOps && !(await activeOps(id))) throw lastOps();
  if (id === by && after.role !== before.role) throw new AppError(403, 'SELF_CHANGE_REFUSED', '不能更改自己的角色，请由另一位运维操作');
  if (id === by && after.disabled && !before.disabled) throw new AppError(403, 'SELF_CHANGE_REFUSED', '不能停用自己的账号，请由另一位运维操作');

  const endsSessions = after.role !== before.role || after.brigadeCode !== before.brigadeCode || after.disabled !== before.disabled;
  // Guarded on what was decided on: a colleague's change in between is a conflict, not overwritten.
  const written = await Staff.updateOne(
    { _id: id, role: before.role, brigadeCode: before.brigadeCode, disabled: before.disabled },
    { $set: after, ...(endsSessions ? { $inc: { sessionVersion: 1 } } : {}) },
  );
  if (written.matchedCount === 0) throw changedElsewhere();
  if (leavesOps && !(await activeOps())) {
    // Two ops demoting each other at once both passed the check above; whoever finds nobody left puts
    // theirs back (its sessions stay ended), so at least one enabled ops account always remains.
    await Staff.updateOne({ _id: id, role: after.role, disabled: after.disabled }, { $set: { role: before.role, disabled: before.disabled, brigadeCode: before.brigadeCode } });
    throw lastOps();
  }
  const saved = await Staff.findById(id).lean();
  if (!saved) throw notFound('账号不存在');
  return { staff: saved, before, after };
}

/**
 * A new generated initial password for the account, returned once for ops to hand over: only its hash
 * is stored, and the account's sessions end (someone who knew the old password is out). Not for one's
 * own account: the session showing the password would end with it.
 */
export async function resetStaffPassword(id: string, by: string, hashCost: number): Promise<{ username: string; password: string }> {
  if (id === by) throw new AppError(403, 'SELF_CHANGE_REFUSED', '不能重置自己的密码，请由另一位运维操作');
  const staff = await Staff.findById(id, { username: 1, passwordHash: 1 }).lean();
  if (!staff) throw notFound('账号不存在');
  const password = generatePassword();
  const passwordHash = await hashPassword(password, hashCost);
  // Two resets at once: only one password may win, and only its ops user is told one.
  const written = await Staff.updateOne({ _id: id, passwordHash: staff.passwordHash }, { $set: { passwordHash }, $inc: { sessionVersion: 1 } });
  if (written.matchedCount === 0) throw changedElsewhere();
  return { username: staff.username, password };
}
