import { EventHook } from "@cdktf/provider-okta/lib/event-hook";
import { EventHookVerification } from "@cdktf/provider-okta/lib/event-hook-verification";
import { LogStream } from "@cdktf/provider-okta/lib/log-stream";
import { Construct } from "constructs";
import events from "../../data/okta-event-types.json";
import { MONITORED_EVENTS } from "../../policies/okta/logging";
import { type PostureConstructProps, PropChecker, requireSecretToken } from "../props";

/** Splunk Cloud HTTP Event Collector. */
export interface SplunkCloudDestination {
  readonly kind: "splunk";
  /** The Splunk Cloud host, e.g. `acme.splunkcloud.com`. */
  readonly host: string;
  /** The Splunk Cloud edition. */
  readonly edition: "aws" | "gcp" | "aws_govcloud";
  /** The HEC token: a sensitive `TerraformVariable`'s value or another token, never a literal. */
  readonly token: string;
}

/** AWS EventBridge partner event source. */
export interface EventBridgeDestination {
  readonly kind: "eventbridge";
  readonly accountId: string;
  readonly region: string;
  /** Name of the partner event source Okta creates. */
  readonly eventSourceName: string;
}

export interface OktaSystemLogStreamProps extends PostureConstructProps {
  readonly destination: SplunkCloudDestination | EventBridgeDestination;
  /** Log stream name. @default "SIEM" */
  readonly name?: string;
}

/**
 * Streams the Okta System Log to a SIEM (Splunk Cloud or AWS EventBridge), the detection that caught
 * the 2023 support-system intrusion. Passes OKTA-LOG-1; the Splunk token must be a token (SECRET-1).
 */
export class OktaSystemLogStream extends Construct {
  readonly stream: LogStream;

  constructor(scope: Construct, id: string, props: OktaSystemLogStreamProps) {
    super(scope, id);
    const check = new PropChecker(this, "OktaSystemLogStream", props);
    const d = props.destination;
    if (d.kind === "splunk") requireSecretToken(check, "destination.token", d.token);
    this.stream = new LogStream(this, "stream", {
      name: props.name ?? "SIEM",
      status: "ACTIVE",
      ...(d.kind === "splunk"
        ? { type: "splunk_cloud_logstreaming", settings: { host: d.host, edition: d.edition, token: d.token } }
        : { type: "aws_eventbridge", settings: { accountId: d.accountId, region: d.region, eventSourceName: d.eventSourceName } }),
    });
  }
}

export interface SecurityEventHooksProps extends PostureConstructProps {
  /** The responder's HTTPS endpoint. */
  readonly url: string;
  /** The value of the authorization header: a sensitive `TerraformVariable`'s value or another token. */
  readonly authValue: string;
  /** The authorization header's name. @default "Authorization" */
  readonly authHeader?: string;
  /**
   * Events to subscribe to, each hook-eligible in Okta's catalogue.
   * @default the events OKTA-MON-1 asks for
   */
  readonly events?: string[];
  /** Events added to `events`. @default none */
  readonly additionalEvents?: string[];
  /** Verify the hook with Okta (`okta_event_hook_verification`; the endpoint must answer the challenge). @default true */
  readonly verify?: boolean;
  /** Hook name. @default "Security responder" */
  readonly name?: string;
}

const ELIGIBLE = new Set(events.hookEligible);

/**
 * An event hook that pushes the changes an intruder makes first (factor resets, privilege grants,
 * policy edits, API tokens, log stream deactivation) to a responder in seconds. Passes OKTA-MON-1 and
 * OKTA-MON-2; every event is checked against Okta's hook-eligible list at construction.
 */
export class SecurityEventHooks extends Construct {
  readonly hook: EventHook;

  constructor(scope: Construct, id: string, props: SecurityEventHooksProps) {
    super(scope, id);
    const check = new PropChecker(this, "SecurityEventHooks", props);
    requireSecretToken(check, "authValue", props.authValue);
    if (!/^https:\/\//.test(props.url) && !/\$\{/.test(props.url)) check.invalid("url", "must be an https:// URL");
    const subscribed = [...new Set([...(props.events ?? MONITORED_EVENTS), ...(props.additionalEvents ?? [])])];
    for (const e of subscribed) {
      if (!ELIGIBLE.has(e)) {
        check.invalid(
          "events",
          events.notHookEligible.includes(e)
            ? `has ${e}, which Okta cannot deliver to an event hook; watch it through OktaSystemLogStream in the SIEM instead (OKTA-MON-2)`
            : `has ${e}, which is not an Okta System Log event type (OKTA-MON-2)`,
        );
      }
    }
    this.hook = new EventHook(this, "hook", {
      name: props.name ?? "Security responder",
      status: "ACTIVE",
      events: subscribed,
      channel: { type: "HTTP", version: "1.0.0", uri: props.url },
      auth: { type: "HEADER", key: props.authHeader ?? "Authorization", value: props.authValue },
    });
    if (props.verify !== false) new EventHookVerification(this, "verification", { eventHookId: this.hook.id });
  }
}
