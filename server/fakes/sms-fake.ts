import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { SMS_CODE } from '../src/clients/sms/sms-client';
import { FakeService } from './fake-service';

export interface SentMessage {
  messageId: string;
  phone: string;
  template: string;
  params: Record<string, string>;
  at: Date;
}

const TEMPLATES = new Set(['verification_code', 'case_answered', 'case_released', 'case_decided', 'review_concluded']);
/** Like carriers' own limits: one message per phone per template a minute. */
const PER_PHONE_INTERVAL_MS = 60_000;

/** The SMS gateway: keeps every message "delivered", so a test can read the code a phone received. */
export class SmsFake extends FakeService {
  readonly outbox: SentMessage[] = [];
  now: () => number = Date.now;

  constructor(private readonly token: string) {
    super('sms');
  }

  /** The last message a phone received. */
  lastTo(phone: string): SentMessage | undefined {
    return this.outbox.filter((m) => m.phone === phone).at(-1);
  }

  protected override resetState(): void {
    this.outbox.length = 0;
  }

  protected routes(router: Router): void {
    router.post('/v1/messages', this.api('send', (ctx) => this.send(ctx)));
  }

  protected override controlRoutes(router: Router): void {
    router.get('/sms/outbox', (ctx) => {
      ctx.body = { messages: this.outbox };
    });
  }

  private send(ctx: Context) {
    if (ctx.get('authorization') !== `Bearer ${this.token}`) {
      ctx.status = 401;
      return { code: SMS_CODE.UNAUTHORISED, message: 'unauthorised' };
    }
    const { phone, template, params } = (ctx.request as { body?: Record<string, any> }).body ?? {};
    if (typeof phone !== 'string' || !/^1[3-9]\d{9}$/.test(phone)) return { code: SMS_CODE.BAD_REQUEST, message: 'phone invalid' };
    if (!TEMPLATES.has(template)) return { code: SMS_CODE.BAD_REQUEST, message: 'unknown template' };
    const last = this.outbox.filter((m) => m.phone === phone && m.template === template).at(-1);
    if (last && this.now() - last.at.getTime() < PER_PHONE_INTERVAL_MS) return { code: SMS_CODE.RATE_LIMITED, message: 'too frequent' };
    const message = { messageId: randomUUID(), phone, template, params: params ?? {}, at: new Date(this.now()) };
    this.outbox.push(message);
    return { code: SMS_CODE.OK, message: 'ok', messageId: message.messageId };
  }
}
