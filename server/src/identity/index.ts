/**
 * identity — 实人认证: the driver's name, ID number (sealed) and phone, face and SMS verification,
 * the manual review of ID photos, and the guard for routes that need a verified driver.
 */
export { requireVerifiedDriver } from './require-verified';
export { createIdCipher } from './id-cipher';
export type { IdCipher } from './id-cipher';
export { certificateIdentityOf, maskPhone, sealedIdNumberOf, verifiedPhoneOf } from './identity-lookup';
export { purgeExpiredIdPhotos } from './manual-review';
export { identityReviewRoutes } from './identity-review.routes';
export { verificationRoutes } from './verification.routes';
