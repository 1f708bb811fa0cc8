import events from "../../data/okta-event-types.json";
import { isUnknown } from "../../engine/model/model";
import { asList, read } from "../../engine/model/view";
import { defineRule, fail, pass, unknown, type Verdict } from "../rule";
import { isActive } from "../shared/read";
import { requireSome } from "../shared/scope";

const SIEM =
  "Cloudflare detected the 2023 Okta support breach because every Okta event streamed to its SIEM, where an unusual admin session stood out within hours.";

export const systemLogStreams = defineRule({
  id: "OKTA-LOG-1",
  kind: "scope",
  severity: "error",
  title: "System Log streams to a SIEM",
  rationale: `${SIEM} Okta keeps the System Log for 90 days and offers no alerting of its own.`,
  references: ["DISA Okta IDaaS STIG V1R1 (log offload)", "Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)"],
  passes: "an active `okta_log_stream` exists",
  provider: "okta",
  resourceTypes: ["okta_log_stream"],
  reads: ["status"],
  evaluate: (scope) => requireSome(scope, "okta", scope.ofKind("okta_log_stream"), isActive, "no active okta_log_stream sends the System Log to a SIEM"),
});

/** The events Cloudflare's advice says to watch, that event hooks can deliver (OKTA-MON-1). */
export const MONITORED_EVENTS: readonly string[] = [
  "user.lifecycle.create",
  "user.lifecycle.reactivate",
  "user.mfa.factor.deactivate",
  "user.mfa.factor.reset_all",
  "user.account.reset_password",
  "user.account.update_password",
  "user.account.privilege.grant",
  "group.privilege.grant",
  "policy.lifecycle.update",
  "policy.lifecycle.deactivate",
  "policy.rule.update",
  "policy.rule.deactivate",
  "security.authenticator.lifecycle.deactivate",
  "application.user_membership.add",
  "system.idp.lifecycle.create",
  "system.api_token.create",
  "system.log_stream.lifecycle.deactivate",
];

export const monitoredEvents = defineRule({
  id: "OKTA-MON-1",
  kind: "scope",
  severity: "warning",
  title: "Sensitive changes reach a responder in real time",
  rationale: `${SIEM} Event hooks push the changes an intruder makes first (new factors, privilege grants, policy edits, API tokens) to a responder within seconds.`,
  references: ["Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)", "Okta: event hooks"],
  passes: "the active `okta_event_hook`s together subscribe to: " + MONITORED_EVENTS.map((e) => `\`${e}\``).join(", "),
  provider: "okta",
  resourceTypes: ["okta_event_hook"],
  reads: ["status", "events"],
  evaluate(scope) {
    if (!scope.uses("okta")) return { outcome: "not-applicable" };
    const covered = new Set<string>();
    let uncertain: string | undefined;
    for (const hook of scope.ofKind("okta_event_hook")) {
      const active = isActive(hook);
      if (active === false) continue;
      const evs = read(hook, "events");
      const list = evs.state === "known" ? asList(evs.value) : undefined;
      if (evs.state === "unknown" || active === "unknown" || hook.conditional || list?.some(isUnknown)) {
        uncertain ??= hook.address;
        if (active === "unknown" || hook.conditional || !list) continue;
      }
      for (const e of list ?? []) if (typeof e === "string") covered.add(e);
    }
    const missing = MONITORED_EVENTS.filter((e) => !covered.has(e));
    if (missing.length === 0) return pass();
    const message = `no active okta_event_hook subscribes to ${missing.join(", ")}`;
    return uncertain ? unknown(undefined, `${message}, unless ${uncertain} does: its values or count are not known before apply`) : fail("events", missing, message);
  },
});

const ELIGIBLE = new Set(events.hookEligible);
const INELIGIBLE = new Set(events.notHookEligible);

export const hookEligibleEvents = defineRule({
  id: "OKTA-MON-2",
  kind: "resource",
  severity: "error",
  title: "Event hooks subscribe only to hook-eligible events",
  rationale:
    "Okta rejects an event hook that names an event it cannot deliver, so a hook with one such event delivers none: the responder hears nothing. Ineligible events (Okta Support impersonation among them) can only be watched in the SIEM.",
  references: ["Okta: event types catalogue (event-hook eligible)", "okta/okta-developer-docs data/event-types.json"],
  passes: "every event in every `okta_event_hook.events` is marked hook-eligible in Okta's event catalogue",
  provider: "okta",
  resourceTypes: ["okta_event_hook"],
  reads: ["events"],
  evaluate(r): Verdict {
    const evs = read(r, "events");
    if (evs.state === "unknown") return unknown("events", "events is not known before apply");
    if (evs.state === "absent") return pass();
    const list = asList(evs.value);
    if (!list) return fail("events", undefined, "events is not a list");
    let anyUnknown = false;
    for (const e of list) {
      if (isUnknown(e)) {
        anyUnknown = true;
        continue;
      }
      if (typeof e !== "string") return fail("events", undefined, "events has a value that is not a string");
      if (ELIGIBLE.has(e)) continue;
      return fail(
        "events",
        e,
        INELIGIBLE.has(e)
          ? `${e} is not hook-eligible: Okta refuses the hook; watch it through the log stream in the SIEM instead`
          : `${e} is not an Okta System Log event type`,
      );
    }
    return anyUnknown ? unknown("events", "some events are not known before apply") : pass();
  },
});
