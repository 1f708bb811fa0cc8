import { LogpushJob, type LogpushJobOutputOptions } from "@cdktf/provider-cloudflare/lib/logpush-job";
import { NotificationPolicy } from "@cdktf/provider-cloudflare/lib/notification-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { DESTINATION_SECRET_PARAMS } from "../../policies/shared/secrets";
import { type PostureConstructProps, PropChecker, threshold } from "../props";
import type { LogpushDestination } from "./logpush-destinations";
import { terraformLiteral } from "./terraform-text";

/** Who hears that Cloudflare disabled a failing Logpush job. At least one target is needed. */
export interface LogpushAlertTargets {
  /** Email addresses. @default none */
  readonly emails?: string[];
  /** Ids of notification webhooks (`cloudflare_notification_policy_webhooks`). @default none */
  readonly webhookIds?: string[];
  /** Ids of connected PagerDuty services. @default none */
  readonly pagerdutyIds?: string[];
}

export interface ZeroTrustLogpushProps extends PostureConstructProps {
  /** The Cloudflare account id. */
  readonly accountId: string;
  /** Where the logs go: `LogpushDestination.splunk(...)`, `.s3(...)`, `.datadog(...)`, `.r2(...)` or `.custom(...)`. */
  readonly destination: LogpushDestination;
  /**
   * Also ship the Gateway datasets (`gateway_dns`, `gateway_http`, `gateway_network`). Required when
   * the account has Gateway policies (CF-LOG-1 then asks for them; the synth-time check sees it).
   * @default false
   */
  readonly gateway?: boolean;
  /**
   * Also ship `zero_trust_network_sessions`. Required under the strict profile (CF-LOG-1).
   * @default true under the strict profile, else false
   */
  readonly networkSessions?: boolean;
  /** More account-level datasets to ship to the same destination. @default none */
  readonly additionalDatasets?: string[];
  /**
   * Who is alerted when Cloudflare disables a failing job (`failing_logpush_job_disabled_alert`,
   * CF-LOG-3). Leaving it out is refused unless CF-LOG-3 is waived.
   * @default none (refused unless waived)
   */
  readonly alert?: LogpushAlertTargets;
  /**
   * Output format of every job (fields, timestamps). Write the text fields (`recordTemplate`, the
   * prefixes, suffixes and delimiters) as Cloudflare documents them: the construct escapes `${` and
   * `%{` in them for Terraform. @default Cloudflare's default for each dataset
   */
  readonly outputOptions?: LogpushJobOutputOptions;
  /**
   * Prefix of the job names (`<prefix>-access-requests`, ...).
   * @default "zero-trust"
   */
  readonly namePrefix?: string;
}

const BASE_DATASETS = ["access_requests", "audit_logs", "device_posture_results"];
const GATEWAY_DATASETS = ["gateway_dns", "gateway_http", "gateway_network"];

/**
 * Streams the Zero Trust logs to a SIEM, the detection that saw the 2023 intruder within hours:
 * enabled Logpush jobs for Access requests, audit logs and device posture results (plus Gateway and
 * network sessions when asked), delivered over verified TLS with credentials from variables, and a
 * notification when Cloudflare disables a failing job. Passes CF-LOG-1 to CF-LOG-3 and SECRET-1.
 */
export class ZeroTrustLogpush extends Construct {
  /** The jobs, by dataset. */
  readonly jobs: Readonly<Record<string, LogpushJob>>;
  readonly alertPolicy?: NotificationPolicy;

  constructor(scope: Construct, id: string, props: ZeroTrustLogpushProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "ZeroTrustLogpush", props);
    const networkSessions = props.networkSessions ?? threshold("CF-LOG-1", "requireNetworkSessions", profile) === true;
    check.require(
      networkSessions || threshold("CF-LOG-1", "requireNetworkSessions", profile) !== true,
      networkSessions,
      "networkSessions",
      `the ${profile} profile ships zero_trust_network_sessions too`,
      "CF-LOG-1",
    );
    const datasets = [
      ...new Set([
        ...BASE_DATASETS,
        ...(props.gateway ? GATEWAY_DATASETS : []),
        ...(networkSessions ? ["zero_trust_network_sessions"] : []),
        ...(props.additionalDatasets ?? []),
      ]),
    ];
    const d = props.destination;
    for (const dataset of datasets) {
      validateDestination(check, d.destinationConf(dataset));
      if (d.needsOwnershipChallenge && !d.ownershipChallenge(dataset)) {
        check.invalid("destination", `(${d.kind}) has no ownership challenge for ${dataset}; add it to ownershipChallenges`);
      }
    }
    const prefix = props.namePrefix ?? "zero-trust";
    const jobs: Record<string, LogpushJob> = {};
    for (const dataset of datasets) {
      jobs[dataset] = new LogpushJob(this, dataset, {
        accountId: props.accountId,
        name: `${prefix}-${dataset.replace(/_/g, "-")}`,
        dataset,
        enabled: true,
        destinationConf: d.destinationConf(dataset),
        ownershipChallenge: d.ownershipChallenge(dataset),
        outputOptions: literalOutputOptions(props.outputOptions),
      });
    }
    this.jobs = jobs;

    const a = props.alert;
    const targets = (a?.emails?.length ?? 0) + (a?.webhookIds?.length ?? 0) + (a?.pagerdutyIds?.length ?? 0);
    check.require(targets > 0, a ?? null, "alert", "give at least one email, webhook or PagerDuty target for the failing_logpush_job_disabled_alert notification", "CF-LOG-3");
    if (a && targets > 0) {
      const ids = (xs?: string[]) => (xs && xs.length > 0 ? xs.map((id) => ({ id })) : undefined);
      this.alertPolicy = new NotificationPolicy(this, "disabled-job-alert", {
        accountId: props.accountId,
        name: "A Zero Trust Logpush job was disabled",
        description: "Cloudflare disabled a Logpush job whose destination kept failing: Zero Trust logs no longer reach the SIEM.",
        alertType: "failing_logpush_job_disabled_alert",
        enabled: true,
        mechanisms: { email: ids(a.emails), webhooks: ids(a.webhookIds), pagerduty: ids(a.pagerdutyIds) },
      });
    }
  }
}

/** The text fields of the output options that Cloudflare writes into (or expands for) every record or batch. */
const OUTPUT_TEXT_FIELDS = ["batchPrefix", "batchSuffix", "fieldDelimiter", "recordDelimiter", "recordPrefix", "recordSuffix", "recordTemplate"] as const;

/** The output options with `${` and `%{` in their literal text escaped for Terraform; a token is passed unchanged. */
function literalOutputOptions(o: LogpushJobOutputOptions | undefined): LogpushJobOutputOptions | undefined {
  if (o === undefined || Token.isUnresolved(o)) return o;
  const out: Record<string, unknown> = { ...o };
  for (const k of OUTPUT_TEXT_FIELDS) if (typeof o[k] === "string") out[k] = terraformLiteral(o[k]);
  return out as LogpushJobOutputOptions;
}

/** Refuses plain http, skipped TLS verification (CF-LOG-2) and literal credentials (SECRET-1). */
function validateDestination(check: PropChecker, conf: string): void {
  check.require(!/^http:\/\//i.test(conf), "http://…", "destination", "deliver over https", "CF-LOG-2");
  check.require(!/insecure-skip-verify=true/i.test(conf), "insecure-skip-verify=true", "destination", "keep TLS verification on", "CF-LOG-2");
  for (const m of conf.matchAll(DESTINATION_SECRET_PARAMS)) {
    if (m[2] === "") continue;
    check.require(
      Token.isUnresolved(m[2]),
      "(a literal)",
      `destination ${m[1]}`,
      "pass the credential as a sensitive TerraformVariable or another token, never a literal",
      "SECRET-1",
    );
  }
}
