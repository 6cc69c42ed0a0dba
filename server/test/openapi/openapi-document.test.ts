import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import ts from 'typescript';
import { appRouters } from '../../src/app';
import { createCaseSchema } from '../../src/cases/case.schemas';
import { staffLoginSchema } from '../../src/auth/schemas';
import { statisticsQuerySchema } from '../../src/statistics/statistics.schemas';
import { contractOf } from '../../src/platform/contract';
import { REPO_ROOT } from '../../src/platform/paths';
import { startTestServer, type TestServer } from '../harness';

/**
 * GET /api/openapi.json through the real app: a valid OpenAPI 3.1 document of every route the app
 * mounts, whose schemas accept and refuse what the server's own zod schemas accept and refuse, and
 * whose error shape is what the error handler really sends.
 */
type Operation = Record<string, any>;
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, any> } };

const OUTPUT = join(REPO_ROOT, 'test-output', 'openapi.json');
const run = promisify(execFile);

describe('GET /api/openapi.json', () => {
  let t: TestServer;
  let doc: Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    t = await startTestServer();
    const res = await t.http.get<Doc>('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = res.body;
    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    writeFileSync(OUTPUT, JSON.stringify(doc, null, 2));
    ajv.addSchema({ $id: 'doc', components: doc.components });
  });
  afterAll(() => t?.close());

  /** A schema of the document, compiled with the document's components reachable by its refs. */
  const compile = (schema: object) => ajv.compile({ ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) });

  it('is a valid OpenAPI 3.1 document (checked by an OpenAPI schema validator)', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const script = `
      import { readFileSync } from 'node:fs';
      import { Validator } from '@seriousme/openapi-schema-validator';
      const validator = new Validator();
      const result = await validator.validate(JSON.parse(readFileSync(process.argv[1], 'utf8')));
      console.log(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, OUTPUT], { cwd: REPO_ROOT });
    const verdict = JSON.parse(stdout) as { valid: boolean; version: string; errors?: unknown };
    expect(verdict.errors ?? null).toBeNull();
    expect(verdict).toMatchObject({ valid: true, version: '3.1' });
  });

  it('lists every route the app mounts, and nothing else', () => {
    // Read off the routers' layers here, apart from the generator's own walk.
    const mounted = new Set<string>();
    const hidden = new Set<string>();
    for (const router of appRouters(t.services)) {
      for (const layer of router.stack) {
        if (!layer.methods.length) continue;
        const path = String(layer.path).replace(/[{}]/g, '').replace(/[:*](\w+)/g, '{$1}');
        for (const method of layer.methods.filter((m) => m !== 'HEAD')) {
          (layer.stack.some((m) => contractOf(m)?.internal) ? hidden : mounted).add(`${method.toLowerCase()} ${path}`);
        }
      }
    }
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)));
    expect([...mounted].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !mounted.has(route))).toEqual([]);
    expect(mounted.size).toBeGreaterThan(80);
    // The static files stay out; the document and its viewer are in it.
    expect([...hidden]).toEqual(expect.arrayContaining(['get /console/{path}', 'get /api/docs/{file}']));
    expect(documented.has('get /api/openapi.json') && documented.has('get /api/docs')).toBe(true);
  });

  it('says who may call each route: roles from the guard, the staff cookie plus the console header on writes', () => {
    const report = doc.paths['/api/v1/cases']!.post!;
    expect(report.security).toEqual([{ driverBearer: [] }]);
    expect(report['x-roles']).toEqual(['driver']);
    expect(report['x-verified-driver']).toBe(true);
    expect(report.responses['201']).toBeDefined();
    expect(report.parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]);

    // The role comes from router.use(requireRole('ops')), not from the route's own middleware.
    const stats = doc.paths['/api/v1/admin/statistics']!.get!;
    expect(stats.security).toEqual([{ staffCookie: [] }]);
    expect(stats['x-roles']).toEqual(['ops']);
    const csv = doc.paths['/api/v1/admin/statistics/export/{table}.csv']!.get!;
    expect(Object.keys(csv.responses['200'].content)).toEqual(['text/csv']);
    expect(csv.parameters).toEqual(expect.arrayContaining([{ name: 'table', in: 'path', required: true, schema: { type: 'string' } }]));

    const staffWrite = Object.values(doc.paths).flatMap((item) => Object.entries(item)).find(([method, op]) => method === 'post' && op['x-roles']?.includes('ops'));
    expect(staffWrite?.[1].security).toEqual([{ staffCookie: [], consoleRequest: [] }]);
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(doc.paths['/api/v1/staff/login']!.post!.security).toEqual([]);
    expect((doc.components as Record<string, any>).securitySchemes.staffCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: t.config.STAFF_COOKIE_NAME });
  });

  it("a body schema in the document accepts and refuses the same samples as the route's zod schema", () => {
    const report = compile(doc.paths['/api/v1/cases']!.post!.requestBody.content['application/json'].schema);
    const good = {
      safetyCheckId: 'sc-1',
      location: { lat: 22.58, lng: 113.08, coordType: 'gcj02', accuracyM: 12 },
      answers: { vehicleCount: 2, motorVehiclesOnly: true, anyoneInjured: false, vehiclesDrivable: true, factsDisputed: false, unlicensedDriving: false, drinkOrDrugs: false, anyoneLeftScene: false },
      plate: '粤J12345',
    };
    const samples = [
      good,
      { ...good, plate: '粤j 12345' }, // typed with a space and lower case: the server normalises it
      { ...good, plate: '粤JD54321' },
      { ...good, plate: 'x' },
      { ...good, plate: '粤J1234' },
      { ...good, plate: 'AJ12345' },
      { ...good, location: { ...good.location, lat: 91 } },
      { ...good, answers: { ...good.answers, vehicleCount: 0 } },
      { ...good, safetyCheckId: '' },
      { location: good.location },
    ];
    const verdicts = samples.map((sample) => ({ sample, doc: report(sample), zod: createCaseSchema.safeParse(sample).success }));
    expect(verdicts.filter((v) => v.doc !== v.zod)).toEqual([]);
    expect(verdicts.map((v) => v.zod)).toEqual([true, true, true, false, false, false, false, false, false, false]);

    // A body is required only when {} would be refused (a missing JSON body is read as {}).
    expect(doc.paths['/api/v1/cases']!.post!.requestBody.required).toBe(true);
    expect(doc.paths['/api/v1/cases/{id}/cancel']!.post!.requestBody.required).toBe(false);

    const login = compile(doc.paths['/api/v1/staff/login']!.post!.requestBody.content['application/json'].schema);
    for (const sample of [{ username: 'ops1', password: 'x' }, { username: '', password: 'x' }, { username: 'ops1' }, { username: 'a'.repeat(65), password: 'x' }]) {
      expect(login(sample)).toBe(staffLoginSchema.safeParse(sample).success);
    }
  });

  it('expands a query schema into one form parameter per field', () => {
    const params = doc.paths['/api/v1/admin/statistics']!.get!.parameters as Operation[];
    expect(params.map((p) => p.name).sort()).toEqual(Object.keys(statisticsQuerySchema.shape).sort());
    for (const p of params) expect(p).toMatchObject({ in: 'query', style: 'form', explode: true });
    const brigade = compile(params.find((p) => p.name === 'brigade')!.schema);
    for (const value of ['JM-PJ', 'x y', '']) expect(brigade(value)).toBe(statisticsQuerySchema.shape.brigade.safeParse(value).success);
  });

  it('describes the error body the server really sends, with every ErrorCode of typings/api/errors.ts', async () => {
    const errorBody = doc.components.schemas.ErrorBody;
    // The union as the TypeScript compiler reads it, apart from the generator's own reading.
    const file = ts.createSourceFile('errors.ts', readFileSync(join(REPO_ROOT, 'typings/api/errors.ts'), 'utf8'), ts.ScriptTarget.ES2022);
    const alias = file.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'ErrorCode')!;
    const codes = (alias.type as ts.UnionTypeNode).types.map((node) => ((node as ts.LiteralTypeNode).literal as ts.StringLiteral).text);
    expect(errorBody.properties.code.enum).toEqual(codes);

    const check = compile({ $ref: '#/components/schemas/ErrorBody' });
    const failures = [
      await t.http.post('/api/v1/staff/login', { username: '' }), // 400 with issues
      await t.http.post('/api/v1/staff/login', undefined, { raw: '{"username":' }), // 400 INVALID_JSON
      await t.http.get('/api/v1/me'), // 401
      await t.http.get('/api/v1/no-such-route'), // 404
      await t.http.post('/api/v1/staff/login', { username: 'x'.repeat(300_000), password: 'x' }), // 413 (over MAX_JSON_BODY)
    ];
    expect(failures.map((f) => f.status)).toEqual([400, 400, 401, 404, 413]);
    for (const failure of failures) {
      expect({ body: failure.body, valid: check(failure.body), errors: check.errors ?? null }).toMatchObject({ valid: true, errors: null });
    }
    // Every failure a route answers with is documented with that body.
    const login = doc.paths['/api/v1/staff/login']!.post!.responses;
    const responses = (doc.components as Record<string, any>).responses;
    for (const status of ['400', '401', '403', '404', '413', '415', '429']) {
      expect(login[status]).toEqual({ $ref: `#/components/responses/Error${status}` });
      expect(responses[`Error${status}`].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    }
  });

  it('answers the same document again (built once, kept in memory)', async () => {
    const again = await t.http.get<Doc>('/api/openapi.json');
    expect(again.body).toEqual(doc);
  });
});
