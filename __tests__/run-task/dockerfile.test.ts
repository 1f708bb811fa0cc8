/**
 * The container image is checked by reading its Dockerfile (no Docker engine is needed): it builds
 * only this repository's own files and the dependencies package-lock.json pins, its runtime stage
 * downloads nothing and runs `posture run-task`, the build context is an allowlist, and everything
 * the CLI loads at run time is either built from the copied sources or a pinned runtime dependency.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { ROOT } from "../cli/cli-helpers";

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments and parser directives dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const m = /^(\w+)\s+(.*)$/.exec(l)!;
      return { op: m[1].toUpperCase(), args: m[2] };
    });
}

const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const ALL = instructions(DOCKERFILE);
const stages: Instruction[][] = [];
for (const i of ALL) {
  if (i.op === "FROM") stages.push([]);
  if (stages.length) stages[stages.length - 1].push(i);
}
const [build, runtime] = stages;
const args = new Map(ALL.filter((i) => i.op === "ARG").map((i) => i.args.split("=") as [string, string]));

// A .dockerignore pattern as a regex: a leading double star and slash is any directories, a star stays
// within one name, and a directory covers its contents.
function patternRegex(pat: string): RegExp {
  const body = pat
    .split("**/")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
    .join("(?:.*/)?");
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** .dockerignore semantics: the last matching line wins, `!` re-includes. */
function included(path: string): boolean {
  const lines = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  let keep = true;
  for (const line of lines) {
    const negate = line.startsWith("!");
    if (patternRegex(negate ? line.slice(1) : line).test(path)) keep = negate;
  }
  return keep;
}

const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).trim().split("\n");

describe("Dockerfile", () => {
  it("has a build stage on a slim Node image and a distroless Node runtime, both Node 20, neither :latest", () => {
    expect(stages).toHaveLength(2);
    expect(build[0].args).toBe("${BUILD_IMAGE} AS build");
    expect(runtime[0].args).toBe("${RUNTIME_IMAGE}");
    expect(args.get("BUILD_IMAGE")).toMatch(/^node:20-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
    expect(args.get("RUNTIME_IMAGE")).toMatch(/^gcr\.io\/distroless\/nodejs20-debian12:nonroot(@sha256:[0-9a-f]{64})?$/);
    // package.json says which Node it needs; the images give that major version.
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node).toBe(">=20");
  });

  it("installs only what package-lock.json pins, with install scripts off, and runs nothing else", () => {
    expect(ALL.some((i) => i.op === "ADD")).toBe(false);
    const runs = build.filter((i) => i.op === "RUN").map((i) => i.args);
    expect(runs).toEqual(["npm ci --ignore-scripts --no-audit --no-fund", "npm run build", "npm ci --omit=dev --ignore-scripts --no-audit --no-fund"]);
    // The lock file is copied before the first install, so `npm ci` has it to install from.
    const firstCopy = build.find((i) => i.op === "COPY")!;
    expect(firstCopy.args).toBe("package.json package-lock.json ./");
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.build).toMatch(/^rm -rf dist && tsc -p tsconfig.build.json/);
  });

  it("copies only the repository's own tracked files, all of them in the build context, and every source the build compiles", () => {
    const sources = build
      .filter((i) => i.op === "COPY")
      .flatMap((i) => {
        const parts = i.args.split(/\s+/);
        return parts.slice(0, -1);
      });
    for (const s of sources) {
      expect(s.startsWith("--")).toBe(false);
      expect(tracked.some((t) => t === s || t.startsWith(s + "/"))).toBe(true);
      expect(included(s)).toBe(true);
    }
    const buildConfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8"));
    for (const inc of buildConfig.include) expect(sources).toContain(inc);
    expect(sources).toEqual(expect.arrayContaining(["tsconfig.json", "tsconfig.build.json", "data"]));
    // The context leaves out what must never reach an image.
    for (const p of ["node_modules", "dist", ".git", "cdktf.out", "__tests__/fixtures/review/pr-plan.json", "cli/run-task/nothing.test.ts", "posture.config.json", "hmac-key", ".env"]) expect(included(p)).toBe(false);
  });

  it("its runtime stage only copies from the build, downloads nothing, runs as nonroot and starts the run task", () => {
    expect(runtime.filter((i) => i.op === "RUN")).toEqual([]);
    for (const c of runtime.filter((i) => i.op === "COPY")) expect(c.args).toMatch(/^--from=build \/src\/(package\.json|node_modules|dist) /);
    expect(runtime.find((i) => i.op === "USER")?.args).toBe("nonroot");
    expect(runtime.find((i) => i.op === "EXPOSE")?.args).toBe("8080");
    expect(JSON.parse(runtime.find((i) => i.op === "ENTRYPOINT")!.args)).toEqual(["/nodejs/bin/node", "dist/cli/posture.js"]);
    const cmd = JSON.parse(runtime.find((i) => i.op === "CMD")!.args);
    expect(cmd).toEqual(["run-task", "--port", "8080", "--hmac-key-file", "/run/secrets/hmac-key"]);
    expect(runtime.find((i) => i.op === "HEALTHCHECK")?.args).toContain("http://127.0.0.1:8080/healthz");
  });

  it("everything dist/cli/posture.js loads is built from the copied sources or a runtime dependency in package-lock.json", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    const runtimeDeps = Object.keys(pkg.dependencies ?? {});
    const seen = new Set<string>();
    const bare = new Set<string>();
    const queue = [join(ROOT, "dist", "cli", "posture.js")];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const m of readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
        const spec = m[1];
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          const found = [target, `${target}.js`, join(target, "index.js")].find((p) => existsSync(p) && !p.endsWith("/"));
          expect(found).toBeDefined();
          if (found!.endsWith(".js")) queue.push(found!);
        } else bare.add(spec);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    // No cdktf, no constructs: the server needs none of the devDependencies.
    for (const spec of bare) {
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      const builtin = spec.startsWith("node:") || builtinModules.includes(name);
      if (!builtin) {
        expect(runtimeDeps).toContain(name);
        expect(lock.packages[`node_modules/${name}`]?.integrity).toMatch(/^sha512-/);
      }
    }
  });
});
