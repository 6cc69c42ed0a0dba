import { loadConfig } from '../../server/src/config';
import { certificateFonts, sealImage } from '../../server/src/certificates/certificate-assets';
import { defaultReviewNotice, type CertificateContent } from '../../server/src/certificates';
import { renderCertificatePdf } from '../../server/src/certificates/certificate-pdf';
import { canonicalContent, signerFor } from '../../server/src/certificates/signing';
import { verifyUrl } from '../../server/src/certificates/certificate.service';

type Summary = (label: string, samples: number[]) => { p50: number; p99: number };

// ─── 6. The certificate: PDF generation ──────────────────────────────────────────────────────────
/**
 * One 认定书 made as issuing makes it — canonical JSON, the Ed25519 signature, the QR code, the A4 page
 * with its CJK fonts subset and embedded, the seal — one after another in this process (JavaScript
 * runs on one core), so PDFs per second is what one core gives. The fonts are parsed before timing,
 * as a running server has them after its first certificate.
 */
const CERTIFICATES = 200;
const WARM_UP = 10;

export async function benchCertificates(summary: Summary): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://jmjj-kc.example.cn' });
  const signer = signerFor(config);
  const assets = { fonts: await certificateFonts(config), sealImage: await sealImage(config) };
  const samples: number[] = [];
  let bytes = 0;
  const started = performance.now();
  let timedFrom = started;
  for (let i = 0; i < CERTIFICATES + WARM_UP; i++) {
    if (i === WARM_UP) timedFrom = performance.now();
    const content = sample(i);
    const t0 = performance.now();
    const canonical = canonicalContent(content);
    const pdf = await renderCertificatePdf(content, { canonical, signature: signer.sign(canonical), keyId: signer.keyId, verifyUrl: verifyUrl(config, content.number) }, assets);
    if (i >= WARM_UP) {
      samples.push(performance.now() - t0);
      bytes += pdf.length;
    }
  }
  const seconds = (performance.now() - timedFrom) / 1000;
  console.log(`\ncertificate PDF generation (sign + render, one A4 page, CJK fonts subset), ${CERTIFICATES} one after another:`);
  summary('certificate PDF', samples);
  console.log(`  ${(CERTIFICATES / seconds).toFixed(1)} PDFs per second on one core, ${Math.round(bytes / CERTIFICATES / 1024)} KiB each on average`);
}

/** Two parties, facts of a few lines; the text varies so each page subsets its own glyphs. */
function sample(i: number): CertificateContent {
  const n = String(i + 1).padStart(6, '0');
  return {
    number: `JM-PJ-2026-${n}`,
    issuedAt: new Date(Date.UTC(2026, 10, 30, 2, 0, i)).toISOString(),
    unit: { name: '江门市公安局交通警察支队蓬江大队', code: 'JM-PJ' },
    officer: { name: '李建国', number: '440123' },
    accident: {
      occurredAt: new Date(Date.UTC(2026, 10, 30, 1, 30, i)).toISOString(),
      place: `江门市蓬江区建设三路${(i % 90) + 1}号路段`,
      weather: ['晴', '阴', '小雨'][i % 3]!,
      type: ['追尾', '刮擦', '倒车'][i % 3]!,
      facts: `A车驾驶人沿建设三路由西向东行驶至${(i % 90) + 1}号路段时，未与前车保持安全距离，车头碰撞B车车尾，造成两车损坏，无人员受伤。`,
    },
    parties: (['A', 'B'] as const).map((label, k) => ({
      label,
      name: k === 0 ? '张伟' : '陈秀英',
      idNumberMasked: `4407**********${String(1000 + ((i + k) % 9000))}`,
      licenceNoMasked: null,
      phoneMasked: `13${k}****${String(1000 + (i % 9000))}`,
      vehicleType: '小型轿车',
      plate: `粤J${String(10000 + i * 2 + k).slice(-5)}`,
      insurer: k === 0 ? '中国人民财产保险股份有限公司' : '中国平安财产保险股份有限公司',
      policyNo: `PDZA2026440700${n}${k}`,
      impactPoints: [k === 0 ? '车头' : '车尾'],
      liability: k === 0 ? 'full' : 'none',
      basis: k === 0 ? '未与前车保持安全距离（追尾）' : '无过错',
      damages: 'insurance',
    })),
    evidenceHeadHash: 'a3f1c29be0d4471f8e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912',
    reviewNotice: defaultReviewNotice('江门市公安局交通警察支队'),
    supersedes: null,
  };
}
