/**
 * Structured logs for the run task server: one JSON object per line. A log line carries only the
 * fields a caller names, and any field whose name says it could hold a credential is dropped before
 * writing, so neither an access token, the HMAC key nor a plan value can reach the log.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

const CREDENTIAL_FIELD = /token|authori[sz]ation|secret|key|signature|password|cookie/i;

/** A logger writing JSON lines through `write` (stderr by default); `now` is injectable for tests. */
export function jsonLogger(write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  return {
    log(level, msg, fields = {}) {
      const line: Record<string, unknown> = { time: now().toISOString(), level, msg };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined && !CREDENTIAL_FIELD.test(k)) line[k] = v;
      write(JSON.stringify(line) + "\n");
    },
  };
}
