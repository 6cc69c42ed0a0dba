import jwt from 'jsonwebtoken';
import type { StaffRole } from '../../../typings/api/auth';
import { AppError, unauthenticated } from '../platform/errors';

/** Claims we sign. `typ` keeps a driver token from being replayed as a staff session and vice versa. */
export type TokenClaims =
  | { typ: 'driver_access'; sub: string; role: 'driver' }
  | { typ: 'staff_session'; sub: string; role: StaffRole; ver: number };

export interface SignedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenService {
  signDriverAccess(driverId: string): SignedToken;
  signStaffSession(staffId: string, role: StaffRole, sessionVersion: number): SignedToken;
  /** The claims, with `exp` (seconds since the epoch) as signed. */
  verify<T extends TokenClaims['typ']>(token: string, typ: T): Extract<TokenClaims, { typ: T }> & { exp: number };
}

export interface TokenOptions {
  secret: string;
  issuer: string;
  driverAccessTtlSeconds: number;
  staffSessionTtlSeconds: number;
  now?: () => number;
}

const ALGORITHM = 'HS256';

export function createTokenService(options: TokenOptions): TokenService {
  const now = options.now ?? Date.now;
  const sign = (claims: TokenClaims, ttlSeconds: number): SignedToken => {
    const iat = Math.floor(now() / 1000);
    const { sub, ...rest } = claims;
    const token = jwt.sign({ ...rest, iat }, options.secret, {
      algorithm: ALGORITHM,
      issuer: options.issuer,
      subject: sub,
      expiresIn: ttlSeconds,
    });
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  };

  return {
    signDriverAccess: (driverId) => sign({ typ: 'driver_access', sub: driverId, role: 'driver' }, options.driverAccessTtlSeconds),
    signStaffSession: (staffId, role, ver) => sign({ typ: 'staff_session', sub: staffId, role, ver }, options.staffSessionTtlSeconds),
    verify(token, typ) {
      let claims: jwt.JwtPayload;
      try {
        claims = jwt.verify(token, options.secret, {
          algorithms: [ALGORITHM],
          issuer: options.issuer,
          clockTimestamp: Math.floor(now() / 1000),
        }) as jwt.JwtPayload;
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError) throw new AppError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
        throw unauthenticated('登录凭证无效，请重新登录');
      }
      if (claims.typ !== typ || typeof claims.sub !== 'string') throw unauthenticated('登录凭证无效，请重新登录');
      return claims as unknown as Extract<TokenClaims, { typ: typeof typ }> & { exp: number };
    },
  };
}
