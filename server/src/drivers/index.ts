/**
 * drivers — the driver record (one per WeChat openid). identity writes its verification fields, so the
 * model itself is part of the face.
 */
export { Driver } from './driver.model';
export type { DriverDocument } from './driver.model';
export { getDriver, toDriverProfile, upsertDriverByOpenid } from './driver.service';
