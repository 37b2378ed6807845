// Structured logger: one line per operation in a fixed shape,
//   2026-11-22T21:10:00.123Z info  store: opened database path=/var/lib/tsk8s/server/db/state.db
// `component` on every line; callers check `enabled(level)` before building
// expensive fields on hot paths.

export const levels = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof levels)[number];

export type Fields = Record<string, string | number | bigint | boolean | undefined>;

export interface Sink {
  write(line: string): void;
}

export interface Logger {
  readonly component: string;
  enabled(level: Level): boolean;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(component: string): Logger;
}

export interface LoggerOptions {
  level?: Level;
  sink?: Sink;
  now?: () => Date;
}

export function isLevel(value: string): value is Level {
  return (levels as readonly string[]).includes(value);
}

export function createLogger(component: string, opts: LoggerOptions = {}): Logger {
  const min = levels.indexOf(opts.level ?? 'info');
  const sink = opts.sink ?? process.stderr;
  const now = opts.now ?? (() => new Date());
  const emit = (level: Level, msg: string, fields?: Fields): void => {
    if (levels.indexOf(level) < min) return;
    sink.write(`${now().toISOString()} ${level.padEnd(5)} ${component}: ${msg}${formatFields(fields)}\n`);
  };
  return {
    component,
    enabled: (level) => levels.indexOf(level) >= min,
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (name) => createLogger(name, opts),
  };
}

/** A logger that drops everything: for tests and benchmarks. */
export const silentLogger: Logger = createLogger('silent', { sink: { write: () => {} }, level: 'error' });

function formatFields(fields: Fields | undefined): string {
  if (!fields) return '';
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    out += ` ${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`;
  }
  return out;
}
