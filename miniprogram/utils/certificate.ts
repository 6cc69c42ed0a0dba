/**
 * 查看认定书: the PDF is downloaded with the driver's token (wx.downloadFile, like every driver
 * request: Bearer, renewed once on a 401) and opened in WeChat's viewer with its menu, so the driver
 * can forward it or save it. Every failure ends in a sentence that says what to do.
 */
import { apiBaseUrl } from '../config';
import { fillPath } from './http';
import { ensureLogin, renewSession } from './session';

export const CERTIFICATE_MESSAGES = {
  network: '认定书没有下载成功，请检查网络后再点「查看认定书」',
  refused: '暂时无法查看认定书，请下拉刷新后再试；仍不行请拨打 122 咨询',
  open: '认定书已下载，但没有打开。请把微信更新到最新版本后再试',
} as const;

/** The certificate could not be shown; `message` is for the driver. */
export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, CertificateError.prototype);
    this.name = 'CertificateError';
  }
}

export function certificateUrl(caseId: string): string {
  return `${apiBaseUrl()}${fillPath('/api/v1/matters/:id/certificate.pdf', { id: caseId })}`;
}

function download(url: string, accessToken: string): Promise<{ statusCode: number; tempFilePath: string }> {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      header: { Authorization: `Bearer ${accessToken}` },
      success: (res) => resolve({ statusCode: res.statusCode, tempFilePath: res.tempFilePath }),
      fail: () => reject(new CertificateError(CERTIFICATE_MESSAGES.network)),
    });
  });
}

function open(filePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.openDocument({
      filePath,
      fileType: 'pdf',
      showMenu: true,
      success: () => resolve(),
      fail: () => reject(new CertificateError(CERTIFICATE_MESSAGES.open)),
    });
  });
}

/** Downloads and opens the certificate of `caseId`. Throws CertificateError. */
export async function openCertificate(caseId: string): Promise<void> {
  const url = certificateUrl(caseId);
  const session = await ensureLogin().catch(() => {
    throw new CertificateError(CERTIFICATE_MESSAGES.network);
  });
  let res = await download(url, session.accessToken);
  if (res.statusCode === 401) {
    const renewed = await renewSession(session.accessToken).catch(() => {
      throw new CertificateError(CERTIFICATE_MESSAGES.refused);
    });
    res = await download(url, renewed.accessToken);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new CertificateError(res.statusCode >= 500 ? CERTIFICATE_MESSAGES.network : CERTIFICATE_MESSAGES.refused);
  }
  await open(res.tempFilePath);
}
