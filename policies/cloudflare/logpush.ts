import type { Resource } from "../../engine/model/model";
import { splitTemplate } from "../../engine/hcl/resolve";
import { read, walk } from "../../engine/model/view";
import { defineRule, fail, notApplicable, pass, unknown, type Verdict } from "../rule";
import { decide, getString } from "../shared/read";
import { requireSome } from "../shared/scope";

const JOB = "cloudflare_logpush_job";
const SIEM = "Every Access and Gateway event streamed to Cloudflare's SIEM in 2023, which is how an Okta-session intruder was seen within hours.";

/** Whether a job certainly (true), possibly ("unknown") or never (false) ships `datasets`. */
function ships(job: Resource, datasets: readonly string[]): true | false | "unknown" {
  const ds = read(job, "dataset");
  const en = read(job, "enabled");
  if (ds.state === "known" && !datasets.includes(ds.value as string)) return false;
  if (en.state === "known" && en.value !== true && en.value !== "true") return false;
  if (ds.state === "unknown" || en.state === "unknown" || job.conditional) return "unknown";
  return ds.state === "known";
}

export const zeroTrustLogsStream = defineRule({
  id: "CF-LOG-1",
  kind: "scope",
  severity: "error",
  title: "Zero Trust logs stream to a SIEM",
  rationale: SIEM,
  references: ["Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)", "Cloudflare Logpush: Zero Trust datasets"],
  passes:
    "`cloudflare_logpush_job`s with `enabled = true` (the default is false) exist for datasets `access_requests`, `audit_logs` (or `audit_logs_v2`) and `device_posture_results`; plus `gateway_dns`, `gateway_http`, `gateway_network` when the scope has any `cloudflare_zero_trust_gateway_policy`; `strict` adds `zero_trust_network_sessions`",
  provider: "cloudflare",
  resourceTypes: [JOB, "cloudflare_zero_trust_gateway_policy"],
  reads: ["dataset", "enabled"],
  thresholds: {
    requireNetworkSessions: { recommended: false, strict: true, weaker: "false", description: "zero_trust_network_sessions must be shipped too" },
  },
  evaluate(scope, ctx): Verdict {
    if (!scope.uses("cloudflare")) return notApplicable();
    const wanted: string[][] = [["access_requests"], ["audit_logs", "audit_logs_v2"], ["device_posture_results"]];
    if (scope.ofKind("cloudflare_zero_trust_gateway_policy").length > 0) wanted.push(["gateway_dns"], ["gateway_http"], ["gateway_network"]);
    if (ctx.t.requireNetworkSessions) wanted.push(["zero_trust_network_sessions"]);
    const jobs = scope.ofKind(JOB);
    const missing: string[] = [];
    let maybe: string | undefined;
    for (const alts of wanted) {
      const states = jobs.map((j) => ships(j, alts));
      if (states.includes(true)) continue;
      missing.push(alts.join(" or "));
      const i = states.indexOf("unknown");
      if (i >= 0) maybe ??= jobs[i].address;
    }
    if (missing.length === 0) return pass();
    // Jobs for a missing dataset that exist but are off: name them, so the fix is one attribute.
    const missingDatasets = wanted.filter((alts) => missing.includes(alts.join(" or "))).flat();
    const disabled = jobs.flatMap((j) => {
      const ds = read(j, "dataset");
      const en = read(j, "enabled");
      if (ds.state !== "known" || !missingDatasets.includes(ds.value as string) || en.state !== "known" || en.value === true || en.value === "true") return [];
      return [`${j.address} (${String(ds.value)})`];
    });
    // A plan shows an unset `enabled` as its default, false: the message reads the same for both.
    const message = `no enabled cloudflare_logpush_job ships ${missing.join(", ")}${disabled.length ? `; disabled (enabled is false, its default when unset): ${disabled.join(", ")}` : ""}`;
    return maybe ? unknown(undefined, `${message}, unless ${maybe} does: its values or count are not known before apply`) : fail(undefined, missing, message);
  },
});

export const deliveryAuthenticated = defineRule({
  id: "CF-LOG-2",
  kind: "resource",
  severity: "error",
  title: "Log delivery is authenticated and verified",
  rationale: `${SIEM} Logs sent in clear text or to an unverified endpoint can be read or forged on the way.`,
  references: ["Cloudflare Logpush: destination configuration"],
  passes: "no `cloudflare_logpush_job.destination_conf` starts with `http://` or contains `insecure-skip-verify=true`",
  provider: "cloudflare",
  resourceTypes: [JOB],
  reads: ["destination_conf"],
  evaluate(r) {
    const conf = getString(r, "destination_conf");
    if (!conf.ok && conf.verdict.outcome === "unknown") return judgeTemplate(walk(r.raw, "destination_conf")) ?? conf.verdict;
    return decide(conf, (text) => (text === undefined ? notApplicable("no destination_conf") : (judgeDestination(text) ?? pass())));
  },
});

/** The failing verdict for a destination, or undefined when it is authenticated and verified. */
function judgeDestination(text: string): Verdict | undefined {
  if (/^http:\/\//i.test(text)) return fail("destination_conf", "http://…", "logs are delivered over plain http; use https");
  if (/insecure-skip-verify=true/i.test(text)) return fail("destination_conf", "insecure-skip-verify=true", "TLS verification is off (insecure-skip-verify=true)");
  return undefined;
}

/**
 * Query parameters whose values are credentials (or, for `header_*`, request header values). An
 * interpolation inside such a value is skipped when judging the template; any other interpolation
 * leaves the verdict unknown.
 *
 * Why they are still judged harmless: not because Cloudflare treats them as opaque. Logpush reads
 * destination_conf as a URL, and `header_*` values are URL query parameters (Cloudflare's examples
 * URL-encode them: `header_Authorization=Bearer%20<token>`), so a value holding an unencoded
 * `&insecure-skip-verify=true` would start a parameter of its own. They are skipped because a
 * credential is issued by the destination, in an alphabet with no `&` (hex, UUID, base64 or base64url,
 * a JWT), so it cannot add a parameter, and whoever sets it does not set TLS options through it. A
 * variable meant for a token that held URL syntax would not be a credential; `urlencode(...)` (what
 * the constructs write) rules even that out.
 */
const CREDENTIAL_PARAM = /^(?:header_[^=&?]+|secret-access-key|access-key-id|sig)$/i;

/**
 * A destination written as a template (`...&header_Authorization=Splunk%20${var.token}`) is judged on
 * its literal text when every interpolation sits inside the value of a credential parameter (see
 * {@link CREDENTIAL_PARAM}) in the query string: there it can carry a credential but cannot change
 * the scheme, the host or the TLS settings. Any other interpolation (a scheme, a host, a path, the
 * value of `insecure-skip-verify` or of any other parameter, a parameter name) and any template
 * directive (`%{ if }`) leave it unknown.
 */
function judgeTemplate(raw: unknown): Verdict | undefined {
  if (typeof raw !== "string" || raw.includes("%{") || raw.includes("$${")) return undefined;
  const parts = splitTemplate(raw);
  if (!parts || parts.every((p) => typeof p === "string")) return undefined;
  // Each interpolation becomes one placeholder, so text inside it (`&`, `=`, `?`) moves no boundary.
  const HOLE = "\u0000";
  let text = "";
  const at: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") text += p;
    else {
      at.push(text.length);
      text += HOLE;
    }
  }
  const schemeEnd = text.indexOf("://");
  const query = schemeEnd < 0 ? -1 : text.indexOf("?", schemeEnd + 3);
  for (const i of at) {
    if (query < 0 || i < query) return undefined;
    const param = /[?&]([^&?=]*)=[^&?]*$/.exec(text.slice(query, i));
    if (!param || param[1].includes(HOLE) || !CREDENTIAL_PARAM.test(param[1])) return undefined;
  }
  return judgeDestination(text.split(HOLE).join("")) ?? pass();
}

export const disabledJobAlert = defineRule({
  id: "CF-LOG-3",
  kind: "scope",
  severity: "warning",
  title: "A disabled Logpush job raises an alert",
  rationale: `${SIEM} Cloudflare disables a job whose destination keeps failing; nobody notices the silence unless it raises an alert.`,
  references: ["Cloudflare notifications: failing_logpush_job_disabled_alert"],
  passes: 'when Logpush jobs exist, a `cloudflare_notification_policy` with `alert_type = "failing_logpush_job_disabled_alert"` exists',
  provider: "cloudflare",
  resourceTypes: [JOB, "cloudflare_notification_policy"],
  reads: ["alert_type"],
  evaluate(scope): Verdict {
    if (scope.ofKind(JOB).length === 0) return notApplicable("no Logpush jobs");
    return requireSome(
      scope,
      "cloudflare",
      scope.ofKind("cloudflare_notification_policy"),
      (r) => {
        const t = read(r, "alert_type");
        return t.state === "unknown" ? "unknown" : t.state === "known" && t.value === "failing_logpush_job_disabled_alert";
      },
      "no cloudflare_notification_policy alerts on failing_logpush_job_disabled_alert",
    );
  },
});

