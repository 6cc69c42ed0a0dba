import { readFileSync } from 'node:fs';
import { EXCLUDED_PATHS } from './schemathesis';

interface Operation {
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
  'x-roles'?: string[];
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  [key: string]: unknown;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

export interface DocumentFacts {
  /** Operations the run fuzzes (the document's, less the excluded paths). */
  operations: number;
  /** Routes whose success answer is an HTML page for people: their errors are pages too. */
  humanPage(method: string, url: string): boolean;
}

/** Reads the document the run fuzzes (a URL the stack serves, or a file). */
export async function loadDocument(location: string): Promise<OpenApiDocument> {
  if (!/^https?:\/\//.test(location)) return JSON.parse(readFileSync(location, 'utf8')) as OpenApiDocument;
  const res = await fetch(location, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`the OpenAPI document is not served at ${location} (${res.status}); the fuzzer needs it`);
  return (await res.json()) as OpenApiDocument;
}

export function documentFacts(doc: OpenApiDocument): DocumentFacts {
  const excluded = EXCLUDED_PATHS.map((p) => new RegExp(p));
  let operations = 0;
  const pages: { method: string; path: RegExp }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (excluded.some((re) => re.test(path))) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      operations++;
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      const types = success.flatMap(([, r]) => Object.keys(r.content ?? {}));
      if (types.length > 0 && types.every((t) => t.startsWith('text/html'))) {
        pages.push({ method: method.toUpperCase(), path: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]*')}$`) });
      }
    }
  }
  return {
    operations,
    humanPage(method, url) {
      const { pathname } = new URL(url);
      return pages.some((p) => p.method === method && p.path.test(pathname));
    },
  };
}

/**
 * The document as one role sees it: the operations open to everyone and those its role may call. Each
 * role's requests then reach its own handlers instead of stopping at 403; the anonymous run keeps every
 * operation (what each guard answers a stranger).
 */
export function documentFor(doc: OpenApiDocument, role: string): OpenApiDocument {
  if (role === 'anonymous') return doc;
  const paths: NonNullable<OpenApiDocument['paths']> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const kept = Object.fromEntries(Object.entries(item).filter(([method, op]) => !METHODS.has(method) || !op['x-roles']?.length || op['x-roles'].includes(role)));
    if (Object.keys(kept).some((m) => METHODS.has(m))) paths[path] = kept;
  }
  return { ...doc, paths };
}
