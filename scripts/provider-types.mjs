#!/usr/bin/env node
// Regenerates data/provider-types.json from the provider repositories (bare git mirrors): every
// resource and data source type that Okta (v4.20.0 and every later tag) and Cloudflare (v4.52.8, the
// last v4, and v5.0.0 through v5.14.0) document in docs/resources and docs/data-sources. The loader
// names a type that is in none of them ("not judged: the provider has no such type").
// Usage: node scripts/provider-types.mjs [okta-repo] [cloudflare-repo]
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const git = (repo, ...args) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
const semver = (t) => t.slice(1).split(".").map(Number);
const atLeast = (t, min) => {
  const [a, b] = [semver(t), semver(min)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};

function typesAt(repo, tag, prefix, dir) {
  return git(repo, "ls-tree", "--name-only", tag, `docs/${dir}/`)
    .split("\n")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `${prefix}_${f.replace(/^.*\//, "").replace(/\.md$/, "")}`);
}

function collect(repo, prefix, tags) {
  const out = { resources: new Set(), dataSources: new Set() };
  for (const t of tags) {
    for (const r of typesAt(repo, t, prefix, "resources")) out.resources.add(r);
    for (const d of typesAt(repo, t, prefix, "data-sources")) out.dataSources.add(d);
  }
  return { tags: [tags[0], tags[tags.length - 1]], resources: [...out.resources].sort(), dataSources: [...out.dataSources].sort() };
}

const oktaRepo = process.argv[2] ?? "/work/.mirror/okta+terraform-provider-okta/repo";
const cfRepo = process.argv[3] ?? "/work/.mirror/cloudflare+terraform-provider-cloudflare/repo";
const release = (t) => /^v\d+\.\d+\.\d+$/.test(t);
const sorted = (tags) => tags.filter(release).sort((a, b) => (atLeast(a, b) ? (a === b ? 0 : 1) : -1));
const oktaTags = sorted(git(oktaRepo, "tag").split("\n")).filter((t) => atLeast(t, "v4.20.0"));
const cfTags = ["v4.52.8", ...sorted(git(cfRepo, "tag").split("\n")).filter((t) => atLeast(t, "v5.0.0") && !atLeast(t, "v5.14.1"))];
const data = { okta: collect(oktaRepo, "okta", oktaTags), cloudflare: collect(cfRepo, "cloudflare", cfTags) };
writeFileSync("data/provider-types.json", JSON.stringify(data, null, 1) + "\n");
