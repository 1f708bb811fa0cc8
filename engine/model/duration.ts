/**
 * Duration parsing for the two notations the providers use. Both return minutes (fractional allowed),
 * or undefined when the text is not a duration: the caller turns that into a failing verdict that
 * names the attribute, never into a pass.
 */

/** ISO-8601 durations as Okta writes them: `PT2H`, `PT15M`, `P1D`, `PT43800H`, `PT2H10M`. */
export function isoDurationMinutes(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    text.trim(),
  );
  if (!m || text.trim() === "P" || text.trim().endsWith("T")) return undefined;
  const [, w, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  if ([w, d, h, min, s].every((x) => x === 0) && !/\d/.test(text)) return undefined;
  return w * 7 * 24 * 60 + d * 24 * 60 + h * 60 + min + s / 60;
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1 / 60e9,
  us: 1 / 60e6,
  "µs": 1 / 60e6,
  ms: 1 / 60e3,
  s: 1 / 60,
  m: 1,
  h: 60,
};

/** Go durations as Cloudflare writes them: `24h`, `30m`, `1h30m`, `0s`, `1.5h`. */
export function goDurationMinutes(text: string): number | undefined {
  const t = text.trim();
  if (t === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * GO_UNITS[m[2]];
    pos = re.lastIndex;
  }
  return pos === t.length && pos > 0 ? total : undefined;
}

/** Prints minutes back in the notation of the attribute, for messages. */
export function formatMinutes(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${Math.round(minutes * 100) / 100}m`;
}
