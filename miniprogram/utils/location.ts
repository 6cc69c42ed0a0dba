/**
 * The accident's position from the phone: the `scope.userLocation` permission, wx.getLocation in
 * GCJ-02 (what the server and every map in China use), and a map pin (wx.chooseLocation) when the
 * fix is too coarse. Each wx callback API is wrapped once here, with its failures sorted into what
 * the driver can do about them.
 */
import type { LocationInput } from '../../typings';

/** What went wrong, by what the driver has to do. */
export type LocateFailure =
  | 'denied' // the driver refused this mini-program the location: only 设置 can undo it
  | 'system_off' // the phone's location service is off, or WeChat itself may not use it
  | 'timeout' // no fix in time (indoors, tunnel, under a flyover)
  | 'privacy' // the mini-program's privacy notice was not accepted
  | 'failed'; // anything else: try again

export const LOCATE_MESSAGES: Record<LocateFailure, string> = {
  denied: '您没有允许小程序使用位置信息，无法确定事故地点。请在设置中打开「位置信息」后重试。',
  system_off: '手机的定位服务没有打开。请在手机「设置」中打开定位服务（GPS），并允许微信使用位置信息，然后点「重新定位」。',
  timeout: '定位超时。请到开阔的地方（避开桥下、隧道）后点「重新定位」。',
  privacy: '需要您同意隐私保护指引后才能定位，请点「重新定位」并同意。',
  failed: '定位没有成功，请点「重新定位」再试一次。',
};

export class LocateError extends Error {
  readonly kind: LocateFailure;
  constructor(kind: LocateFailure, errMsg = '') {
    super(errMsg || kind);
    Object.setPrototypeOf(this, LocateError.prototype);
    this.name = 'LocateError';
    this.kind = kind;
  }
}

/**
 * Sorts a wx errMsg. Seen on phones: `getLocation:fail auth deny`, `authorize:fail auth deny`,
 * `getLocation:fail authorize no response`, `getLocation:fail system permission denied` (iOS:
 * WeChat may not use location), `getLocation:fail:ERROR_NOCELL&WIFI_LOCATIONSWITCHOFF` (Android:
 * location switched off), `getLocation:fail timeout`, `getLocation:fail privacy permission is not
 * authorized`.
 */
export function classifyLocationError(errMsg: string): LocateFailure {
  const msg = errMsg.toLowerCase();
  if (msg.includes('privacy')) return 'privacy';
  if (msg.includes('system permission') || msg.includes('switchoff') || msg.includes('location service') || msg.includes('locationswitch')) return 'system_off';
  if (msg.includes('auth den') || msg.includes('auth deny') || msg.includes('authorize no response') || msg.includes('permission denied')) return 'denied';
  if (msg.includes('timeout') || msg.includes('time out')) return 'timeout';
  return 'failed';
}

/** The stored answer for `scope.userLocation`: true, false (refused before) or undefined (never asked). */
export function locationPermission(): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    wx.getSetting({
      success: (res) => resolve(res.authSetting['scope.userLocation']),
      fail: () => resolve(undefined), // unknown: ask, and let authorize's own answer decide
    });
  });
}

/** Asks for `scope.userLocation` (the system dialog shows app.json's permission desc). */
export function authorizeLocation(): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.authorize({
      scope: 'scope.userLocation',
      success: () => resolve(),
      fail: (err) => {
        const kind = classifyLocationError(err.errMsg);
        // A refusal by any other wording is still a refusal: only 设置 can undo it.
        reject(new LocateError(kind === 'failed' || kind === 'timeout' ? 'denied' : kind, err.errMsg));
      },
    });
  });
}

/** Opens the mini-program's settings page; resolves with whether location is allowed afterwards. */
export function openLocationSetting(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.openSetting({
      success: (res) => resolve(res.authSetting['scope.userLocation'] === true),
      fail: () => resolve(false),
    });
  });
}

/** Our own limit on top of wx.getLocation's: some phones never call back without a fix. */
export const LOCATE_TIMEOUT_MS = 20000;
/** How long the phone may spend improving the fix (high-accuracy mode). */
const HIGH_ACCURACY_MS = 5000;

/** One GCJ-02 fix. Rejects with a LocateError. */
export function currentLocation(): Promise<LocationInput> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const watchdog = setTimeout(() => {
      settled = true;
      reject(new LocateError('timeout'));
    }, LOCATE_TIMEOUT_MS);
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      fn();
    };
    wx.getLocation({
      type: 'gcj02',
      isHighAccuracy: true,
      highAccuracyExpireTime: HIGH_ACCURACY_MS,
      success: (res) =>
        settle(() =>
          resolve({
            lat: res.latitude,
            lng: res.longitude,
            coordType: 'gcj02',
            // Some phones report 0 or nothing: say "unknown" as the coarsest plausible value.
            accuracyM: res.accuracy > 0 ? Math.round(res.accuracy) : 1000,
          }),
        ),
      fail: (err) => settle(() => reject(new LocateError(classifyLocationError(err.errMsg), err.errMsg))),
    });
  });
}

export interface PinnedPlace {
  location: LocationInput;
  /** What the map calls the spot, e.g. 「江门市蓬江区建设路」. */
  label: string;
}

/**
 * The driver puts the pin on the spot (wx.chooseLocation, GCJ-02), starting from `near`. null when
 * they back out. The accuracy stays that of the GPS fix; `confirmedOnMap` says a person checked it.
 */
export function pinOnMap(near: LocationInput): Promise<PinnedPlace | null> {
  return new Promise((resolve, reject) => {
    wx.chooseLocation({
      latitude: near.lat,
      longitude: near.lng,
      success: (res) =>
        resolve({
          location: { lat: res.latitude, lng: res.longitude, coordType: 'gcj02', accuracyM: near.accuracyM, confirmedOnMap: true },
          label: [res.name, res.address].filter((s) => Boolean(s && s.trim())).join('，'),
        }),
      fail: (err) => {
        if (/cancel/i.test(err.errMsg)) resolve(null);
        else reject(new LocateError(classifyLocationError(err.errMsg), err.errMsg));
      },
    });
  });
}
