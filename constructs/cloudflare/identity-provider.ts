import { ZeroTrustAccessIdentityProvider } from "@cdktf/provider-cloudflare/lib/zero-trust-access-identity-provider";
import { Construct } from "constructs";
import { isToken, type PostureConstructProps, PropChecker, requireSecretToken } from "../props";

export interface OktaIdentityProviderProps extends PostureConstructProps {
  /** The Cloudflare account id. */
  readonly accountId: string;
  /** The Okta org URL, e.g. `https://example.okta.com`. */
  readonly oktaAccount: string;
  /** The client id of the Okta OIDC application for Cloudflare Access. */
  readonly clientId: string;
  /** The client secret of that application: a sensitive `TerraformVariable`'s value or another token, never a literal (SECRET-1). */
  readonly clientSecret: string;
  /**
   * The name shown on the Access login page.
   * @default "Okta"
   */
  readonly name?: string;
  /** The Okta authorization server id, when not the org server. @default the org authorization server */
  readonly authorizationServerId?: string;
  /**
   * Use PKCE, so an intercepted authorization code cannot be redeemed (CF-IDP-1).
   * @default true
   */
  readonly pkce?: boolean;
  /**
   * Load the user's Okta groups, so Access policies can include `okta` groups.
   * @default true
   */
  readonly supportGroups?: boolean;
  /** Extra OIDC claims to copy into the Access identity, for policies to match on. @default none */
  readonly claims?: string[];
  /** OAuth scopes to request. @default Cloudflare's default scopes */
  readonly scopes?: string[];
  /** The claim that holds the email. @default "email" */
  readonly emailClaimName?: string;
}

/**
 * Okta as the Cloudflare Access identity provider, with PKCE and the client secret from a variable.
 * Passes CF-IDP-1 and SECRET-1. Applications should accept only this provider
 * (HardenedAccessApplication does), and the account should have no one-time-PIN provider.
 */
export class OktaIdentityProvider extends Construct {
  readonly provider: ZeroTrustAccessIdentityProvider;
  /** The provider's id, for `allowed_idps` and `okta` include rules. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: OktaIdentityProviderProps) {
    super(scope, id);
    const check = new PropChecker(this, "OktaIdentityProvider", props);
    requireSecretToken(check, "clientSecret", props.clientSecret);
    if (!isToken(props.oktaAccount) && !/^https:\/\/[^/\s]+\/?$/.test(props.oktaAccount)) {
      check.invalid("oktaAccount", `is ${JSON.stringify(props.oktaAccount)}; give the org URL, e.g. "https://example.okta.com"`);
    }
    if (!props.clientId) check.invalid("clientId", "is empty; give the client id of the Okta OIDC application");
    const pkce = props.pkce ?? true;
    check.require(pkce === true, pkce, "pkce", "Okta login must use PKCE", "CF-IDP-1");
    this.provider = new ZeroTrustAccessIdentityProvider(this, "provider", {
      accountId: props.accountId,
      name: props.name ?? "Okta",
      type: "okta",
      config: {
        oktaAccount: props.oktaAccount,
        clientId: props.clientId,
        clientSecret: props.clientSecret,
        authorizationServerId: props.authorizationServerId,
        pkceEnabled: pkce,
        supportGroups: props.supportGroups ?? true,
        claims: props.claims,
        scopes: props.scopes,
        emailClaimName: props.emailClaimName,
      },
    });
    this.id = this.provider.id;
  }
}
