import type { CertificateVerification } from '../../../typings/api/certificates';
import { chineseDate } from './certificate-pdf';

const STATUS_WORDS: Record<CertificateVerification['status'], string> = {
  valid: '有效',
  superseded: '已被复核后重新认定的认定书取代',
  withdrawn: '已撤销',
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Small, self-contained (no script, no external resource): it opens on any phone's browser from the QR code. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
main{max-width:30rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.2rem;margin:0 0 1rem}dl{display:grid;grid-template-columns:5em 1fr;gap:.6rem .8rem;margin:0}
dt{color:#646a73}dd{margin:0;word-break:break-all}.valid{color:#1a7f37;font-weight:bold}.bad{color:#c62828;font-weight:bold}
p.note{color:#646a73;font-size:.85rem;margin:1.2rem 0 0;line-height:1.5}
</style></head><body><main>${body}</main></body></html>`;
}

/** 编号 / 日期 / 单位 / 状态 of a certificate, as the QR code's page shows them. */
export function verifyPage(view: CertificateVerification): string {
  const trusted = view.signatureValid;
  const status = trusted ? STATUS_WORDS[view.status] : '电子签名核验未通过，请联系出具单位';
  const replacement = view.status === 'superseded' && view.supersededBy
    ? `<dt>取代它的</dt><dd><a href="/verify/${encodeURIComponent(view.supersededBy)}">${escapeHtml(view.supersededBy)}</a></dd>`
    : '';
  return page(
    `认定书核验 ${view.number}`,
    `<h1>道路交通事故认定书核验</h1>
<dl>
<dt>编号</dt><dd>${escapeHtml(view.number)}</dd>
<dt>日期</dt><dd>${escapeHtml(chineseDate(view.issuedAt))}</dd>
<dt>单位</dt><dd>${escapeHtml(view.unit.name)}</dd>
<dt>状态</dt><dd class="${trusted && view.status === 'valid' ? 'valid' : 'bad'}">${escapeHtml(status)}</dd>
${replacement}
<dt>电子签名</dt><dd>${trusted ? '核验通过' : '核验未通过'}</dd>
</dl>
<p class="note">本页只显示认定书的编号、日期、出具单位和状态，不显示当事人信息。请核对手中认定书的编号与本页一致。</p>`,
  );
}

export function notFoundPage(number: string): string {
  return page(
    '未找到认定书',
    `<h1>未找到该认定书</h1><p>没有编号为 <strong>${escapeHtml(number)}</strong> 的道路交通事故认定书。</p>
<p class="note">请核对编号；二维码或编号被改动过的认定书无法通过核验。</p>`,
  );
}

export function tooManyPage(waitSeconds: number): string {
  return page('请稍后再试', `<h1>查询太频繁</h1><p>请 ${waitSeconds} 秒后再试。</p>`);
}
