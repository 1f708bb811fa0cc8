/** Construction-time checks of Go-duration props (`"1h"`, `"30m"`), the notation Cloudflare uses. */
import { formatMinutes, goDurationMinutes } from "../../engine/model/duration";
import type { Profile } from "../../policies/rule";
import { isToken, type PropChecker, threshold } from "../props";

/**
 * Refuses a duration prop that is not a Go duration, is zero, or is longer than the rule's threshold
 * for the profile (`ruleId`'s `maxSessionMinutes`). A token is left to the synth-time check.
 */
export function requireSessionDuration(check: PropChecker, prop: string, value: string, ruleId: string, profile: Profile): void {
  if (isToken(value)) return;
  const max = threshold(ruleId, "maxSessionMinutes", profile) as number;
  const minutes = goDurationMinutes(value);
  if (minutes === undefined) check.invalid(prop, `is ${JSON.stringify(value)}, which is not a duration; write it as Cloudflare does, e.g. "1h" or "30m"`);
  check.require(minutes > 0 && minutes <= max, value, prop, `between 1m and ${formatMinutes(max)} allowed under the ${profile} profile`, ruleId);
}
