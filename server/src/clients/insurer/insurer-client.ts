import { fetchJson, joinUrl } from '../http/fetch-json';

/**
 * The insurer gateway. Its protocol is the project's own (docs/contracts/insurer.md): a gateway in front
 * of each insurer's claim intake. `POST /v1/claims` with an Idempotency-Key → `{ code: 0, claimNo }`.
 * A 429 or 5xx answer, a timeout or an unreadable body is an UpstreamUnavailableError (fetchJson); any
 * other non-zero code is an InsurerApiError carrying it.
 */
export const INSURER_CODE = {
  OK: 0,
  BAD_REQUEST: 40001,
  UNAUTHORISED: 40101,
  UNKNOWN_POLICY: 40401,
  KEY_REUSED: 40901,
  RATE_LIMITED: 42901,
  INSURER_DOWN: 50001,
} as const;

export interface InsurerClaim {
  insurerCode: string;
  certificate: { number: string; verifyUrl: string; pdfBase64: string; pdfSha256: string };
  evidence: { id: string; kind: string; sha256: string }[];
  /** Only the party who consented; `phoneMasked` null when no phone is on record. */
  party: { label: string; name: string; phoneMasked: string | null; plate: string; policyNo: string };
  consentAt: string;
}

export interface ClaimAccepted {
  claimNo: string;
  /** The insurer had this Idempotency-Key already: the first claim's number. */
  replayed: boolean;
}

export class InsurerApiError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(`insurer code ${code}: ${detail}`);
    this.name = 'InsurerApiError';
  }
}

export interface InsurerClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

export class InsurerClient {
  constructor(private readonly options: InsurerClientOptions) {}

  async submitClaim(claim: InsurerClaim, idempotencyKey: string): Promise<ClaimAccepted> {
    const body = await fetchJson<{ code?: unknown; message?: unknown; claimNo?: unknown; replayed?: unknown }>(joinUrl(this.options.baseUrl, '/v1/claims'), {
      service: 'insurer',
      method: 'POST',
      body: claim,
      headers: { authorization: `Bearer ${this.options.token}`, 'idempotency-key': idempotencyKey },
      timeoutMs: this.options.timeoutMs,
    });
    const code = typeof body.code === 'number' ? body.code : -1;
    const message = typeof body.message === 'string' ? body.message : 'no message';
    if (code !== INSURER_CODE.OK) throw new InsurerApiError(code, message);
    // A success without a claim number is no success: the party would have nothing to quote.
    if (typeof body.claimNo !== 'string' || !body.claimNo) throw new InsurerApiError(code, 'answer without claimNo');
    return { claimNo: body.claimNo, replayed: body.replayed === true };
  }
}
