import pino, { type Logger } from 'pino';
import { maskIdNumbersDeep } from './mask';

export type { Logger };

/**
 * Structured JSON logs. Secrets are removed by path; ID-card numbers are masked wherever they appear,
 * because a free-text field (an error message, an upstream response) can carry one too.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'quickhandling' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.passwordHash',
          '*.token',
          '*.accessToken',
          '*.refreshToken',
          '*.access_token',
          '*.session_key',
          '*.secret',
          '*.js_code',
        ],
        censor: '[redacted]',
      },
      formatters: {
        log: (object) => maskIdNumbersDeep(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // Mask the message string too: pino's formatters only see the object.
          const masked = args.map((a) => (typeof a === 'string' ? (maskIdNumbersDeep(a) as string) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
