import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { DateTime } from 'luxon';
import { DAMAGES_WORDS, LIABILITY_WORDS, type CertificateContent, type CertificateParty } from './certificate-content';
import type { CertificateFonts } from './certificate-assets';

/** What the PDF carries besides the content: the signature over it, and where the QR code leads. */
export interface CertificateSeal {
  canonical: string;
  signature: string;
  keyId: string;
  verifyUrl: string;
}

export interface PdfAssets {
  fonts: CertificateFonts;
  /** The unit's seal, PNG or JPEG. */
  sealImage: Buffer;
}

/**
 * The keys of the PDF's document information under which the signed content travels with the file
 * (base64, so the bytes stay plain ASCII): a verifier reads them back and checks the signature.
 */
export const EMBEDDED_KEYS = { content: 'CertificateContent', signature: 'CertificateSignature', keyId: 'CertificateKeyId' } as const;

const ZONE = 'Asia/Shanghai';
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const WIDTH = A4.width - 2 * MARGIN;
const LABEL_WIDTH = 64;
const INK = '#111111';
const RULE = '#333333';
const FAINT = '#555555';

export const chineseDate = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toFormat('yyyy年MM月dd日');
export const chineseDateTime = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).toFormat('yyyy年MM月dd日 HH时mm分');

/**
 * The certificate on one A4 page, laid out as the official simple-procedure form: the unit and title,
 * the number, the accident's particulars, the parties with their vehicles and insurance, the facts, the
 * liability of each party with its basis and damages choice, the 复核 notice, the officer and the unit
 * under its seal, the date, a QR code to the public verify page, and the evidence chain's head in small
 * print. The signed canonical content is embedded in the document information.
 */
export async function renderCertificatePdf(content: CertificateContent, seal: CertificateSeal, assets: PdfAssets): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    // Kept until the end, so a certificate that runs to a second page can number its pages.
    bufferPages: true,
    margins: { top: 40, bottom: 28, left: MARGIN, right: MARGIN },
    info: {
      Title: `道路交通事故认定书（简易程序）${content.number}`,
      Author: content.unit.name,
      Subject: '道路交通事故认定书（简易程序）',
      Keywords: content.number,
      Creator: content.unit.name,
      // The issue time, so the same content renders to the same file whenever it is rendered.
      CreationDate: new Date(content.issuedAt),
    },
  });
  Object.assign(doc.info, {
    [EMBEDDED_KEYS.content]: Buffer.from(seal.canonical, 'utf8').toString('base64'),
    [EMBEDDED_KEYS.signature]: seal.signature,
    [EMBEDDED_KEYS.keyId]: seal.keyId,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // pdfkit takes a parsed fontkit face as it is (its types name only files and buffers).
  doc.registerFont('body', assets.fonts.body as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont('bold', assets.fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
  doc.fillColor(INK).strokeColor(RULE);

  // Three or more parties: tighter cells, so the whole form still fits one page.
  const table = tableDrawer(doc, content.parties.length > 2 ? 3 : 5);
  header(doc, content);
  particulars(table, content);
  partiesTable(table, content.parties);
  factsTable(table, content);
  liabilityTable(table, content.parties);
  noticeTable(table, content);
  await signatureBlock(doc, content, seal, assets.sealImage);
  numberPages(doc, content.number);

  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, content: CertificateContent) {
  doc.font('bold').fontSize(13).text(content.unit.name, MARGIN, 40, { width: WIDTH, align: 'center' });
  doc.moveDown(0.2).fontSize(20).text('道路交通事故认定书（简易程序）', { width: WIDTH, align: 'center', characterSpacing: 1 });
  doc.moveDown(0.2).font('body').fontSize(10.5).text(`编号：${content.number}`, { width: WIDTH, align: 'right' });
  doc.moveDown(0.2);
}

type Cell = string | { text: string; colSpan?: number; font?: { src: string; size?: number }; align?: 'center' | { x?: 'left' | 'center' | 'right'; y?: 'top' | 'center' | 'bottom' } };
const label = (text: string): Cell => ({ text, font: { src: 'bold', size: 9.5 }, align: { x: 'center', y: 'center' } });

type DrawTable = (columns: number[], rows: Cell[][], gapAfter?: number) => void;

/** Draws a ruled table at the left margin below what is already on the page, cells padded `padding` above and below. */
const tableDrawer = (doc: PDFKit.PDFDocument, padding: number): DrawTable => (columns, rows, gapAfter = 0) => {
  doc.table({
    position: { x: MARGIN, y: doc.y },
    columnStyles: columns,
    defaultStyle: { border: 0.8, borderColor: RULE, padding: [padding, 5, padding, 5], font: { src: 'body', size: 9.5 }, align: { x: 'left', y: 'center' } } as PDFKit.Mixins.CellStyle,
    data: rows as PDFKit.Mixins.TableOptionsWithData['data'],
  });
  doc.x = MARGIN;
  if (gapAfter) doc.y += gapAfter;
};

function particulars(table: DrawTable, content: CertificateContent) {
  const { accident } = content;
  table([LABEL_WIDTH, 200, LABEL_WIDTH, WIDTH - 2 * LABEL_WIDTH - 200], [
    [label('事故时间'), chineseDateTime(accident.occurredAt), label('天  气'), accident.weather],
    [label('事故地点'), { text: accident.place, colSpan: 3 }],
    [label('事故类型'), accident.type, label('当事人数'), `${content.parties.length} 方`],
  ]);
}

function partiesTable(table: DrawTable, parties: CertificateParty[]) {
  const widths = [LABEL_WIDTH, 118, 72, 86, 0, 54];
  widths[4] = WIDTH - widths.reduce((a, b) => a + b, 0);
  const head = ['当事人', '身份证号码\n（驾驶证号）', '联系电话', '车辆类型\n及号牌', '保险公司\n及交强险保单号', '碰撞部位'].map(label);
  table(widths, [
    head,
    ...parties.map((p): Cell[] => [
      { text: `${p.label}\n${p.name}`, align: { x: 'center', y: 'center' } },
      `${p.idNumberMasked}\n${licenceLine(p)}`,
      p.phoneMasked,
      `${p.vehicleType}\n${p.plate}`,
      p.insurer ? `${p.insurer}\n${p.policyNo ?? '保单号未提供'}` : '未提供',
      p.impactPoints.length ? p.impactPoints.join('、') : '—',
    ]),
  ]);
}

/** In China the licence number is the ID number; print it again only when it differs. */
function licenceLine(p: CertificateParty): string {
  if (!p.licenceNoMasked) return '（驾驶证号未提供）';
  return p.licenceNoMasked === p.idNumberMasked ? '（驾驶证号同上）' : `（${p.licenceNoMasked}）`;
}

function factsTable(table: DrawTable, content: CertificateContent) {
  const rows: Cell[][] = [[label('交通事故\n事实'), { text: content.accident.facts, align: { x: 'left', y: 'top' } }]];
  if (content.supersedes) {
    rows.push([label('备  注'), `本认定书系复核后重新作出的认定，原编号 ${content.supersedes} 的认定书同时失效。`]);
  }
  table([LABEL_WIDTH, WIDTH - LABEL_WIDTH], rows);
}

function liabilityTable(table: DrawTable, parties: CertificateParty[]) {
  const widths = [LABEL_WIDTH, 62, 0, 72];
  widths[2] = WIDTH - widths.reduce((a, b) => a + b, 0);
  table(widths, [
    ['当事人', '责任', '认定依据', '损害赔偿方式'].map(label),
    ...parties.map((p): Cell[] => [
      { text: `${p.label}\n${p.name}`, align: { x: 'center', y: 'center' } },
      { text: LIABILITY_WORDS[p.liability], font: { src: 'bold', size: 10.5 }, align: { x: 'center', y: 'center' } },
      p.basis,
      { text: DAMAGES_WORDS[p.damages], align: { x: 'center', y: 'center' } },
    ]),
  ]);
}

function noticeTable(table: DrawTable, content: CertificateContent) {
  table([LABEL_WIDTH, WIDTH - LABEL_WIDTH], [[label('复核告知'), content.reviewNotice]], 12);
}

const QR_SIZE = 88;
const SEAL_SIZE = 104;

async function signatureBlock(doc: PDFKit.PDFDocument, content: CertificateContent, seal: CertificateSeal, sealImage: Buffer) {
  const blockHeight = QR_SIZE + 48;
  if (doc.y + blockHeight > A4.height - 30) doc.addPage();
  const top = doc.y;

  // Left: the QR code to the public verify page.
  const qr = await QRCode.toBuffer(seal.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 });
  doc.image(qr, MARGIN, top, { width: QR_SIZE, height: QR_SIZE });
  doc.font('body').fontSize(8).fillColor(FAINT).text('扫码核验本认定书', MARGIN, top + QR_SIZE + 2, { width: QR_SIZE, align: 'center' });

  // Right: the officer, the unit and the date, the seal over the unit's name.
  const right = MARGIN + WIDTH - 250;
  doc.fillColor(INK).font('body').fontSize(11);
  doc.text(`交通警察：${content.officer.name}    警号：${content.officer.number}`, right, top + 2, { width: 250, align: 'right' });
  doc.text(content.unit.name, right, top + 52, { width: 250, align: 'right' });
  doc.text(chineseDate(content.issuedAt), right, top + 72, { width: 250, align: 'right' });
  // The seal over the unit's name and the date, as a stamp is pressed: the text shows through it.
  const unitWidth = Math.min(250, doc.widthOfString(content.unit.name));
  const sealX = MARGIN + WIDTH - unitWidth / 2 - SEAL_SIZE / 2;
  doc.save().opacity(0.8).image(sealImage, sealX, top + 66 - SEAL_SIZE / 2, { width: SEAL_SIZE, height: SEAL_SIZE }).restore();

  // Small print: what proves the page.
  const small = top + QR_SIZE + 16;
  doc.font('body').fontSize(7).fillColor(FAINT);
  doc.text(`证据链头哈希（SHA-256）：${content.evidenceHeadHash}`, MARGIN, small, { width: WIDTH });
  doc.text(
    `本认定书内容经电子签名（Ed25519，密钥 ${seal.keyId}）。扫描二维码或访问 ${seal.verifyUrl} 可核验编号、日期、单位及是否有效。`,
    MARGIN,
    doc.y + 1,
    { width: WIDTH },
  );
  doc.fillColor(INK);
}

/** A certificate longer than a page says on every page whose it is and which page of how many, so no page can be swapped unnoticed. */
function numberPages(doc: PDFKit.PDFDocument, number: string) {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not start a new page
    doc.font('body').fontSize(8).fillColor(FAINT).text(`编号：${number}    第 ${i + 1} 页 共 ${count} 页`, MARGIN, A4.height - 22, { width: WIDTH, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor(INK);
}
