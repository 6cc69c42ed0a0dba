/** `reviewer`: the city 支队's 复核 desk (the level above the brigades). */
export type StaffRole = 'dispatcher' | 'officer' | 'reviewer' | 'ops';
export type Role = 'driver' | StaffRole;

/** Where a driver stands with real-person verification (实人认证). Only `verified` may start or join a case. */
export type VerificationStatus = 'unverified' | 'pending_review' | 'verified' | 'rejected';

export interface WechatLoginRequest {
  /** The one-time code from `wx.login`. */
  code: string;
}

export interface DriverProfile {
  id: string;
  verification: VerificationStatus;
  createdAt: string;
}

export interface DriverSession {
  /** Short-lived JWT: send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  accessTokenExpiresAt: string;
  /** Opaque, single-use: exchange at /auth/refresh for a new pair before or after the access token expires. */
  refreshToken: string;
  refreshTokenExpiresAt: string;
  driver: DriverProfile;
}

export interface RefreshRequest {
  refreshToken: string;
}

/** Send the access token too (Authorization: Bearer): the session's access tokens stop working at once. */
export interface DriverLogoutRequest {
  refreshToken: string;
}

export interface StaffLoginRequest {
  username: string;
  password: string;
}

export interface StaffProfile {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  /** The brigade a dispatcher/officer works for; null for ops staff who see every brigade. */
  brigadeCode: string | null;
}

/** The session itself travels in an httpOnly cookie; this body only tells the page who is in. */
export interface StaffSession {
  staff: StaffProfile;
  expiresAt: string;
}

export interface OkResponse {
  ok: true;
}
