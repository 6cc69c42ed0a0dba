import { DEFAULT_BRIGADES } from '../../server/src/brigades/default-brigades';

/**
 * The embedded demo's data: one brigade per Jiangmen district (adcodes as in
 * server/data/jiangmen-districts.geojson, added with the eligibility rules) and one account per role.
 * The passwords are public on purpose — this data set is refused in production.
 */
/** The default brigades, with demo duty phones. */
export const DEMO_BRIGADES = DEFAULT_BRIGADES.map((b, i) => ({ ...b, dutyPhone: `0750-000000${i + 1}` }));

export const DEMO_ACCOUNTS = [
  { username: 'dispatcher', displayName: '演示接警员', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'demo-dispatcher-2026' },
  { username: 'officer', displayName: '演示民警', role: 'officer', brigadeCode: 'JM-PJ', password: 'demo-officer-2026' },
  { username: 'ops', displayName: '演示运维', role: 'ops', brigadeCode: null, password: 'demo-ops-2026-admin' },
] as const;

/**
 * A made-up person for walking the verification paths in the demo (the ID number passes GB 11643 but
 * belongs to nobody): the registry fake holds a licence for it whose reserved phone is DEMO_PHONE.
 */
export const DEMO_PERSON = { name: '张演示', idNumber: '440703199001011239', phone: '13800138000' } as const;

/** Unknown wx.login codes from the developer tools log in as this user in the demo (see WechatFake). */
export const DEMO_DRIVER_OPENID = 'demo-driver-openid';

/** Vehicles the registry fake knows in the demo (号牌种类 02: small car; K33: small saloon). */
export const DEMO_VEHICLES = [
  { plate: '粤J12345', plateType: '02', vehicleType: 'K33', status: 'normal' as const, inspectionValidUntil: '2027-12-31' },
  { plate: '粤J54321', plateType: '02', vehicleType: 'K33', status: 'normal' as const, inspectionValidUntil: '2027-12-31' },
];
