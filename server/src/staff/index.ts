/**
 * staff — the accounts of dispatchers, officers, reviewers and ops, their passwords, and who is on
 * duty. auth reads and bumps the account on login and logout, so the model is part of the face.
 */
export { Staff } from './staff.model';
export type { StaffDocument } from './staff.model';
export { decoyPasswordHash, verifyPassword } from './passwords';
export { createStaff, listStaff, officerBadge, staffDisplayName, toStaffProfile } from './staff.service';
export { resetStaffPassword, updateStaff } from './account-changes';
export { createStaffSchema, updateStaffSchema } from './staff.schemas';
export { markSeen } from './presence.service';
export { onDutyStaff } from './on-duty';
export type { OnDutyPerson } from './on-duty';
export { dutyHours, recordDutyHour, StaffDutyHour, topOfHour } from './duty-log';
export type { DutyHour } from './duty-log';
