import type { RegistryClient } from '../clients/registry/registry-client';
import type { SmsClient } from '../clients/sms/sms-client';
import type { IdCipher } from '../identity';
import type { CaseServices, CaseSnapshot } from '../cases';

/** What the call desk needs beyond the platform: the recorder, the registry, SMS, and ID numbers in the clear for the checks. */
export interface CallServices extends CaseServices {
  recording: RecordingService;
  registry: RegistryClient;
  sms: SmsClient;
  idCipher: IdCipher;
}

export interface RecordingService {
  /** Starts cloud recording of the case's channel (on answer); stored on the case. */
  start(services: CallServices, c: CaseSnapshot): Promise<void>;
  /** Stops it (on release or redirect) and stores the returned file list on the case. */
  stop(services: CallServices, c: CaseSnapshot): Promise<void>;
  /** Fixes the stopped recording's manifest as evidence (idempotent: keyed by the recording's sid). */
  fixManifest(services: CallServices, c: CaseSnapshot): Promise<void>;
}
