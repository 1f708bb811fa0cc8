/** `posture rules`: the catalogue (and any packs) as text, JSON, or the Markdown of docs/controls.md. */
import { packOf } from "../engine/evaluate/packs";
import { CATALOGUE } from "../policies";
import type { Rule, Weakening } from "../policies/rule";

export function catalogueJson(list: readonly Rule[] = CATALOGUE): string {
  const rules = list.map((r) => ({
    id: r.id,
    severity: r.severity,
    title: r.title,
    provider: r.provider,
    kind: r.kind,
    resourceTypes: r.resourceTypes,
    passes: r.passes,
    thresholds: Object.fromEntries(Object.entries(r.thresholds ?? {}).map(([k, t]) => [k, { recommended: t.recommended, strict: t.strict, description: t.description }])),
    ...(r.weakens ? { weakens: r.weakens } : {}),
    rationale: r.rationale,
    references: r.references,
    ...(packOf(r) ? { pack: packOf(r) } : {}),
  }));
  return JSON.stringify({ catalogueVersion: 1, rules }, null, 2) + "\n";
}

export function catalogueText(list: readonly Rule[] = CATALOGUE): string {
  return list.map((r) => `${r.id.padEnd(13)} ${r.severity.padEnd(7)} ${r.title}`).join("\n") + "\n";
}

/** How a weakening reads in the docs: "`session_idle` up", "`enroll` from REQUIRED toward NOT_ALLOWED". */
function weakeningText(w: Weakening): string {
  const path = `\`${w.json ? `${w.attribute}.${w.json}` : w.attribute}\``;
  if (Array.isArray(w.scale)) return `${path} along ${w.scale.map((v) => `\`${v}\``).join(" → ")}`;
  return `${path} ${w.weaker === "lower" ? "down" : "up"}`;
}

/** The heading anchor GitHub gives `## <id>`: lower case, `/` dropped. */
const anchor = (id: string): string => id.toLowerCase().replace(/[^a-z0-9_-]/g, "");

const WHEN: Record<Rule["kind"], string> = {
  resource: "Evaluated on every resource of its types.",
  scope: "Scope rule: asks whether something exists anywhere in the evaluated scope (all inputs of one run; one stack in the CDKTF aspect), and applies only when the scope has resources of the provider.",
  review: "Plan rule: decided by `posture review` from a plan's changes; `posture check` does not run it.",
  drift: "Drift rule: decided by `posture drift` from a refresh-only plan; `posture check` does not run it.",
  config: "Decided from posture.config.json, not from resources.",
};

/** docs/controls.md, generated: a test fails when the committed file differs. */
export function catalogueMarkdown(list: readonly Rule[] = CATALOGUE): string {
  // A pack's rules alone (`posture rules --pack x --only 'acme/*'`) get no notes about the built-in ones.
  const builtIn = list.some((r) => !packOf(r));
  const out: string[] = [
    "# Controls",
    "",
    "<!-- Generated from the catalogue by `posture rules --format markdown` (npm run docs). Do not edit by hand. -->",
    "",
    "Every control that identity-posture enforces, why it exists, what passes, and its thresholds per profile.",
    "Rule ids are a public contract: they never change meaning and are never reused.",
    "",
    "Verdicts: `pass`, `fail`, `unknown` (the deciding value is not known before apply: reported as a warning,",
    "or as a failure with `--unknown fail`; never a silent pass) and `not-applicable`.",
    "",
    "| id | severity | control |",
    "|---|---|---|",
    ...list.map((r) => `| [${r.id}](#${anchor(r.id)}) | ${r.severity} | ${r.title} |`),
    "",
  ];
  for (const r of list) {
    out.push(`## ${r.id}`, "", `**${r.title}** (${r.severity})`, "", `*Why:* ${r.rationale}`, "", `*Passes when:* ${r.passes}.`, "", WHEN[r.kind], "");
    if (r.providerVersions) out.push(`*Provider versions:* ${r.providerVersions}.`, "");
    const t = Object.entries(r.thresholds ?? {});
    if (t.length > 0) {
      out.push("| threshold | recommended | strict | meaning |", "|---|---|---|---|");
      for (const [k, s] of t) out.push(`| \`${k}\` | ${s.recommended} | ${s.strict} | ${s.description} |`);
      out.push("", `Override in posture.config.json: \`{ "thresholds": { "${r.id}": { "${t[0][0]}": ${JSON.stringify(t[0][1].recommended)} } } }\` (an override weaker than recommended is reported as CONFIG-1).`, "");
    }
    if (r.weakens && r.weakens.length > 0) out.push(`*Plan review:* PLAN-2 reports a change that moves ${r.weakens.map(weakeningText).join(", ")} while this rule still passes.`, "");
    if (r.id === "PLAN-2") out.push(`Watched attributes: ${list.filter((x) => x.weakens?.length).map((x) => `${x.id} (${x.weakens!.map((w) => `\`${w.json ? `${w.attribute}.${w.json}` : w.attribute}\``).join(", ")})`).join("; ")}.`, "");
    out.push(`*References:* ${r.references.join("; ")}.`, "");
    if (r.kind === "resource" || r.kind === "scope") {
      out.push(
        "*Waive:* in posture.config.json, " +
          `\`{ "rule": "${r.id}", "resource": "<address or construct-path glob>", "reason": "<why, at least 10 characters>", "expires": "YYYY-MM-DD", "owner": "<team>" }\`` +
          (r.kind === "scope" ? ' (a scope finding has the address `(scope)`).' : "."),
        "",
      );
    }
  }
  if (!builtIn) return out.join("\n");
  out.push(
    "## Known limits",
    "",
    "- Okta Admin Console session settings, IP/ASN session binding and Protected Actions have no resource in Okta provider 4.20.0 (the version the prebuilt bindings target): check them by hand.",
    "- Okta Support impersonation events (`user.session.impersonation.*`, `support.org.*`) are not hook-eligible; watch them in the SIEM from the log stream (OKTA-LOG-1).",
    "- Whether Okta sends an `amr` claim that Cloudflare maps to `hwk` depends on the tenant: sign in with a security key and check the `amr` values in Access's identity view (`/cdn-cgi/access/get-identity`) before relying on CF-ACC-2's `hwk` requirement.",
    "- SECRET-1 cannot judge a state file (it holds no code) and is not applicable there.",
    "",
  );
  return out.join("\n");
}
