/** The hand-off of a certificate to a party's insurer (发送给保险公司). */

export interface Insurer {
  code: string;
  name: string;
}

export interface InsurersResponse {
  items: Insurer[];
}

/** `POST /api/v1/matters/:id/insurer-handoff`: the party's recorded consent is required. */
export interface InsurerHandoffRequest {
  insurerCode: string;
  consent: true;
}

export type InsurerHandoffStatus = 'sending' | 'accepted' | 'failed';

export interface InsurerHandoffView {
  insurerCode: string;
  insurerName: string;
  status: InsurerHandoffStatus;
  /** The insurer's claim number once it accepted. */
  claimNo: string | null;
  consentAt: string;
  sentAt: string | null;
  /** In Chinese, when it failed (the driver may try again). */
  error: string | null;
}
