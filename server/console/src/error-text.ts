import { toApiError } from './api';

/**
 * A failed call in words for the ops pages. A validation answer's own message names the field in code
 * ("请求参数有误：exceptions.0.reason：…"); its issues say what is wrong, each prefixed with the field's
 * name in words where the page knows it.
 */
export function errorText(err: unknown, fieldName: (path: string) => string | null = () => null): string {
  const error = toApiError(err);
  if (!error.issues?.length) return error.message;
  const lines = error.issues.map((issue) => {
    const name = fieldName(issue.path);
    return name ? `${name}：${issue.message}` : issue.message;
  });
  return [...new Set(lines)].join('；');
}
