/**
 * auth — who is asking. Tokens and sessions for drivers (WeChat login) and staff (password, cookie),
 * the one guard every route stands behind (requireRole), and the staff live streams a logout ends.
 */
export { requireRole } from './require-role';
export type { Principal } from './principal';
export { createTokenService } from './tokens';
export { listenForRevocations } from './revoked-sessions';
export type { TokenService } from './tokens';
export { closeStaffStreams, openStaffStream } from './staff-stream';
export { driverAuthRoutes } from './driver-auth.routes';
export { driverRoutes } from './driver-profile.routes';
export { staffAuthRoutes } from './staff-auth.routes';
