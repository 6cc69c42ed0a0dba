/**
 * The embedded demo's data: one brigade per Jiangmen district (adcodes as in
 * server/data/jiangmen-districts.geojson, added with the eligibility rules) and one account per role.
 * The passwords are public on purpose — this data set is refused in production.
 */
export const DEMO_BRIGADES = [
  { code: 'JM-PJ', name: '江门市公安局交通警察支队蓬江大队', districtAdcodes: ['440703'], dutyPhone: '0750-0000001' },
  { code: 'JM-JH', name: '江门市公安局交通警察支队江海大队', districtAdcodes: ['440704'], dutyPhone: '0750-0000002' },
  { code: 'JM-XH', name: '江门市公安局交通警察支队新会大队', districtAdcodes: ['440705'], dutyPhone: '0750-0000003' },
  { code: 'JM-TS', name: '台山市公安局交通警察大队', districtAdcodes: ['440781'], dutyPhone: '0750-0000004' },
  { code: 'JM-KP', name: '开平市公安局交通警察大队', districtAdcodes: ['440783'], dutyPhone: '0750-0000005' },
  { code: 'JM-HS', name: '鹤山市公安局交通警察大队', districtAdcodes: ['440784'], dutyPhone: '0750-0000006' },
  { code: 'JM-EP', name: '恩平市公安局交通警察大队', districtAdcodes: ['440785'], dutyPhone: '0750-0000007' },
] as const;

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
