import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import type { ValidationIssue } from '../../../typings/api/errors';
import { AppError } from './errors';
import { currentContract } from './contract';

/** zod issues as `{ path: 'a.b.0', message }`, the shape every 400 carries. */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function validationError(error: z.ZodError): AppError {
  const issues = toValidationIssues(error);
  const first = issues[0];
  const where = first && first.path ? `${first.path}：` : '';
  return new AppError(400, 'VALIDATION_FAILED', `请求参数有误：${where}${first?.message ?? '格式不正确'}`, { issues });
}

export function parseWith<T extends ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** A route with a contract may validate only what its contract publishes: the document cannot drift. */
function assertDeclared(ctx: Context, part: 'body' | 'query', schema: ZodType): void {
  const declared = currentContract(ctx);
  if (declared && declared[part] !== schema) {
    throw new Error(`${ctx.method} ${String(ctx._matchedRoute ?? ctx.path)} validates a ${part} schema its contract does not declare`);
  }
}

export const body = <T extends ZodType>(ctx: Context, schema: T): z.infer<T> => {
  assertDeclared(ctx, 'body', schema);
  return parseWith(schema, (ctx.request as { body?: unknown }).body ?? {});
};

export const query = <T extends ZodType>(ctx: Context, schema: T): z.infer<T> => {
  assertDeclared(ctx, 'query', schema);
  return parseWith(schema, ctx.query);
};
