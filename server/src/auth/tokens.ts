import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { StaffRole } from '../../../typings/api/auth';
import { AppError, unauthenticated } from '../platform/errors';

/**
 * Claims we sign. `typ` keeps a driver token from being replayed as a staff session and vice versa.
 * A driver token names its session (`sid`, the refresh-token family), so logging out can end it early.
 * A login-device token is the "this browser signed in as `sub`" cookie (see staff-login.ts).
 */
export type TokenClaims =
  | { typ: 'driver_access'; sub: string; role: 'driver'; sid: string }
  | { typ: 'staff_session'; sub: string; role: StaffRole; ver: number }
  | { typ: 'login_device'; sub: string; jti: string };

export interface SignedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenService {
  signDriverAccess(driverId: string, sessionId: string): SignedToken;
  signStaffSession(staffId: string, role: StaffRole, sessionVersion: number): SignedToken;
  /** A fresh device id (`jti`) for `username` on one browser. */
  signLoginDevice(username: string): SignedToken;
  /** The claims, with `exp` (seconds since the epoch) as signed. */
  verify<T extends TokenClaims['typ']>(token: string, typ: T): Extract<TokenClaims, { typ: T }> & { exp: number };
}

export interface TokenOptions {
  secret: string;
  issuer: string;
  driverAccessTtlSeconds: number;
  staffSessionTtlSeconds: number;
  loginDeviceTtlSeconds: number;
  now?: () => number;
}

const ALGORITHM = 'HS256';

/** What each type must carry besides `sub`; a token missing one is not ours to honour. */
const REQUIRED: Record<TokenClaims['typ'], (claims: jwt.JwtPayload) => boolean> = {
  driver_access: (c) => c.role === 'driver' && typeof c.sid === 'string',
  staff_session: (c) => typeof c.role === 'string' && typeof c.ver === 'number',
  login_device: (c) => typeof c.jti === 'string',
};

export function createTokenService(options: TokenOptions): TokenService {
  const now = options.now ?? Date.now;
  // Made once: given the string, jsonwebtoken first tries to parse it as a PEM public key (and fails)
  // on every verify — measured as the costliest step of every authenticated request under load.
  const key = createSecretKey(Buffer.from(options.secret));
  const sign = (claims: TokenClaims, ttlSeconds: number): SignedToken => {
    const iat = Math.floor(now() / 1000);
    const { sub, ...rest } = claims;
    const token = jwt.sign({ ...rest, iat }, key, {
      algorithm: ALGORITHM,
      issuer: options.issuer,
      subject: sub,
      expiresIn: ttlSeconds,
    });
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  };
  const invalid = () => unauthenticated('登录凭证无效，请重新登录');

  return {
    signDriverAccess: (driverId, sid) => sign({ typ: 'driver_access', sub: driverId, role: 'driver', sid }, options.driverAccessTtlSeconds),
    signStaffSession: (staffId, role, ver) => sign({ typ: 'staff_session', sub: staffId, role, ver }, options.staffSessionTtlSeconds),
    signLoginDevice: (username) => sign({ typ: 'login_device', sub: username, jti: randomUUID() }, options.loginDeviceTtlSeconds),
    verify(token, typ) {
      let claims: jwt.JwtPayload;
      try {
        claims = jwt.verify(token, key, {
          algorithms: [ALGORITHM],
          issuer: options.issuer,
          clockTimestamp: Math.floor(now() / 1000),
        }) as jwt.JwtPayload;
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError) throw new AppError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
        throw invalid();
      }
      // jsonwebtoken accepts a token without `exp` as valid forever; we never sign one, so it is forged or foreign.
      if (typeof claims.exp !== 'number' || claims.typ !== typ || typeof claims.sub !== 'string' || !REQUIRED[typ](claims)) throw invalid();
      return claims as unknown as Extract<TokenClaims, { typ: typeof typ }> & { exp: number };
    },
  };
}
