/**
 * Issue 10.6: DRIFT-1 and review print before/after values of watched attributes; credentials the plan
 * does not mark must not print, whatever they look like. They are found by position: every URL query
 * value, the path token after a known collector prefix, every header value, and every secret-named
 * key inside a JSON-string attribute. Each planted secret is a plain word that no shape test would
 * catch, and none may appear in any format.
 */
import { cli, scratch, writeJson } from "./harness";
import { type Entry, oktaTenant, plan } from "../review/plan-builder";

const FORMATS = ["text", "json", "sarif", "junit", "markdown"].flatMap((f) => ["--format", f]);
/** A secret that looks like nothing: lowercase words, so only its position gives it away. */
const secret = (tag: string, side: string) => `plain-${tag}-word-${side}`;

type Case = [string, string, (side: string) => Record<string, unknown>];
const logpush = (url: string) => ({ dataset: "audit_logs", enabled: true, destination_conf: url });
const CASES: Case[] = [
  ...["access_token", "code", "sig", "token", "sv", "AccessKey"].map(
    (p): Case => [`destination_conf ?${p}=`, "cloudflare_logpush_job.j", (s) => logpush(`https://logs.example.com/ingest?dataset=audit&${p}=${secret(p, s)}`)],
  ),
  ["a Sumo Logic collector token in the path", "cloudflare_logpush_job.j", (s) => logpush(`https://endpoint4.collection.us2.sumologic.com/receiver/v1/http/${secret("sumo", s)}`)],
  ["an Azure Functions code= with an encoded value", "cloudflare_logpush_job.j", (s) => logpush(`https://fn.azurewebsites.net/api/logs?code=${encodeURIComponent(secret("azure", s) + "/x==")}`)],
  [
    "an event-hook header not on any list",
    "okta_event_hook.h",
    (s) => ({ name: "h", status: "ACTIVE", events: ["user.session.start"], channel: { type: "HTTP", version: "1.0.0", uri: "https://hooks.example.com" }, headers: [{ key: "x-functions-key", value: secret("fnkey", s) }] }),
  ],
  [
    "an event-hook header that looks like base64 with slashes",
    "okta_event_hook.h",
    (s) => ({ name: "h", status: "ACTIVE", events: ["user.session.start"], channel: { type: "HTTP", version: "1.0.0", uri: "https://hooks.example.com" }, headers: [{ key: "X-Custom", value: `${secret("b64", s)}/a+b/c==` }] }),
  ],
  ...["secretKey", "sharedSecret", "clientSecret", "api_token"].map(
    (k): Case => [`a settings JSON key ${k}`, "okta_authenticator.a", (s) => ({ key: "custom_otp", name: "otp", status: "ACTIVE", settings: JSON.stringify({ [k]: secret(k, s), algorithm: "HMacSHA256" }) })],
  ),
  ["a settings object (not a string) with sharedSecret", "okta_authenticator.a", (s) => ({ key: "custom_otp", name: "otp", status: "ACTIVE", settings: { sharedSecret: secret("obj", s), algorithm: "HMacSHA256" } })],
];

describe("credentials by position never print", () => {
  const dir = scratch();

  it.each(CASES)("drift: %s", async (what, address, values) => {
    const e: Entry = { address, actions: ["update"], before: values("before"), after: values("after") };
    const doc = plan([...oktaTenant, { address, actions: ["no-op"], before: e.after, after: e.after }], { drift: [e] });
    const r = await cli(["drift", writeJson(dir, "drift.json", doc), ...FORMATS]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("DRIFT-1");
    for (const side of ["before", "after"]) {
      const tag = what.replace(/^.*(\?|key )(\w+)=?$/, "$2");
      expect(r.stdout).not.toMatch(new RegExp(`plain-[\\w]+-word-${side}`));
      expect(r.stdout).not.toContain(encodeURIComponent(secret(tag, side)));
    }
    expect(r.stdout).toContain("(sensitive)");
  });

  it("review: a destination moved to http:// prints neither token", async () => {
    const address = "cloudflare_logpush_job.j";
    const doc = plan([
      ...oktaTenant,
      { address, actions: ["update"], before: logpush(`https://logs.example.com/in?token=${secret("t", "before")}`), after: logpush(`http://logs.example.com/in?token=${secret("t", "after")}`) },
    ]);
    const r = await cli(["review", writeJson(dir, "review.json", doc), ...FORMATS]);
    expect(r.stdout).toContain("CF-LOG-2");
    expect(r.stdout).not.toMatch(/plain-\w+-word-/);
  });

  it("what is not a credential still reads: the URL's host and path, other settings", async () => {
    const e: Entry = { address: "cloudflare_logpush_job.j", actions: ["update"], before: logpush("https://a.example.com/in?x=1"), after: logpush("https://b.example.com/in?x=2") };
    const doc = plan([...oktaTenant, { ...e, actions: ["no-op"], before: e.after }], { drift: [e] });
    const r = await cli(["drift", writeJson(dir, "plain.json", doc), "--format", "json"]);
    const f = JSON.parse(r.stdout).findings.find((x: { ruleId: string }) => x.ruleId === "DRIFT-1");
    expect([f.before, f.after]).toEqual(["https://a.example.com/in?x=(sensitive)", "https://b.example.com/in?x=(sensitive)"]);
  });
});
