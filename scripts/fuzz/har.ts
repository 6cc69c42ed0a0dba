import { existsSync, readFileSync } from 'node:fs';

/** What one role's run met, read off schemathesis' HAR of every exchange. */
export interface Tally {
  requests: number;
  /** '2xx', '3xx', '4xx', '5xx' → count. */
  byClass: Record<string, number>;
  serverErrors: Finding[];
  /** Error answers (≥ 400) whose body is not `{ code: string, message: string, … }`. */
  malformed: Finding[];
}

export interface Finding {
  method: string;
  url: string;
  status: number;
  body: string;
  /** The request body as sent, to reproduce with. */
  sent?: string;
}

export function emptyTally(): Tally {
  return { requests: 0, byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, serverErrors: [], malformed: [] };
}

export function addTally(into: Tally, more: Tally): Tally {
  into.requests += more.requests;
  for (const [k, v] of Object.entries(more.byClass)) into.byClass[k] = (into.byClass[k] ?? 0) + v;
  into.serverErrors.push(...more.serverErrors);
  into.malformed.push(...more.malformed);
  return into;
}

interface HarEntry {
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; content?: { text?: string; encoding?: string } };
}

/**
 * Counts a HAR file. `humanPage(method, url)` names the routes that answer people with HTML (the public
 * certificate check page): their error pages are HTML too, by design, and are not counted as malformed.
 */
export function tallyHar(path: string, humanPage: (method: string, url: string) => boolean = () => false): Tally {
  const tally = emptyTally();
  // A run stopped from outside writes no report: its requests go uncounted (the summary then falls short).
  if (!existsSync(path)) return tally;
  const har = JSON.parse(readFileSync(path, 'utf8')) as { log: { entries: HarEntry[] } };
  for (const { request, response } of har.log.entries) {
    tally.requests++;
    const status = response.status;
    const cls = `${Math.floor(status / 100)}xx`;
    tally.byClass[cls] = (tally.byClass[cls] ?? 0) + 1;
    if (status < 400) continue;
    const body = textOf(response.content);
    const finding: Finding = { method: request.method, url: request.url, status, body: body.slice(0, 500), sent: request.postData?.text?.slice(0, 500) };
    if (status >= 500) tally.serverErrors.push(finding);
    // A HEAD answer has no body by definition.
    else if (request.method !== 'HEAD' && !isErrorShape(body) && !humanPage(request.method, request.url)) tally.malformed.push(finding);
  }
  return tally;
}

function textOf(content: { text?: string; encoding?: string } | undefined): string {
  if (!content?.text) return '';
  return content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf8') : content.text;
}

/** The documented error shape: `{ code, message }` strings (more fields, e.g. requestId, allowed). */
export function isErrorShape(text: string): boolean {
  try {
    const body = JSON.parse(text) as unknown;
    return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { code?: unknown }).code === 'string' && typeof (body as { message?: unknown }).message === 'string';
  } catch {
    return false;
  }
}
