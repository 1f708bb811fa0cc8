/**
 * `posture check` in every format: a planted secret (a literal token in code, a credential in a
 * Logpush destination, a secret in a file that does not parse) never reaches any output, stderr or
 * POSTURE_DEBUG output; and the same inputs give byte-identical reports, whatever their order.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posture } from "./cli-helpers";

const FORMATS = ["text", "json", "sarif", "junit", "markdown"];
const SECRETS = {
  token: "planted-literal-hec-token-71c3",
  clientSecret: "planted-client-secret-9a8b7c",
  header: "plantedHeaderValue5e4d3c2b1a09",
};

function inputs(): { dir: string; a: string; b: string } {
  const dir = mkdtempSync(join(tmpdir(), "posture-check-leaks-"));
  const a = join(dir, "okta.tf.json");
  const b = join(dir, "cloudflare.tf.json");
  writeFileSync(a, JSON.stringify({ resource: { okta_log_stream: { siem: { name: "siem", type: "splunk_cloud_logstreaming", settings: { host: "x.splunkcloud.com", edition: "aws", token: SECRETS.token } } } } }, null, 2));
  writeFileSync(
    b,
    JSON.stringify(
      {
        resource: {
          cloudflare_zero_trust_access_identity_provider: { okta: { type: "okta", name: "okta", config: { client_secret: SECRETS.clientSecret, pkce_enabled: false } } },
          cloudflare_logpush_job: { audit: { dataset: "audit_logs", enabled: true, destination_conf: `https://siem.example.com/in?header_Authorization=Bearer%20${SECRETS.header}` } },
        },
      },
      null,
      2,
    ),
  );
  return { dir, a, b };
}

function allFormats(dir: string, paths: string[], tag: string): string[] {
  const outs = FORMATS.map((f) => join(dir, `${tag}.${f}`));
  const r = posture(["check", ...paths, ...FORMATS.flatMap((f, i) => ["--format", f, "--output", outs[i]])], { env: { POSTURE_DEBUG: "1" } });
  expect(r.code).toBe(1);
  return [r.stdout, r.stderr, ...outs.map((o) => readFileSync(o, "utf8"))];
}

describe("posture check leaks no secret", () => {
  it("in any format, on stderr or in debug output", () => {
    const { dir, a, b } = inputs();
    const texts = allFormats(dir, [a, b], "one");
    expect(texts.slice(2).join("\n")).toContain("SECRET-1");
    for (const t of texts) for (const s of Object.values(SECRETS)) expect(t.includes(s) ? `leaked ${s}` : "clean").toBe("clean");
  });

  it("when the input does not parse", () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-check-leaks-"));
    const json = join(dir, "broken.tf.json");
    writeFileSync(json, `{"resource": {"okta_log_stream": {"s": {"settings": {"token": "${SECRETS.token}" ,, }}}}}`);
    const hcl = join(dir, "broken.tf");
    writeFileSync(hcl, `resource "okta_log_stream" "s" {\n  settings {\n    token = "${SECRETS.token}" +\n  }\n}\n`);
    for (const f of [json, hcl]) {
      const r = posture(["check", f], { env: { POSTURE_DEBUG: "1" } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(f);
      expect(r.stderr).not.toContain(SECRETS.token);
    }
  });
});

describe("determinism", () => {
  it("gives byte-identical reports in every format, across runs and across path order", () => {
    const { dir, a, b } = inputs();
    const first = allFormats(dir, [a, b], "first");
    const again = allFormats(dir, [a, b], "again");
    const swapped = allFormats(dir, [b, a], "swapped");
    expect(again).toEqual(first);
    expect(swapped).toEqual(first);
  });
});
