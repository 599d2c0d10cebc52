import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Nothing a user typed belongs in a log line: call sites log ids and codes only,
 * and these paths are redacted as a second line of defence.
 */
export const REDACTED_PATHS = [
  'text', '*.text', 'value', '*.value', 'summary', '*.summary', 'schoolRef', '*.schoolRef',
  'message', '*.message', 'attachments', '*.attachments', 'activity', 'body', '*.body', 'name', '*.name',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'sst-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
