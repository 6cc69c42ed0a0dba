import type { DriverProfile, DriverSession, VerificationStatus, VerificationStatusResponse } from '../../typings';

export function driver(verification: VerificationStatus = 'verified'): DriverProfile {
  return { id: 'drv_1', verification, createdAt: '2025-05-28T00:00:00.000Z' };
}

/** A session as the server issues it; `n` tells generations apart (access-1, refresh-1, …). */
export function session(n: number, verification: VerificationStatus = 'verified'): DriverSession {
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: '2099-01-01T00:15:00.000Z',
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: '2099-01-31T00:00:00.000Z',
    driver: driver(verification),
  };
}

/** GET /api/v1/verification as the server answers it; unverified with no profile unless told. */
export function verificationStatus(overrides: Partial<VerificationStatusResponse> = {}): VerificationStatusResponse {
  return {
    status: 'unverified',
    method: null,
    verifiedAt: null,
    maskedName: null,
    maskedIdNumber: null,
    faceFailures: 0,
    fallbacks: [],
    agreementVersion: '2025-05-v1',
    review: null,
    ...overrides,
  };
}

/** Stored session, so pages skip wx.login. */
export function signedIn(verification: VerificationStatus = 'unverified'): void {
  wx.setStorageSync('driverSession', session(1, verification));
}
