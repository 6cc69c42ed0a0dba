import { MessagePlugin } from 'tdesign-vue-next';

/**
 * Toasts for the call view: below the call bar, not over it, so the 5-minute clock and the release
 * button stay readable while confirmations come and go.
 */
const OFFSET = [0, 136];

export const notify = {
  success: (content: string) => void MessagePlugin.success({ content, offset: OFFSET, duration: 2500 }),
  info: (content: string) => void MessagePlugin.info({ content, offset: OFFSET, duration: 3000 }),
  warning: (content: string) => void MessagePlugin.warning({ content, offset: OFFSET, duration: 4000 }),
  error: (content: string) => void MessagePlugin.error({ content, offset: OFFSET, duration: 5000 }),
};
