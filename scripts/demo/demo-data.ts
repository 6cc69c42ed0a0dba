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
  // The city 支队's 复核 desk: the level above every brigade, so no brigade of its own.
  { username: 'reviewer', displayName: '演示复核民警', role: 'reviewer', brigadeCode: null, password: 'demo-reviewer-2026' },
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

/**
 * Demo drivers who are already verified after `npm start` (scripts/demo/demo-drivers.ts verifies them
 * through the API): made-up people whose ID numbers pass GB 11643 but belong to nobody, each with a
 * licence, a car and a 交强险 policy in the registry fake, so the desk's checks pass for each.
 * Log in as one with a code from the WeChat fake for its openid (README → Walk a whole case).
 */
export const DEMO_DRIVERS = [
  { openid: 'demo-driver-1', name: '李建华', idNumber: '440703198503122153', phone: '13900139001', plate: '粤JA1001', vehicleType: 'K33', vehicleName: '小型轿车', insurer: '中国人民财产保险', policyNo: 'PDZA20264407030001' },
  { openid: 'demo-driver-2', name: '陈晓敏', idNumber: '440704199206183321', phone: '13900139002', plate: '粤JB2002', vehicleType: 'K33', vehicleName: '小型轿车', insurer: '中国太平洋财产保险', policyNo: 'ACPA20264407040002' },
  { openid: 'demo-driver-3', name: '黄丽娟', idNumber: '440705198809234265', phone: '13900139003', plate: '粤JC3003', vehicleType: 'K31', vehicleName: '小型普通客车', insurer: '中国平安财产保险', policyNo: 'PA20264407050003' },
  { openid: 'demo-driver-4', name: '周伟强', idNumber: '440781197905051532', phone: '13900139004', plate: '粤JD4004', vehicleType: 'H31', vehicleName: '轻型普通货车', insurer: '中国人寿财产保险', policyNo: 'CL20264407810004' },
] as const;

export type DemoDriver = (typeof DEMO_DRIVERS)[number];
