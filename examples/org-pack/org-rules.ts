/**
 * Acme's rule pack: two organisation rules run beside the built-in catalogue. Load it with
 * `"packs": ["./org-rules.ts"]` in posture.config.json, `posture check --pack org-rules.js`,
 * `PostureChecks.applyTo(app, { packs: [orgRules] })` or the jest matchers' `packs` option.
 */
import { definePack } from "identity-posture/rules";
import { fewSuperAdminGroups } from "./rules/few-super-admin-groups";
import { noAdminGroupRules } from "./rules/no-admin-group-rules";

export default definePack({ name: "acme", rules: [noAdminGroupRules, fewSuperAdminGroups] });
