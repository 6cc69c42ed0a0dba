import type { DriverProfile, DriverSession, VerificationStatus } from '../../typings';

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
