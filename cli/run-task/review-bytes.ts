/**
 * `posture review` of a plan held in memory (the bytes HCP Terraform sent), with the same engine and
 * the same report as the CLI: decoded and parsed as the CLI reads a file, judged by `reviewPlan`,
 * redacted value by value. Nothing is written to disk. {@link runReviewJob} is the same as one
 * message-sized step, for a worker thread.
 */
import type { PostureConfig } from "../../engine/evaluate/config";
import { InputError } from "../../engine/errors";
import type { EvaluateOptions } from "../../engine/evaluate/evaluate";
import { checkFormatVersion, isObj, sensitiveVariableValues } from "../../engine/load/load-plan";
import { decode, parseJson } from "../../engine/load/read-input";
import { Redactor } from "../../engine/evaluate/redact";
import { reviewPlan } from "../../engine/review/review";
import type { Profile } from "../../policies/rule";
import { buildReport, type Report } from "../../report/report";
import { catalogueWith } from "../../policies";
import { reviewResult, type TaskResultBody } from "./protocol";

export interface ReviewSettings {
  config: PostureConfig;
  /** Overrides the config's profile; default: the config's, else recommended. */
  profile?: Profile;
  unknown: "warn" | "fail";
  failOn: "new" | "any";
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
}

export interface ReviewedPlan {
  report: Report;
  /** Knows every sensitive value of the plan: a last pass over anything built from the report. */
  redactor: Redactor;
}

/** Reviews plan JSON bytes; `name` stands for the file in messages and findings. Throws InputError on bad input. */
export function reviewPlanBytes(bytes: Buffer, name: string, settings: ReviewSettings): ReviewedPlan {
  const text = decode(bytes, name);
  const doc = parseJson(text, name);
  if (!isObj(doc) || !("format_version" in doc) || !("resource_changes" in doc || "planned_values" in doc)) {
    throw new InputError(name, "is not a Terraform plan (no format_version with resource_changes or planned_values)");
  }
  checkFormatVersion(doc, name);
  const profile = settings.profile ?? settings.config.profile ?? "recommended";
  const opts: EvaluateOptions = { rules: catalogueWith(settings.config.packs ?? []), profile, config: settings.config, unknown: settings.unknown, today: settings.today };
  const redactor = new Redactor();
  for (const s of sensitiveVariableValues(doc, name)) redactor.add(s);
  const r = reviewPlan(doc, name, opts);
  redactor.addResources(r.models);
  return { report: buildReport("review", profile, [{ path: name, kind: "plan" }], r, redactor, r.fixed, settings.failOn), redactor };
}

/** One review handed to a worker thread (or run in-process): plain data, so it can be posted. */
export interface ReviewJob {
  bytes: Uint8Array;
  name: string;
  settings: ReviewSettings;
  acceptsOutcomes: boolean;
}

export type ReviewJobResult =
  | { ok: true; body: TaskResultBody; summary: Report["summary"] }
  /** `inputError`: posture's one-line message about the plan; otherwise `internal` names the error class. */
  | { ok: false; inputError?: string; internal?: string };

/** Reviews a job and builds its callback body, redacted; never throws. */
export function runReviewJob(job: ReviewJob): ReviewJobResult {
  try {
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    const { report, redactor } = reviewPlanBytes(bytes, job.name, job.settings);
    return { ok: true, body: redactor.deep(reviewResult(report, job.acceptsOutcomes)), summary: report.summary };
  } catch (e) {
    return e instanceof InputError ? { ok: false, inputError: e.message } : { ok: false, internal: e instanceof Error ? e.name : "Error" };
  }
}
