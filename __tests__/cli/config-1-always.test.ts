/**
 * CONFIG-1 reports a threshold the config sets weaker than recommended. No way of choosing rules may
 * hide it: not `disabled` (refused), not `--only` that leaves it out, not `--skip` (refused).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posture } from "./cli-helpers";

const dir = mkdtempSync(join(tmpdir(), "posture-config1-"));
const config = join(dir, "posture.config.json");
writeFileSync(config, JSON.stringify({ thresholds: { "OKTA-SES-1": { maxIdleMinutes: 60 } } }));
const tf = join(dir, "main.tf.json");
writeFileSync(tf, JSON.stringify({ resource: { okta_policy_rule_signon: { r: { policy_id: "00p1", name: "r", session_idle: 15, session_lifetime: 60, mfa_required: true, mfa_prompt: "ALWAYS" } } } }));

it.each([["--only", "OKTA-SES-1"], ["--only", "CF-*"], ["--skip", "CONFIG-*"]])("%s %s still reports CONFIG-1", (flag, glob) => {
  const r = posture(["check", tf, "--config", config, flag, glob, "--format", "json"]);
  expect(r.stderr).toBe("");
  const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string }>;
  expect(findings.map((f) => f.ruleId)).toContain("CONFIG-1");
});

it("--skip CONFIG-1 is refused", () => {
  const r = posture(["check", tf, "--config", config, "--skip", "CONFIG-1"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/CONFIG-1 cannot be skipped/);
});
