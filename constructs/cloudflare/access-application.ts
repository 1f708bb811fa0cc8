import {
  ZeroTrustAccessApplication,
  type ZeroTrustAccessApplicationSaasApp,
} from "@cdktf/provider-cloudflare/lib/zero-trust-access-application";
import {
  ZeroTrustAccessPolicy,
  type ZeroTrustAccessPolicyExclude,
  type ZeroTrustAccessPolicyInclude,
} from "@cdktf/provider-cloudflare/lib/zero-trust-access-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { isToken, type PostureConstructProps, PropChecker, threshold } from "../props";
import type { PostureRequirement } from "./device-posture";
import { requireSessionDuration } from "./duration";
import { terraformLiteral } from "./terraform-text";

/** Administrators who approve each session before it starts. */
export interface AccessApproval {
  /** Emails of the approvers. @default none (then `approverEmailListId` is required) */
  readonly approverEmails?: string[];
  /** The id of an Access list of approver emails. @default none */
  readonly approverEmailListId?: string;
  /**
   * How many approvals a request needs.
   * @default 1
   */
  readonly approvalsNeeded?: number;
}

/** Users state why they need access before each session. */
export interface PurposeJustification {
  /** The question shown to the user. @default Cloudflare's default prompt */
  readonly prompt?: string;
}

export interface HardenedAccessApplicationProps extends PostureConstructProps {
  /** The Cloudflare account id. */
  readonly accountId: string;
  /** The application's name. */
  readonly name: string;
  /**
   * A self-hosted application behind Cloudflare (`self_hosted`), or a SaaS application that signs in
   * through Access as its SAML or OIDC provider (`saas`). Both take `session_duration`; `infrastructure`
   * apps cannot (zero_trust_access_application/plan_modifiers.go:21, schema.go:453-460@v5.14.0) and are
   * not offered here.
   * @default "self_hosted"
   */
  readonly type?: "self_hosted" | "saas";
  /** The hostname (and optional path) Access protects, e.g. `wiki.example.com`. @default none; required for self_hosted */
  readonly domain?: string;
  /** More hostnames or paths protected by the same application (self_hosted). @default none */
  readonly additionalDomains?: string[];
  /**
   * The SAML or OIDC settings of a SaaS application. Write `nameIdTransformJsonata`,
   * `samlAttributeTransformJsonata` and `groupFilterRegex` as Cloudflare documents them: the
   * construct escapes `${` and `%{` in them for Terraform. @default none; required for saas
   */
  readonly saasApp?: ZeroTrustAccessApplicationSaasApp;
  /**
   * The id of the identity provider (OktaIdentityProvider's `id`): the only one the application
   * accepts, and users are sent straight to it.
   */
  readonly identityProviderId: string;
  /**
   * Names of the Okta groups whose members may sign in (matched through `identityProviderId`).
   * `oktaGroups` and `include` together must name someone.
   * @default none
   */
  readonly oktaGroups?: string[];
  /**
   * Who else may sign in, ORed with `oktaGroups`. Only identity-based kinds are allowed: `email`,
   * `emailList`, `group` (an Access group), `okta`, `azureAd`, `gsuite`, `githubOrganization`,
   * `saml` and `oidc`. Kinds that name no one (`everyone`, `emailDomain`, `ip`, `ipList`, `geo`,
   * `loginMethod`, `certificate`, `commonName`, service tokens, ...) are refused (CF-ACC-3): they admit
   * whoever holds a session from there. The rules inside an Access group are not checked here.
   * @default none
   */
  readonly include?: ZeroTrustAccessPolicyInclude[];
  /** Who is refused even when included. @default none */
  readonly exclude?: ZeroTrustAccessPolicyExclude[];
  /**
   * The posture rules a device must pass, per platform (DevicePostureBaseline's `requirements`):
   * one allow policy per entry, each requiring all of its rules (CF-ACC-1).
   */
  readonly devicePosture: readonly PostureRequirement[];
  /**
   * The authentication method every allow policy requires: a hardware key (`hwk`), or any MFA
   * (`mfa`, not under the strict profile) (CF-ACC-2). Okta must send the `amr` claim for it.
   * @default "hwk"
   */
  readonly authMethod?: "hwk" | "mfa";
  /**
   * How long an application token is valid (a Go duration). Access has no idle timeout, so keep it
   * short: at most 8h, or 1h under the strict profile (CF-ACC-4). Set on the application and on
   * every allow policy: a policy's session duration takes precedence over the application's, and
   * the provider defaults it to 24h.
   * @default "1h"
   */
  readonly sessionDuration?: string;
  /**
   * Bind the session to the browser with the binding cookie (self_hosted; CF-ACC-5).
   * @default true
   */
  readonly bindingCookie?: boolean;
  /**
   * Keep the session cookie out of reach of scripts (self_hosted; CF-ACC-5).
   * @default true
   */
  readonly httpOnlyCookie?: boolean;
  /**
   * The SameSite attribute of the session cookie (self_hosted; CF-ACC-5).
   * @default "lax"
   */
  readonly sameSiteCookie?: "lax" | "strict" | "none";
  /** An administrator approves each session (for the most sensitive applications). @default no approval */
  readonly approval?: AccessApproval;
  /**
   * Users state why they need access before each session (for the most sensitive applications).
   * @default not asked
   */
  readonly purposeJustification?: PurposeJustification;
  /** Show the application in the App Launcher. @default the API's default (shown) */
  readonly appLauncherVisible?: boolean;
  /** App Launcher tags; each must exist as a `cloudflare_zero_trust_access_tag`. @default none */
  readonly tags?: string[];
}

/**
 * The include kinds that name people or groups of people, matched through an identity provider or
 * an Access list or group. Every other kind of ZeroTrustAccessPolicyInclude (everyone, an email
 * domain, service tokens, IP ranges and lists, countries, login methods, certificates, device
 * posture, external evaluation, ...) admits whoever holds a session from there.
 */
const IDENTITY_INCLUDES: readonly (keyof ZeroTrustAccessPolicyInclude)[] = [
  "email",
  "emailList",
  "group",
  "okta",
  "azureAd",
  "gsuite",
  "githubOrganization",
  "saml",
  "oidc",
];

/**
 * A Cloudflare Access application guarded the way Cloudflare guarded itself during the 2023 Okta
 * breach: Okta is the only identity provider, every allow policy requires a healthy device and a
 * hardware key, tokens live at most an hour by default, and the session cookie is bound to the
 * browser, HttpOnly and SameSite. Optionally each session needs an approval and a stated purpose.
 * Creates one reusable `cloudflare_zero_trust_access_policy` per posture requirement (platform) and
 * attaches them to the application. Passes CF-ACC-1 to CF-ACC-5.
 */
export class HardenedAccessApplication extends Construct {
  readonly application: ZeroTrustAccessApplication;
  /** The allow policies, one per posture requirement, in precedence order. */
  readonly policies: readonly ZeroTrustAccessPolicy[];

  constructor(scope: Construct, id: string, props: HardenedAccessApplicationProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "HardenedAccessApplication", props);
    const type = props.type ?? "self_hosted";
    if (type === "self_hosted" && !props.domain) check.invalid("domain", "is required for a self_hosted application");
    if (type === "saas" && !props.saasApp) check.invalid("saasApp", "is required for a saas application");
    if (!props.identityProviderId) check.invalid("identityProviderId", "is empty; pass the id of the Okta identity provider");
    const include: ZeroTrustAccessPolicyInclude[] = [
      ...(props.oktaGroups ?? []).map((name) => ({ okta: { identityProviderId: props.identityProviderId, name } })),
      ...(props.include ?? []),
    ];
    if (include.length === 0) check.invalid("include", "and oktaGroups are empty; name the Okta groups, emails or Access groups who may sign in");
    validateInclude(check, props.include ?? []);
    const authMethod = props.authMethod ?? "hwk";
    check.require(
      authMethod === "hwk" || (authMethod === "mfa" && threshold("CF-ACC-2", "acceptMfa", profile) === true),
      authMethod,
      "authMethod",
      profile === "strict" ? 'the strict profile needs "hwk" (a hardware key)' : 'use "hwk" (a hardware key) or "mfa"',
      "CF-ACC-2",
    );
    check.require(props.devicePosture.length > 0, props.devicePosture, "devicePosture", "every allow policy must require device posture: pass DevicePostureBaseline.requirements", "CF-ACC-1");
    props.devicePosture.forEach((r, i) => {
      check.require(isToken(r.ruleIds) || r.ruleIds.length > 0, r.ruleIds, `devicePosture[${i}].ruleIds`, "an allow policy must require at least one posture rule", "CF-ACC-1");
    });
    const sessionDuration = props.sessionDuration ?? "1h";
    requireSessionDuration(check, "sessionDuration", sessionDuration, "CF-ACC-4", profile);
    const binding = props.bindingCookie ?? true;
    const httpOnly = props.httpOnlyCookie ?? true;
    const sameSite = props.sameSiteCookie ?? "lax";
    if (type === "self_hosted") {
      check.require(binding === true, binding, "bindingCookie", "the binding cookie ties the token to the browser that earned it", "CF-ACC-5");
      check.require(httpOnly === true, httpOnly, "httpOnlyCookie", "scripts must not read the session cookie", "CF-ACC-5");
      check.require(sameSite === "lax" || sameSite === "strict", sameSite, "sameSiteCookie", 'use "lax" or "strict"', "CF-ACC-5");
    }
    const approval = props.approval;
    if (approval) validateApproval(check, approval);

    // Reached with no requirement only when CF-ACC-1 is waived: one allow policy without device posture.
    const requirements = props.devicePosture.length > 0 ? props.devicePosture : [{ platform: "any", ruleIds: [] }];
    this.policies = requirements.map(
      (req, i) =>
        new ZeroTrustAccessPolicy(this, `allow-${slug(req.platform) || i}`, {
          accountId: props.accountId,
          name: `${props.name}: ${req.ruleIds.length > 0 ? `healthy ${req.platform} device` : "any device"} and ${authMethod === "hwk" ? "a hardware key" : "MFA"}`,
          decision: "allow",
          // A policy's session duration takes precedence over the application's (and defaults to 24h).
          sessionDuration,
          include,
          exclude: props.exclude,
          require: [...req.ruleIds.map((integrationUid) => ({ devicePosture: { integrationUid } })), { authMethod: { authMethod } }],
          ...(approval
            ? {
                approvalRequired: true,
                approvalGroups: [{ approvalsNeeded: approval.approvalsNeeded ?? 1, emailAddresses: approval.approverEmails, emailListUuid: approval.approverEmailListId }],
              }
            : {}),
          ...(props.purposeJustification ? { purposeJustificationRequired: true, purposeJustificationPrompt: props.purposeJustification.prompt } : {}),
        }),
    );

    const domains = props.domain ? [props.domain, ...(props.additionalDomains ?? [])] : [];
    this.application = new ZeroTrustAccessApplication(this, "application", {
      accountId: props.accountId,
      name: props.name,
      type,
      sessionDuration,
      allowedIdps: [props.identityProviderId],
      autoRedirectToIdentity: true,
      appLauncherVisible: props.appLauncherVisible,
      tags: props.tags,
      policies: this.policies.map((p, i) => ({ id: p.id, precedence: i + 1 })),
      ...(type === "self_hosted"
        ? {
            domain: props.domain,
            destinations: domains.map((uri) => ({ type: "public", uri })),
            enableBindingCookie: binding,
            httpOnlyCookieAttribute: httpOnly,
            sameSiteCookieAttribute: sameSite,
          }
        : { saasApp: literalSaasApp(props.saasApp) }),
    });
  }
}

function validateInclude(check: PropChecker, include: ZeroTrustAccessPolicyInclude[]): void {
  include.forEach((entry, i) => {
    if (isToken(entry)) return;
    const kinds = Object.keys(entry).filter((k) => (entry as Record<string, unknown>)[k] !== undefined);
    if (kinds.length === 0) check.invalid(`include[${i}]`, "names no kind of rule; give one of " + IDENTITY_INCLUDES.join(", "));
    const refused = kinds.filter((k) => !(IDENTITY_INCLUDES as readonly string[]).includes(k));
    check.require(
      refused.length === 0,
      refused,
      `include[${i}]`,
      `name people or groups: only identity-based includes are allowed (${IDENTITY_INCLUDES.join(", ")})`,
      "CF-ACC-3",
    );
  });
}

const SAAS_EXPRESSIONS = ["nameIdTransformJsonata", "samlAttributeTransformJsonata", "groupFilterRegex"] as const;

/** The SaaS settings whose expressions Cloudflare evaluates, with `${` and `%{` escaped for Terraform. */
function literalSaasApp(app: ZeroTrustAccessApplicationSaasApp | undefined): ZeroTrustAccessApplicationSaasApp | undefined {
  if (app === undefined || Token.isUnresolved(app)) return app;
  const out: Record<string, unknown> = { ...app };
  for (const k of SAAS_EXPRESSIONS) if (typeof app[k] === "string") out[k] = terraformLiteral(app[k]);
  return out as ZeroTrustAccessApplicationSaasApp;
}

function validateApproval(check: PropChecker, a: AccessApproval): void {
  if (!(a.approverEmails && a.approverEmails.length > 0) && !a.approverEmailListId) {
    check.invalid("approval", "names no approver; give approverEmails or approverEmailListId");
  }
  const n = a.approvalsNeeded ?? 1;
  if (!isToken(n) && !(Number.isInteger(n) && n >= 1)) check.invalid("approval.approvalsNeeded", `is ${n}; at least 1 approval is needed`);
}

/** A construct id from a label: letters, digits and dashes. */
function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
