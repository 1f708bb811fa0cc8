import { MONITORED_EVENTS } from "../../policies/okta/logging";
import { cases, findingsOf, res, tf, unknownVar } from "../helpers";

const stream = (body: object) => res("okta_log_stream", "s", { name: "s", type: "aws_eventbridge", settings: { account_id: "1", region: "us-east-1", event_source_name: "okta" }, ...body });
const hook = (name: string, events: unknown, body: object = {}) => res("okta_event_hook", name, { name, events, channel: { type: "HTTP", version: "1.0.0", uri: "https://x" }, ...body });

cases("OKTA-LOG-1", [
  { name: "active stream", tf: stream({}), expect: "pass" },
  { name: "status absent reads active", tf: stream({ status: undefined }), expect: "pass" },
  { name: "inactive stream", tf: stream({ status: "INACTIVE" }), expect: "fail" },
  { name: "no stream", tf: res("okta_group", "g", { name: "g" }), expect: "fail" },
  { name: "stream status unknown", tf: tf(unknownVar("s"), stream({ status: "${var.s}" })), expect: "unknown" },
]);

cases("OKTA-MON-1", [
  { name: "one hook with every event", tf: hook("h", [...MONITORED_EVENTS]), expect: "pass" },
  { name: "two hooks together", tf: tf(hook("a", MONITORED_EVENTS.slice(0, 8)), hook("b", MONITORED_EVENTS.slice(8))), expect: "pass" },
  { name: "one event missing", tf: hook("h", MONITORED_EVENTS.slice(1)), expect: "fail" },
  { name: "inactive hook", tf: hook("h", [...MONITORED_EVENTS], { status: "INACTIVE" }), expect: "fail" },
  { name: "events from a variable", tf: tf(unknownVar("e"), hook("h", "${var.e}")), expect: "unknown" },
]);

cases("OKTA-MON-2", [
  { name: "eligible events", tf: hook("h", ["user.lifecycle.create", "group.privilege.grant"]), expect: "pass" },
  { name: "support impersonation is not eligible", tf: hook("h", ["user.session.impersonation.initiate"]), expect: "fail" },
  { name: "not an event type", tf: hook("h", ["user.lifecycle.created"]), expect: "fail" },
  { name: "no events", tf: hook("h", []), expect: "pass" },
  { name: "an event from a variable", tf: tf(unknownVar("e"), hook("h", ["user.lifecycle.create", "${var.e}"])), expect: "unknown" },
]);

describe("OKTA-MON-2 message", () => {
  it("points at the log stream for ineligible events", () => {
    const [f] = findingsOf("OKTA-MON-2", hook("h", ["user.session.impersonation.initiate"]));
    expect(f.message).toContain("log stream");
  });
  it("every monitored event is itself hook-eligible", () => {
    expect(findingsOf("OKTA-MON-2", hook("h", [...MONITORED_EVENTS]))).toEqual([]);
  });
});
