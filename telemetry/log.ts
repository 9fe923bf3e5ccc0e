/**
 * Structured JSON logs (pino) for the API, the worker and the scripts. Secrets never reach a
 * line: known fields are redacted by path, and a bearer token, a cookie or a password in a URL is
 * scrubbed from any string logged, since an error message can quote a header or a connection URL.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** The `LOG_LEVEL` values the configuration accepts (the Temporal SDK's spelling). */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const SECRET_KEYS = ['authorization', 'cookie', 'set-cookie', 'token', 'password', 'adminToken', 'metricsToken'];

/** Paths pino censors: the secret keys at the top level, one level down and in headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.map((k) => `["${k}"]`),
  ...SECRET_KEYS.map((k) => `*["${k}"]`),
  ...SECRET_KEYS.map((k) => `*.headers["${k}"]`),
  'ADMIN_TOKEN',
  'METRICS_TOKEN',
  '*.ADMIN_TOKEN',
  '*.METRICS_TOKEN',
];

const SCRUBS: [RegExp, string][] = [
  [/\b(bearer)\s+[^\s"',;]+/gi, '$1 [Redacted]'],
  [/\b(cookie|set-cookie)(["']?\s*[:=]\s*["']?)[^"'\n]+/gi, '$1$2[Redacted]'],
  [/(\w+:\/\/[^:/@\s]+:)[^@/\s]+@/g, '$1[Redacted]@'],
];

/** A string with every bearer token, cookie value and URL password replaced by `[Redacted]`. */
export function scrub(text: string): string {
  return SCRUBS.reduce((s, [re, by]) => s.replace(re, by), text);
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value instanceof Error) {
    const copy = new Error(scrub(value.message));
    copy.name = value.name;
    copy.stack = value.stack && scrub(value.stack);
    return copy;
  }
  if (depth < 4 && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, depth + 1)]));
  }
  return value;
}

export interface LogOptions {
  level?: LogLevel | pino.Level;
  /** Where lines go; stdout when absent (pino-pretty's stream in `npm run dev`). */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ service: 'api' }`. */
  base?: Record<string, unknown>;
}

/** A logger with the project's redaction; `level` in either spelling. */
export function createLogger(opts: LogOptions = {}): Logger {
  const wanted = (opts.level ?? process.env.LOG_LEVEL ?? 'info').toLowerCase();
  const options: LoggerOptions = {
    // A bad LOG_LEVEL is the configuration's to report (with every other bad variable), not pino's to throw on.
    level: wanted in pino.levels.values || wanted === 'silent' ? wanted : 'info',
    base: opts.base ?? null,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        // Scrubbed before redaction's paths apply, so a secret inside a message or an error is caught too.
        method.apply(this, args.map((a) => scrubValue(a)) as Parameters<typeof method>);
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that writes nothing, for tests and callers that want silence. */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * The logger of the work in progress: an HTTP request's (with its request ID) in the API, an
 * activity's (with the request ID, workflow and activity) in the worker. Code deep in a call
 * takes its logger from here rather than through every signature.
 */
export const logContext = new AsyncLocalStorage<Logger>();

export const currentLogger = (fallback: Logger): Logger => logContext.getStore() ?? fallback;
