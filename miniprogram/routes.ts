/** Page paths in one place, so a moved page breaks here and not in a navigateTo string. */
export const ROUTES = {
  home: '/pages/home/index',
  /** Real-person verification (实人认证); built in a later issue. Callers must handle its absence. */
  verify: '/pages/verify/index',
} as const;
