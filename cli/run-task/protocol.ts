/**
 * HCP Terraform's run task protocol, to the letter of its integration API
 * (https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run-tasks/run-tasks-integration):
 * the request payload HCP Terraform POSTs, the `X-TFC-Task-Signature` check (hex HMAC-SHA512 of the
 * raw body), and the `task-results` body PATCHed to `task_result_callback_url`, with one
 * `task-result-outcomes` entry per finding and the `Severity` / `Status` tags HCP Terraform renders.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { type Finding, SCOPE_ADDRESS } from "../../engine/evaluate/evaluate";
import { ruleById } from "../../policies";
import { isBlocking, type Report } from "../../report/report";

/** The request header that carries the signature (HTTP header names are case-insensitive). */
export const SIGNATURE_HEADER = "x-tfc-task-signature";

/**
 * HCP Terraform's registration check POSTs a payload whose `access_token` is this placeholder; it
 * must get a 200 and nothing may run (hashicorp/terraform-run-task-scaffolding-go, internal/sdk/api:
 * "VerificationToken is a nonsense Terraform Cloud API token that should NEVER be valid").
 */
export const VERIFICATION_TOKEN = "test-token";

/** The stages whose payload carries `plan_json_api_url` and that this task judges. */
export const PLAN_STAGES: readonly string[] = ["post_plan", "pre_apply"];

/** The JSON:API media type HCP Terraform's API speaks. */
export const JSON_API = "application/vnd.api+json";

/**
 * True when `signature` is the hex HMAC-SHA512 of `body` under `key`. The comparison is constant-time
 * over the digest; a missing or malformed signature is simply false.
 */
export function signatureMatches(body: Buffer, signature: string | undefined, key: Buffer): boolean {
  if (!signature || !/^[0-9a-fA-F]{128}$/.test(signature)) return false;
  const expected = createHmac("sha512", key).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}

/** The fields of a run task request this server reads (the payload has more; they are ignored). */
export interface RunTaskRequest {
  payloadVersion: 1;
  stage: string;
  accessToken: string;
  taskResultId: string;
  callbackUrl: string;
  planJsonUrl?: string;
  runId: string;
  organization: string;
  workspace: string;
  isSpeculative: boolean;
  /** `capabilities.outcomes`: the caller accepts detailed outcomes (older Terraform Enterprise does not send it). */
  acceptsOutcomes: boolean;
}

/**
 * Reads a parsed request body. Returns a problem (a short sentence) when the body cannot be acted on
 * at all: not payload version 1, or no access token or callback URL to report back with.
 */
export function readRunTaskRequest(doc: unknown): RunTaskRequest | { problem: string } {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return { problem: "the body is not a JSON object" };
  const o = doc as Record<string, unknown>;
  if (o.payload_version !== 1) return { problem: "payload_version is not 1 (the only version HCP Terraform sends)" };
  const str = (k: string): string | undefined => (typeof o[k] === "string" && (o[k] as string).length > 0 ? (o[k] as string) : undefined);
  const accessToken = str("access_token");
  const callbackUrl = str("task_result_callback_url");
  if (!accessToken) return { problem: "access_token is missing" };
  if (!callbackUrl) return { problem: "task_result_callback_url is missing" };
  return {
    payloadVersion: 1,
    stage: str("stage") ?? "",
    accessToken,
    taskResultId: str("task_result_id") ?? "",
    callbackUrl,
    planJsonUrl: str("plan_json_api_url"),
    runId: str("run_id") ?? "",
    organization: str("organization_name") ?? "",
    workspace: str("workspace_name") ?? "",
    isSpeculative: o.is_speculative === true,
    acceptsOutcomes: typeof o.capabilities === "object" && o.capabilities !== null && (o.capabilities as Record<string, unknown>).outcomes === true,
  };
}

export type TaskStatus = "passed" | "failed" | "running";
export type TagLevel = "none" | "info" | "warning" | "error";

export interface Outcome {
  type: "task-result-outcomes";
  attributes: {
    "outcome-id": string;
    description: string;
    body?: string;
    tags?: Record<string, Array<{ label: string; level?: TagLevel }>>;
  };
}

export interface TaskResultBody {
  data: {
    type: "task-results";
    attributes: { status: TaskStatus; message: string; url?: string };
    relationships?: { outcomes: { data: Outcome[] } };
  };
}

/** Outcomes sent in one callback; past this the message says how many were left out. */
export const MAX_OUTCOMES = 500;
/** A description is "a one-line description of the result": longer ones are cut. */
const MAX_DESCRIPTION = 300;
/** The docs recommend outcome bodies under 1 MB; ours are a few hundred bytes, this only bounds odd values. */
const MAX_VALUE_CHARS = 2_000;

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

/** The one-line counts of a review, as the text report's summary line gives them. */
export function summaryMessage(report: Report): string {
  const s = report.summary;
  const verdict = s.errors > 0 ? (report.failOn === "any" ? "failing errors" : "new or regressed errors") : "no new or regressed errors";
  return (
    `identity-posture review (${report.profile}): ${verdict}: ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ` +
    `${s.unknown} unknown, ${s.waived} waived, ${s.passed} passed, ${s.fixed} fixed, ${report.findings.filter((f) => f.change === "existing").length} existing`
  );
}

/**
 * The callback body for a finished review: failed when a finding blocks (the CLI's exit code 1), with
 * one outcome per finding when the caller said it accepts outcomes.
 */
export function reviewResult(report: Report, acceptsOutcomes: boolean, maxOutcomes = MAX_OUTCOMES): TaskResultBody {
  const ordered = [...report.findings.filter((f) => isBlocking(report, f)), ...report.findings.filter((f) => !isBlocking(report, f))];
  const listed = ordered.slice(0, maxOutcomes);
  const left = ordered.length - listed.length;
  const message = summaryMessage(report) + (acceptsOutcomes && left > 0 ? ` (${plural(left, "more finding")} not listed)` : "");
  const attributes = { status: report.summary.errors > 0 ? ("failed" as const) : ("passed" as const), message };
  if (!acceptsOutcomes) return { data: { type: "task-results", attributes } };
  return { data: { type: "task-results", attributes, relationships: { outcomes: { data: listed.map((f) => outcomeOf(report, f)) } } } };
}

/** The callback body when the review could not be done: failed, because unknown is never a pass. */
export function errorResult(message: string): TaskResultBody {
  return { data: { type: "task-results", attributes: { status: "failed", message: `identity-posture could not review this run: ${message}` } } };
}

function severityTag(f: Finding): { label: string; level: TagLevel } {
  return f.severity === "error" ? { label: "Error", level: "error" } : { label: "Warning", level: "warning" };
}

function statusTag(report: Report, f: Finding): { label: string; level: TagLevel } {
  if (f.outcome === "waived") return { label: f.waiver?.expired ? "Waiver expired" : "Waived", level: "none" };
  if (f.outcome === "unknown") return { label: "Unknown", level: isBlocking(report, f) ? "error" : "warning" };
  const label = f.change === "regression" ? "Regression" : f.change === "existing" ? "Existing" : f.change === "drift" ? "Drift" : "New";
  return { label, level: isBlocking(report, f) ? "error" : f.severity === "error" ? "warning" : "info" };
}

/** Text without anything a renderer would turn into a link: URLs lose their scheme separator. */
export function linkFree(s: string): string {
  return s.replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, "$1[:]//").replace(/\bwww\./gi, "www[.]");
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A value in a Markdown code span: backticks cannot close it, and it cannot run on without bound. */
function codeSpan(v: unknown): string {
  const s = v === undefined ? "(absent)" : v === null ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v);
  const cut = s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
  const flat = cut.replace(/\r?\n/g, " ").replace(/`/g, "ˋ");
  return `\`${flat}\``;
}

function outcomeOf(report: Report, f: Finding): Outcome {
  const rule = ruleById(f.ruleId);
  const status = statusTag(report, f);
  const lines = [`**${f.ruleId}**${rule ? ` ${linkFree(rule.title)}` : ""}`, "", `- resource: ${codeSpan(f.address)}`];
  if (f.constructPath) lines.push(`- construct: ${codeSpan(f.constructPath)}`);
  if (f.attribute) lines.push(`- attribute: ${codeSpan(f.attribute)}`);
  if (f.before !== undefined || f.after !== undefined) lines.push(`- before → after: ${codeSpan(f.before)} → ${codeSpan(f.after)}`);
  lines.push(`- finding: ${linkFree(f.message)}`);
  if (f.waiver) lines.push(`- waiver ${f.waiver.expired ? "expired" : "until"} ${f.waiver.expires}: ${linkFree(f.waiver.reason)}`);
  if (rule) lines.push("", `Passes when: ${linkFree(rule.passes)}`, "", linkFree(rule.rationale));
  return {
    type: "task-result-outcomes",
    attributes: {
      "outcome-id": `${f.ruleId} ${f.address}${f.attribute ? ` ${f.attribute}` : ""}`,
      description: oneLine(linkFree(f.address === SCOPE_ADDRESS ? f.message : `${f.address}: ${f.message}`), MAX_DESCRIPTION),
      body: lines.join("\n"),
      tags: { Severity: [severityTag(f)], Status: [status], Rule: [{ label: f.ruleId }] },
    },
  };
}
