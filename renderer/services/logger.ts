// Named loggers for the renderer. The one place that writes to the devtools console.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<LogLevel, (message: string, detail?: unknown) => void>;

const sink = globalThis.console;

export function createLogger(name: string): Logger {
  const write = (level: LogLevel) => (message: string, detail?: unknown) => {
    const line = `[${name}] ${message}`;
    if (detail === undefined) sink[level](line);
    else sink[level](line, detail);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
