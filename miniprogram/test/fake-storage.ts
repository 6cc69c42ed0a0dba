/**
 * wx storage in memory, with the phone's semantics that matter to us: values survive between calls
 * and come back as copies (WeChat serialises them), a missing key reads as ''.
 */
const store = new Map<string, string>();

export function installFakeStorage(): void {
  wx.setStorageSync = ((key: string, data: unknown) => {
    store.set(key, JSON.stringify(data));
  }) as typeof wx.setStorageSync;
  wx.getStorageSync = ((key: string) => {
    const raw = store.get(key);
    return raw === undefined ? '' : JSON.parse(raw);
  }) as typeof wx.getStorageSync;
  wx.removeStorageSync = ((key: string) => {
    store.delete(key);
  }) as typeof wx.removeStorageSync;
  wx.clearStorageSync = (() => store.clear()) as typeof wx.clearStorageSync;
}
