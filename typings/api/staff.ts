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
