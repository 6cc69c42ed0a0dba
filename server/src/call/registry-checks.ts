import { DateTime } from 'luxon';
import type { CheckResult } from '../../../typings/api/call';
import type { RegistryClient } from '../clients/registry/registry-client';
import type { LicenceRecord, VehicleRecord } from '../clients/registry/registry.types';
import { SERVICE_TIME_ZONE } from '../platform/time';

/**
 * Back-office checks of one party (licence, vehicle, 交强险) against the registry. Each result says what
 * was found, where from and when; any failure blocks release under this procedure (release-rules.ts).
 */
export interface PartyForChecks {
  label: string;
  /** The verified person's ID number (from 实人认证), for the licence query. */
  idNumber: string | null;
  /** The licence number shown on the call (a Chinese licence number is the holder's ID number). */
  licenceNo: string | null;
  plate: string;
  plateType: string | null;
}

const SOURCE = '公安交管车驾管系统（接口）';

/** 准驾车型: which licence classes may drive which vehicle types (GA 24.4 type prefix). Higher classes include lower. */
const CLASS_COVERS: Record<string, string[]> = {
  A1: ['A1', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4'],
  A2: ['A2', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4'],
  A3: ['A3', 'C1', 'C2', 'C3', 'C4'],
  B1: ['B1', 'C1', 'C2', 'C3', 'C4'],
  B2: ['B2', 'C1', 'C2', 'C3', 'C4'],
  C1: ['C1', 'C2', 'C3', 'C4'],
  C2: ['C2'],
  C3: ['C3', 'C4'],
  D: ['D', 'E', 'F'],
  E: ['E', 'F'],
};
/** The lowest licence class a vehicle type needs (small/mini passenger cars and light trucks: C1). */
function requiredClass(vehicleType: string): string {
  if (/^K1/.test(vehicleType)) return 'A1';
  if (/^K2/.test(vehicleType)) return 'B1';
  if (/^H1|^H2|^Q/.test(vehicleType)) return 'A2';
  if (/^M2/.test(vehicleType)) return 'E';
  if (/^M/.test(vehicleType)) return 'D';
  return 'C1';
}
const covers = (held: string[], needed: string) => held.some((c) => (CLASS_COVERS[c] ?? [c]).includes(needed));

export async function runPartyChecks(registry: RegistryClient, party: PartyForChecks, accidentAt: Date, now: Date): Promise<CheckResult[]> {
  const date = DateTime.fromJSDate(accidentAt, { zone: SERVICE_TIME_ZONE }).toISODate()!;
  const checkedAt = now.toISOString();
  const result = (kind: CheckResult['kind'], ok: boolean, detail: string): CheckResult => ({ party: party.label, kind, ok, detail, source: SOURCE, checkedAt });

  const [licence, vehicle, insurance] = await Promise.all([
    party.idNumber ? registry.licence({ idNumber: party.idNumber }) : Promise.resolve(null),
    party.plateType ? registry.vehicle({ plate: party.plate, plateType: party.plateType }) : Promise.resolve(null),
    party.plateType ? registry.compulsoryInsurance({ plate: party.plate, plateType: party.plateType, date }) : Promise.resolve(null),
  ]);
  if (party.licenceNo && party.idNumber && party.licenceNo !== party.idNumber) {
    // The licence shown belongs to someone else than the verified driver on this phone.
    return [result('licence', false, '出示的驾驶证号与该当事人实人认证的身份证号不一致'), vehicleResult(vehicle, date, party, result), insuranceResult(insurance, date, party, result)];
  }
  return [licenceResult(licence, vehicle, date, result), vehicleResult(vehicle, date, party, result), insuranceResult(insurance, date, party, result)];
}

type Make = (kind: CheckResult['kind'], ok: boolean, detail: string) => CheckResult;

function licenceResult(licence: LicenceRecord | null, vehicle: VehicleRecord | null, date: string, result: Make): CheckResult {
  if (!licence) return result('licence', false, '未查到该当事人的驾驶证信息');
  if (licence.status !== 'valid') {
    const why = { suspended: '暂扣', revoked: '吊销', expired: '已过期' }[licence.status] ?? licence.status;
    return result('licence', false, `驾驶证状态：${why}`);
  }
  if (licence.validUntil < date) return result('licence', false, `驾驶证已于 ${licence.validUntil} 过期`);
  if (vehicle) {
    const needed = requiredClass(vehicle.vehicleType);
    if (!covers(licence.classes, needed)) return result('licence', false, `准驾车型 ${licence.classes.join('、')} 不能驾驶该车（需 ${needed}）`);
  }
  return result('licence', true, `驾驶证有效至 ${licence.validUntil}，准驾车型 ${licence.classes.join('、')}`);
}

function vehicleResult(vehicle: VehicleRecord | null, date: string, party: PartyForChecks, result: Make): CheckResult {
  if (!party.plateType) return result('vehicle', false, '请先填写号牌种类');
  if (!vehicle) return result('vehicle', false, `未查到车辆 ${party.plate} 的登记信息`);
  if (vehicle.status !== 'normal' && vehicle.status !== 'mortgaged') {
    const why = { seized: '查封', scrapped: '报废', stolen: '被盗抢' }[vehicle.status] ?? vehicle.status;
    return result('vehicle', false, `车辆状态异常：${why}`);
  }
  if (vehicle.inspectionValidUntil < date) return result('vehicle', false, `车辆检验有效期至 ${vehicle.inspectionValidUntil}，已逾期`);
  return result('vehicle', true, `车辆状态正常，检验有效至 ${vehicle.inspectionValidUntil}`);
}

function insuranceResult(insurance: { insurer: string; policyNo: string; validUntil: string } | null, date: string, party: PartyForChecks, result: Make): CheckResult {
  if (!party.plateType) return result('insurance', false, '请先填写号牌种类');
  if (!insurance) return result('insurance', false, `${date} 无有效交强险`);
  return result('insurance', true, `交强险有效（${insurance.insurer}，保单 ${insurance.policyNo}，至 ${insurance.validUntil}）`);
}
