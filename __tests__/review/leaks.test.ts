/**
 * No sensitive value in any format, nor on stderr (POSTURE_DEBUG included): values marked in
 * before_sensitive / after_sensitive, sensitive root variables, schema-sensitive attributes,
 * credential-shaped strings, and sensitive numbers that a rule message would quote.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posture, ROOT } from "../cli/cli-helpers";
import { type Entry, logStream, oktaTenant, plan, signon } from "./plan-builder";

const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
const FIXTURES = join(ROOT, "__tests__", "fixtures", "review");

/** Runs one command with all five formats to files and once per format to stdout; returns everything printed. */
function everyOutput(args: string[], env: Record<string, string> = {}): { texts: string[]; codes: number[] } {
  const dir = mkdtempSync(join(tmpdir(), "posture-leak-"));
  const files = FORMATS.map((f) => join(dir, `report.${f}`));
  const all = posture([...args, ...FORMATS.flatMap((f) => ["--format", f]), ...files.flatMap((f) => ["--output", f])], { env: { POSTURE_DEBUG: "1", ...env } });
  const texts = [all.stdout, all.stderr, ...files.map((f) => readFileSync(f, "utf8"))];
  const codes = [all.code ?? -1];
  for (const f of FORMATS) {
    const one = posture([...args, "--format", f], { env: { POSTURE_DEBUG: "1", ...env } });
    texts.push(one.stdout, one.stderr);
    codes.push(one.code ?? -1);
  }
  return { texts, codes };
}

function expectNoLeak(texts: string[], secrets: readonly string[]): void {
  for (const t of texts) for (const s of secrets) expect(t.includes(s) ? `leaked ${s}` : "clean").toBe("clean");
}

describe("the tracker's scenario", () => {
  it("the sensitive token in before and the sensitive root variable appear in none of the five formats nor on stderr", () => {
    const plan = JSON.parse(readFileSync(join(FIXTURES, "pr-plan.json"), "utf8"));
    const token = plan.prior_state.values.root_module.resources.find((r: { address: string }) => r.address === "okta_log_stream.siem").values.settings.token;
    const rootVariable = plan.variables.okta_api_token.value;
    expect(token).toMatch(/^sk-before-/);
    const { texts, codes } = everyOutput(["review", join(FIXTURES, "pr-plan.json")]);
    expect(codes.every((c) => c === 1)).toBe(true);
    expectNoLeak(texts, [token, rootVariable, "hook-token-0d9c8b7a6f5e4d3c2b1a", plan.variables.cloudflare_api_token.value]);
    const drift = everyOutput(["drift", join(FIXTURES, "drift-refresh-only.json")]);
    expectNoLeak(drift.texts, [token, rootVariable]);
  });
});

describe("every kind of secret, where a report would print it", () => {
  const S = {
    before: "Splunk-before-token-4b1f0c9e27d8a635",
    variable: "root-variable-secret-5d3e1a7c9b",
    schema: "event-hook-auth-value-8c2d4e6f1a3b",
    header: "xk_live_9f8e7d6c5b4a3f2e1d0c9b8a",
    hecToken: "hec-after-token-1a2b3c4d5e6f7a8b",
    number: 987654,
  };
  const job = (conf: string) => ({ dataset: "audit_logs", enabled: true, destination_conf: conf });
  const entries: Entry[] = [
    ...oktaTenant,
    { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() },
    // a destination whose sensitive token is in before, regressing to http: CF-LOG-2 shows before -> after
    {
      address: "cloudflare_logpush_job.audit",
      actions: ["update"],
      before: job(`https://splunk.example.com:8088/services/collector/raw?channel=1&header_Authorization=Splunk%20${S.before}`),
      after: job("http://splunk.example.com:8088/services/collector/raw?channel=1"),
      beforeSensitive: { destination_conf: true },
    },
    // a sensitive number that the rule message quotes
    { address: "okta_policy_rule_signon.r", actions: ["update"], before: signon(), after: signon({ session_idle: S.number }), afterSensitive: { session_idle: true } },
    // a schema-sensitive attribute the plan forgot to mark, and a credential-shaped header, both changed
    {
      address: "okta_event_hook.h",
      actions: ["update"],
      before: { name: "h", status: "ACTIVE", events: [], auth: { key: "Authorization", type: "HEADER", value: "old-value-aaaa" }, headers: [{ key: "X-Api-Key", value: "old-key-bbbbbbbb" }] },
      after: { name: "h", status: "ACTIVE", events: [], auth: { key: "Authorization", type: "HEADER", value: S.schema }, headers: [{ key: "X-Api-Key", value: S.header }] },
    },
    // the root variable's value, in a log stream token marked sensitive
    { address: "okta_log_stream.splunk", actions: ["create"], after: logStream({ type: "splunk_cloud_logstreaming", settings: { host: "x.splunkcloud.com", token: S.variable } }), afterSensitive: { settings: { token: true } } },
  ];

  function write(doc: object): string {
    const f = join(mkdtempSync(join(tmpdir(), "posture-leak-")), "plan.json");
    writeFileSync(f, JSON.stringify(doc));
    return f;
  }

  it("review: none in any format, any stream", () => {
    const doc = plan(entries, { variables: { token: { value: S.variable } }, sensitiveVariables: ["token"] });
    // The event hook's auth and headers are literals in the code: SECRET-1 fails on them.
    (doc.configuration as { root_module: { resources: object[] } }).root_module.resources.push({
      address: "okta_event_hook.h",
      mode: "managed",
      type: "okta_event_hook",
      name: "h",
      expressions: { auth: [{ value: { constant_value: S.schema } }], headers: [{ value: { constant_value: S.header } }] },
    });
    const f = write(doc);
    const json = JSON.parse(posture(["review", "--format", "json", f]).stdout);
    // the secrets are where a report would print them
    expect(json.findings.find((x: { ruleId: string }) => x.ruleId === "CF-LOG-2")).toMatchObject({ change: "regression", before: "(sensitive)" });
    expect(json.findings.find((x: { ruleId: string }) => x.ruleId === "OKTA-SES-1")).toMatchObject({ after: "(sensitive)", message: "session idle timeout is (sensitive) minutes; at most 30 allowed" });
    expect(json.findings.find((x: { ruleId: string }) => x.ruleId === "SECRET-1")).toMatchObject({ address: "okta_event_hook.h", after: "(sensitive)" });
    const { texts } = everyOutput(["review", f]);
    expectNoLeak(texts, [S.before, S.variable, S.schema, S.header, String(S.number)]);
  });

  it("drift and check: none in any format, any stream", () => {
    const drift = entries.filter((e) => e.before && e.after && e.actions[0] === "update");
    const doc = plan(
      entries.map((e) => ({ ...e, actions: ["no-op"], before: e.after ?? e.before, beforeSensitive: e.afterSensitive })),
      { drift, variables: { token: { value: S.variable } }, sensitiveVariables: ["token"] },
    );
    doc.resource_changes = [];
    const f = write(doc);
    const json = JSON.parse(posture(["drift", "--format", "json", f]).stdout);
    expect(json.findings.filter((x: { ruleId: string }) => x.ruleId === "DRIFT-1").length).toBeGreaterThanOrEqual(3);
    expectNoLeak(everyOutput(["drift", f]).texts, [S.before, S.variable, S.schema, S.header, String(S.number)]);
    expectNoLeak(everyOutput(["check", f]).texts, [S.variable, S.schema, S.header, String(S.number)]);
  });

  it("an input that cannot be read names the file and echoes none of its content", () => {
    const f = write({});
    writeFileSync(f, `{"format_version":"1.2","variables":{"t":{"value":"${S.variable}"}},"resource_changes":[{"address":"okta_log_stream.s","change":{"before":{"token":"${S.before}"`);
    for (const mode of ["review", "drift", "check"]) {
      const r = posture([mode, f], { env: { POSTURE_DEBUG: "1" } });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`posture: ${f}: is not valid JSON: it ends too early (truncated?)\n`);
    }
  });
});
