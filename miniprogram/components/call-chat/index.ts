/**
 * 文字交流: the messages of the case and a line to write to the officer (weak signal, hard of
 * hearing). 发送 POSTs the message — the same text sent again after a failure keeps its
 * Idempotency-Key, so it arrives once — and emits `sent` with it for the page to list.
 */
import type { MessageView } from '../../pages/call/views';
import { userMessage } from '../../utils/errors';
import { newIdempotencyKey } from '../../utils/id';
import { apiWith } from '../../utils/request';

/** The key kept while the driver retries the same text, per component instance. */
const chatKeys = new WeakMap<object, string>();

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    caseId: { type: String, value: '' },
    messages: { type: Array, value: [] as MessageView[] },
  },

  data: {
    chatText: '',
    sending: false,
    chatError: '',
  },

  methods: {
    onChatChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      chatKeys.delete(this); // a different text is a different message
      this.setData({ chatText: e.detail.value ?? '', chatError: '' });
    },

    async onChatSendTap(): Promise<void> {
      const text = this.data.chatText.trim();
      if (!text || this.data.sending) return;
      const key = chatKeys.get(this) ?? newIdempotencyKey();
      chatKeys.set(this, key);
      this.setData({ sending: true, chatError: '' });
      try {
        const message = await apiWith('POST /api/v1/cases/:id/messages', { params: { id: this.data.caseId }, idempotencyKey: key }, { text });
        chatKeys.delete(this);
        this.setData({ sending: false, chatText: '' });
        this.triggerEvent('sent', message);
      } catch (err) {
        this.setData({ sending: false, chatError: userMessage(err) });
      }
    },
  },
});
