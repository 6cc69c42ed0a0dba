/**
 * The licence / vehicle / compulsory-insurance registry. Its protocol is this project's own (the real
 * back-office systems sit behind a gateway the deployer maps onto it): see docs/contracts/registry.md.
 * Every answer is `{ code, message, data? }`; `code` 0 is success.
 */
export interface RegistryEnvelope<T> {
  code: number;
  message: string;
  data?: T;
}

export const REGISTRY_CODE = {
  OK: 0,
  BAD_REQUEST: 40001,
  UNAUTHORISED: 40101,
  NOT_FOUND: 40401,
  RATE_LIMITED: 42901,
  INTERNAL: 50001,
} as const;

export type LicenceStatus = 'valid' | 'suspended' | 'revoked' | 'expired';
export type VehicleStatus = 'normal' | 'seized' | 'scrapped' | 'stolen' | 'mortgaged';

export interface LicenceRecord {
  licenceNo: string;
  name: string;
  /** 准驾车型, e.g. ["C1"]. */
  classes: string[];
  status: LicenceStatus;
  validFrom: string;
  validUntil: string;
  reservedPhone: string;
}

export interface VehicleRecord {
  plate: string;
  /** GA 24.7 号牌种类, e.g. "02" small car. */
  plateType: string;
  /** GA 24.4 车辆类型, e.g. "K33". */
  vehicleType: string;
  ownerName: string;
  status: VehicleStatus;
  inspectionValidUntil: string;
  reservedPhone: string;
}

export interface InsuranceRecord {
  policyNo: string;
  insurer: string;
  plate: string;
  validFrom: string;
  validUntil: string;
}

export interface LicenceQuery {
  idNumber: string;
}
export interface VehicleQuery {
  plate: string;
  plateType: string;
}
export interface InsuranceQuery {
  plate: string;
  plateType: string;
  /** The accident date, YYYY-MM-DD, Asia/Shanghai. */
  date: string;
}
