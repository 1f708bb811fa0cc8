import { cases, res, tf, unknownVar } from "../helpers";

const rule = (name: string, type: string, input?: object) => res("cloudflare_zero_trust_device_posture_rule", name, { account_id: "a", name, type, ...(input ? { input } : {}) });
const baseline = tf(rule("warp", "warp"), rule("disk", "disk_encryption", { require_all: true }), rule("os", "os_version", { version: "15.0.0", operator: ">=" }), rule("fw", "firewall", { enabled: true }));

cases("CF-DEV-1", [
  { name: "baseline (recommended)", tf: baseline, expect: "pass", profile: "recommended" },
  { name: "baseline without EDR (strict)", tf: baseline, expect: "fail", profile: "strict" },
  { name: "baseline with CrowdStrike", tf: tf(baseline, rule("cs", "crowdstrike_s2s", { connection_id: "c", overall: "70", operator: ">=" })), expect: "pass" },
  { name: "gateway instead of warp", tf: tf(rule("gw", "gateway"), rule("disk", "disk_encryption"), rule("os", "os_version"), rule("fw", "firewall")), expect: "pass", profile: "recommended" },
  { name: "no firewall rule", tf: tf(rule("warp", "warp"), rule("disk", "disk_encryption"), rule("os", "os_version")), expect: "fail" },
  { name: "v4 names", tf: tf(res("cloudflare_device_posture_rule", "w", { type: "warp" }), res("cloudflare_device_posture_rule", "d", { type: "disk_encryption" }), res("cloudflare_device_posture_rule", "o", { type: "os_version" })), expect: "fail" },
  { name: "a type from a variable", tf: tf(unknownVar("t"), rule("warp", "warp"), rule("disk", "disk_encryption"), rule("os", "os_version"), rule("x", "${var.t}")), expect: "unknown" },
]);

cases("CF-DEV-2", [
  { name: "all disks", tf: rule("d", "disk_encryption", { require_all: true }), expect: "pass" },
  { name: "one disk is enough", tf: rule("d", "disk_encryption", { require_all: false }), expect: "fail" },
  { name: "v4 input block", tf: res("cloudflare_device_posture_rule", "d", { type: "disk_encryption", input: [{ require_all: true }] }), expect: "pass" },
  { name: "firewall not required on", tf: rule("f", "firewall", {}), expect: "fail" },
  { name: "os version without operator", tf: rule("o", "os_version", { version: "15.0.0" }), expect: "fail" },
  { name: "os version less-than", tf: rule("o", "os_version", { version: "15.0.0", operator: "<" }), expect: "fail" },
  { name: "warp rule", tf: rule("w", "warp"), expect: "not-applicable" },
  { name: "require_all unknown", tf: tf(unknownVar("r"), rule("d", "disk_encryption", { require_all: "${var.r}" })), expect: "unknown" },
]);
