import { fetchJson, joinUrl } from '../http/fetch-json';

/**
 * The SMS gateway. Its protocol is the project's own (docs/contracts/README.md → SMS): a police SMS
 * platform or a vendor account sits behind a gateway the deployer maps onto it.
 * `POST /v1/messages` `{ phone, template, params }` → `{ code: 0, messageId }`.
 */
export type SmsTemplate = 'verification_code' | 'case_answered' | 'case_released' | 'case_decided' | 'review_concluded';

export const SMS_CODE = { OK: 0, BAD_REQUEST: 40001, UNAUTHORISED: 40101, RATE_LIMITED: 42901, INTERNAL: 50001 } as const;

export class SmsApiError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(`sms code ${code}: ${detail}`);
    this.name = 'SmsApiError';
  }
}

export interface SmsClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

export class SmsClient {
  constructor(private readonly options: SmsClientOptions) {}

  async send(phone: string, template: SmsTemplate, params: Record<string, string>): Promise<string> {
    const body = await fetchJson<{ code: number; message: string; messageId?: string }>(joinUrl(this.options.baseUrl, '/v1/messages'), {
      service: 'sms',
      method: 'POST',
      body: { phone, template, params },
      headers: { authorization: `Bearer ${this.options.token}` },
      timeoutMs: this.options.timeoutMs,
    });
    if (body.code !== SMS_CODE.OK || !body.messageId) throw new SmsApiError(body.code, body.message);
    return body.messageId;
  }
}
