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

  // Reporting an accident, in order. A case ends on the waiting page (or the result page when the
  // service cannot take it); the other parties join with the reporter's code.
  /** 现场安全确认: hazard lights, warning triangle, people off the road. */
  reportSafety: '/pages/report-safety/index',
  /** 事故地点: permission, GPS fix (GCJ-02), optional map pin. */
  reportLocation: '/pages/report-location/index',
  /** 事故情况: the §13 questions and the reporter's plate; eligibility check; creates the case. */
  reportQuestions: '/pages/report-questions/index',
  /** Not eligible: every reason, and what to do instead (122 …). */
  reportResult: '/pages/report-result/index',
  /** `?caseId=`: queue position, estimate, join code, parties, cancel. */
  reportWaiting: '/pages/report-waiting/index',
  /** Other parties: join a case with its 6-character code (typed or scanned). `?code=` pre-fills it. */
  reportJoin: '/pages/report-join/index',
  /** `?caseId=`: the video call: recording consent, camera, guided shots, my info, chat, release. */
  call: '/pages/call/index',

  // After the call.
  /** 网办进度: every matter of the driver with its steps, the decision, the 认定书, 复核 and the insurer hand-off. */
  progress: '/pages/progress/index',
  /** `?caseId=`: the written 复核 application (request, reasons, photos) within the window. */
  review: '/pages/review/index',
} as const;

/**
 * Routes named ahead of their page: not in app.json yet, so nothing navigates there (a navigation
 * would fail on the phone). Take a route out of here when its page is added to app.json; the app
 * config test checks the two agree.
 */
export const PENDING_ROUTES: ReadonlySet<string> = new Set<string>([]);
