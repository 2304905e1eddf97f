import { pino, type Logger } from 'pino';

export type { Logger };

/** The one structured logger of the process (JSON lines on stdout). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'shanwang' } });
}
