import { DateTime } from 'luxon';
import type { RunningFakes } from '../../server/fakes';
import { DEMO_DRIVERS, DEMO_PERSON, DEMO_VEHICLES } from './demo-data';

const ZONE = 'Asia/Shanghai';

/**
 * What the demo's external services know: the registry holds a licence for the verification-path
 * person and every demo driver, their cars and a 交强险 policy in force today (a year's policy that
 * started half a year ago, so a demo started any day passes the insurance check); the map fake
 * answers Jiangmen addresses from its gazetteer.
 */
export function loadDemoFakes(fakes: Pick<RunningFakes, 'registry' | 'tencentMap'>, now = new Date()): void {
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const policyFrom = today.minus({ months: 6 });
  const policy = { validFrom: policyFrom.toISODate()!, validUntil: policyFrom.plus({ years: 1 }).minus({ days: 1 }).toISODate()! };
  const licence = { classes: ['C1'], status: 'valid' as const, validFrom: '2016-01-01', validUntil: today.plus({ years: 6 }).toISODate()! };
  const inspectionValidUntil = today.plus({ years: 1 }).toISODate()!;

  fakes.registry.addLicence(DEMO_PERSON.idNumber, { ...licence, licenceNo: DEMO_PERSON.idNumber, name: DEMO_PERSON.name, reservedPhone: DEMO_PERSON.phone });
  // The verification-path person's cars, so a call they report can pass its back-office checks too.
  for (const vehicle of DEMO_VEHICLES) {
    fakes.registry.addVehicle({ ...vehicle, ownerName: DEMO_PERSON.name, reservedPhone: DEMO_PERSON.phone });
    fakes.registry.addPolicy({ ...policy, policyNo: `PDZA${vehicle.plate.slice(-5)}2026`, insurer: '中国人民财产保险', plate: vehicle.plate });
  }
  for (const d of DEMO_DRIVERS) {
    fakes.registry.addLicence(d.idNumber, { ...licence, licenceNo: d.idNumber, name: d.name, reservedPhone: d.phone });
    fakes.registry.addVehicle({ plate: d.plate, plateType: '02', vehicleType: d.vehicleType, ownerName: d.name, status: 'normal', inspectionValidUntil, reservedPhone: d.phone });
    fakes.registry.addPolicy({ ...policy, policyNo: d.policyNo, insurer: d.insurer, plate: d.plate });
  }
  fakes.tencentMap.useGazetteer();
}
