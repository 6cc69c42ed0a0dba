import { defaultReviewNotice, type CertificateContent } from '../../src/certificates';

/** A two-car rear-end in 蓬江区, decided and issued just after 00:30 Beijing time on 1 December. */
export function sampleContent(overrides: Partial<CertificateContent> = {}): CertificateContent {
  return {
    number: 'JM-PJ-2026-000123',
    issuedAt: '2026-11-30T16:30:00Z',
    unit: { name: '江门市公安局交通警察支队蓬江大队', code: 'JM-PJ' },
    officer: { name: '李建国', number: '440123' },
    accident: {
      occurredAt: '2026-11-30T15:48:00Z',
      place: '江门市蓬江区建设三路与华园东路交叉口东侧约50米',
      weather: '晴',
      type: '追尾',
      facts:
        '2026年11月30日23时48分许，A车驾驶人张伟驾驶粤J12345号小型轿车沿建设三路由西向东行驶至华园东路交叉口东侧约50米处时，' +
        '未与前车保持足以采取紧急制动措施的安全距离，车头碰撞在前方等候通行的B车（粤J6789B号小型普通客车）车尾，造成两车损坏，无人员受伤。',
    },
    parties: [
      {
        label: 'A', name: '张伟', idNumberMasked: '4407**********1234', licenceNoMasked: '4407**********1234', phoneMasked: '138****5678',
        vehicleType: '小型轿车', plate: '粤J12345', insurer: '中国人民财产保险股份有限公司', policyNo: 'PDZA202644070000012345', impactPoints: ['车头'],
        liability: 'full', basis: '未与前车保持安全距离（追尾），违反《中华人民共和国道路交通安全法》第四十三条', damages: 'insurance',
      },
      {
        label: 'B', name: '陈秀英', idNumberMasked: '4407**********5678', licenceNoMasked: null, phoneMasked: '139****4321',
        vehicleType: '小型普通客车', plate: '粤J6789B', insurer: '中国平安财产保险股份有限公司', policyNo: 'ADJA202644070000067890', impactPoints: ['车尾', '后保险杠'],
        liability: 'none', basis: '正常等候通行，无过错', damages: 'insurance',
      },
    ],
    evidenceHeadHash: 'a3f1c29be0d4471f8e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912',
    reviewNotice: defaultReviewNotice('江门市公安局交通警察支队'),
    supersedes: null,
    ...overrides,
  };
}
