// Types only: the mini-program imports these with `import type`, and anything with a runtime value
// here would not exist inside the mini-program package. typings/typings.test.ts enforces it.
export type * from './api/auth';
export type * from './api/cases';
export type * from './api/certificates';
export type * from './api/endpoints';
export type * from './api/eligibility';
export type * from './api/errors';
export type * from './api/health';
export type * from './api/staff';
export type * from './api/verification';
export type * from './api/decisions';
export type * from './api/matters';
export type * from './api/reviews';
export type * from './api/insurers';
export type * from './api/audit';
