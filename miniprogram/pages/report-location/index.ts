/**
 * 事故地点 (ROUTES.reportLocation). Locates the phone in GCJ-02 as soon as the page opens:
 * permission never asked → wx.authorize (the dialog shows app.json's permission text); refused
 * before → how to allow it again, with a button to the settings page (wx.openSetting); the phone's
 * location service off, or a timeout → what to do, and 重新定位. Shows the accuracy; the driver may
 * move a map pin to the exact spot (wx.chooseLocation). 下一步 keeps the location for the case.
 */
import type { LocationInput } from '../../../typings';
import { ROUTES } from '../../routes';
import {
  LOCATE_MESSAGES,
  LocateError,
  type LocateFailure,
  authorizeLocation,
  currentLocation,
  locationPermission,
  openLocationSetting,
  pinOnMap,
} from '../../utils/location';
import { loadFlow, updateFlow } from '../../utils/reportFlow';

type Phase = 'locating' | 'located' | LocateFailure;

/** Page instances with a fix under way. */
const locating = new WeakSet<object>();

/** Worse than this, the driver is told the fix is rough and offered the map. */
const ROUGH_ACCURACY_M = 100;

function accuracyText(location: LocationInput): string {
  if (location.confirmedOnMap) return '已在地图上确认位置';
  return `定位精度约 ${location.accuracyM} 米${location.accuracyM > ROUGH_ACCURACY_M ? '，不太准确，建议在地图上确认' : ''}`;
}

Component({
  data: {
    phase: 'locating' as Phase,
    message: '',
    accuracyText: '',
    rough: false,
    coords: '',
    locationLabel: '',
    canOpenSystemSetting: false,
    hint: '',
  },

  lifetimes: {
    attached(): void {
      void this.locate();
    },
  },

  pageLifetimes: {
    // Back from the phone's own settings (location service switched on, say): try again by itself.
    // (Back from wx.openSetting is handled by its callback.)
    show(): void {
      if (this.data.phase === 'system_off') void this.locate();
    },
  },

  methods: {
    async locate(): Promise<void> {
      if (locating.has(this)) return; // one fix at a time
      locating.add(this);
      this.setData({ phase: 'locating', message: '', hint: '' });
      try {
        const permission = await locationPermission();
        if (permission === false) throw new LocateError('denied');
        if (permission === undefined) await authorizeLocation();
        this.showFix(await currentLocation(), '');
      } catch (err) {
        this.fail(err);
      } finally {
        locating.delete(this);
      }
    },

    showFix(location: LocationInput, label: string): void {
      updateFlow({ location, locationLabel: label });
      this.setData({
        phase: 'located',
        message: '',
        accuracyText: accuracyText(location),
        rough: !location.confirmedOnMap && location.accuracyM > ROUGH_ACCURACY_M,
        coords: `${location.lat.toFixed(5)}, ${location.lng.toFixed(5)}`,
        locationLabel: label,
      });
    },

    fail(err: unknown): void {
      const kind: LocateFailure = err instanceof LocateError ? err.kind : 'failed';
      this.setData({
        phase: kind,
        message: LOCATE_MESSAGES[kind],
        canOpenSystemSetting: kind === 'system_off' && typeof wx.openAppAuthorizeSetting === 'function',
      });
    },

    onRetryTap(): Promise<void> {
      return this.locate();
    },

    async onOpenSettingTap(): Promise<void> {
      const allowed = await openLocationSetting();
      if (allowed) await this.locate();
      else this.setData({ hint: '还没有打开「位置信息」，请在设置页中打开后返回' });
    },

    onOpenSystemSettingTap(): void {
      wx.openAppAuthorizeSetting({ fail: () => this.setData({ hint: '请在手机「设置」中找到微信，允许使用位置信息' }) });
    },

    async onMapTap(): Promise<void> {
      const current = loadFlow().location;
      if (!current) return;
      try {
        const pinned = await pinOnMap(current);
        if (pinned) this.showFix(pinned.location, pinned.label);
      } catch (err) {
        this.fail(err);
      }
    },

    onNextTap(): void {
      if (this.data.phase !== 'located' || !loadFlow().location) return;
      wx.navigateTo({ url: ROUTES.reportQuestions, fail: () => this.setData({ hint: '页面打开失败，请稍后再试' }) });
    },
  },
});
