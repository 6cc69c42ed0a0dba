/** Page paths in one place, so a moved page breaks here and not in a navigateTo string. */
export const ROUTES = {
  home: '/pages/home/index',
  /** 我的: the driver's own matters, including 实人认证 for existing online users. */
  me: '/pages/me/index',
  /** Real-person verification (实人认证): status, profile form, face check. `?entry=existing_user` from 我的. */
  verify: '/pages/verify/index',
  /** Fallback after failed face checks: a code sent to the phone reserved with the traffic police. */
  verifySms: '/pages/verify-sms/index',
  /** Fallback: photos of both sides of the ID card for manual review (also after a rejection). */
  verifyPhotos: '/pages/verify-photos/index',
} as const;
