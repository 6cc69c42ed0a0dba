import type { StaffProfile, StaffRole } from './auth';

export interface StaffListResponse {
  items: (StaffProfile & { disabled: boolean; createdAt: string })[];
}

export interface CreateStaffRequest {
  username: string;
  displayName: string;
  role: StaffRole;
  brigadeCode?: string | null;
  /** At least 12 characters. */
  password: string;
}

export interface UpdateStaffRequest {
  displayName?: string;
  brigadeCode?: string | null;
  /** Disabling ends every session of the account at once. */
  disabled?: boolean;
}
