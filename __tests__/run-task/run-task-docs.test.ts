/**
 * docs/run-task.md is what takes a new user from nothing to a registered run task, so it is kept true:
 * it holds the Atlantis recipe files verbatim, documents every `posture run-task` option with its real
 * default, shows the Dockerfile's real defaults, and docs/ci.md and the README link to it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRunTaskArgs, RUN_TASK_USAGE } from "../../cli/run-task/command";
import { ROOT } from "../cli/cli-helpers";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const DOC = read("docs/run-task.md");

describe("docs/run-task.md", () => {
  it("holds the Atlantis recipe files verbatim", () => {
    for (const f of ["examples/atlantis/repos.yaml", "examples/atlantis/atlantis.yaml"]) expect(DOC).toContain(read(f).trimEnd());
  });

  it("documents every run-task option, with the defaults the parser uses", () => {
    const flags = [...RUN_TASK_USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThanOrEqual(14);
    for (const f of flags) expect(DOC).toContain(`\`${f}`);
    const d = parseRunTaskArgs(["--hmac-key-file", "k"]);
    if (d === "help") throw new Error("unexpected help");
    const row = (flag: string) => DOC.split("\n").find((l) => l.startsWith(`| \`${flag}`))!;
    expect(row("--port")).toContain(`\`${d.port}\``);
    expect(row("--hcp-url")).toContain(`\`${d.hcpUrls[0]}\``);
    expect(row("--concurrency")).toContain(`\`${d.concurrency}\``);
    expect(row("--queue-size")).toContain(`\`${d.queueSize}\``);
    expect(row("--max-plan-bytes")).toContain(`\`${d.maxPlanBytes}\``);
    expect(row("--fetch-timeout")).toContain(`\`${d.fetchTimeoutMs / 1000}\``);
    expect(row("--drain-timeout")).toContain(`\`${d.drainMs / 1000}\``);
  });

  it("shows the commands and image defaults that exist", () => {
    expect(DOC).toContain("exec node_modules/.bin/posture run-task --port 8080 --hmac-key-file ./hmac-key");
    const dockerfile = read("Dockerfile");
    for (const image of [...dockerfile.matchAll(/^ARG \w+_IMAGE=(\S+)$/gm)].map((m) => m[1])) expect(DOC).toContain(`docker buildx imagetools inspect ${image}`);
    expect(DOC).toContain("/run/secrets/hmac-key");
    expect(dockerfile).toContain('"--hmac-key-file", "/run/secrets/hmac-key"');
  });

  it("is linked from its section of docs/ci.md and from the README", () => {
    const ci = read("docs/ci.md");
    const at = ci.indexOf("\n## HCP Terraform run tasks and Atlantis\n");
    expect(at).toBeGreaterThan(0);
    const next = ci.indexOf("\n## ", at + 1);
    expect(ci.slice(at, next < 0 ? undefined : next)).toContain("[docs/run-task.md](run-task.md)");
    expect(read("README.md")).toContain("[docs/run-task.md](docs/run-task.md)");
  });
});
