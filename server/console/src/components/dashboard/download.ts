import { ApiRequestError, NETWORK_ERROR_MESSAGE } from '../../api';

/**
 * Downloads a server-made file (a statistics CSV) with the staff session cookie, then hands it to
 * the browser as a download under the server's file name. fetch + blob rather than a bare
 * `<a href download>` so that an expired session or a bad filter shows the server's message on the
 * page instead of saving an error body as a .csv.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { 'x-console-request': '1' } });
  } catch {
    throw new ApiRequestError(0, { code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
    if (body && typeof body.code === 'string' && typeof body.message === 'string') {
      throw new ApiRequestError(response.status, body as ConstructorParameters<typeof ApiRequestError>[1]);
    }
    throw new ApiRequestError(response.status, { code: 'BAD_RESPONSE', message: `导出失败（HTTP ${response.status}），请稍后再试` });
  }
  const name = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the download; the object URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}

/** `attachment; filename*=UTF-8''%E5%A4%A7%E9%98%9F.csv` or `filename="x.csv"`. */
function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() ?? null;
}
