/**
 * Logpush destinations (`destination_conf`) built from typed options. Credentials go into the URL's
 * query as tokens (a sensitive variable's value), URL-encoded at apply time with `urlencode()`, so they
 * never appear in code; ZeroTrustLogpush refuses a destination that carries a literal credential.
 */
import { Fn } from "cdktf";
import { isToken } from "../props";

/** Splunk HTTP Event Collector (raw endpoint). */
export interface SplunkHecOptions {
  /** The HEC host, e.g. `http-inputs-example.splunkcloud.com`. */
  readonly host: string;
  /**
   * The HEC port.
   * @default 443
   */
  readonly port?: number;
  /** A channel id (any GUID) for the raw endpoint. */
  readonly channel: string;
  /** The HEC token: a sensitive `TerraformVariable`'s value or another token, never a literal (SECRET-1). */
  readonly token: string;
  /**
   * The Splunk source type of the events.
   * @default "cloudflare:json"
   */
  readonly sourcetype?: string;
  /**
   * Verify the HEC endpoint's TLS certificate (CF-LOG-2 refuses turning this off).
   * @default true
   */
  readonly verifyTls?: boolean;
}

/** An Amazon S3 bucket that grants Cloudflare's Logpush principal write access (no credential in the URL). */
export interface S3Options {
  /** The bucket name. */
  readonly bucket: string;
  /** The bucket's region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * Key prefix; each dataset is written under `<prefix>/<dataset>/<date>/`.
   * @default "cloudflare"
   */
  readonly prefix?: string;
  /**
   * The ownership challenge token for each dataset's path, by dataset (Cloudflare writes the challenge
   * file into the path; read it from the bucket).
   */
  readonly ownershipChallenges: Readonly<Record<string, string>>;
  /**
   * Encrypt the objects with S3-managed keys (`sse=AES256`).
   * @default true
   */
  readonly serverSideEncryption?: boolean;
}

/** Datadog log intake. */
export interface DatadogOptions {
  /** The Datadog API key: a sensitive `TerraformVariable`'s value or another token, never a literal (SECRET-1). */
  readonly apiKey: string;
  /**
   * The Datadog site.
   * @default "datadoghq.com"
   */
  readonly site?: string;
  /**
   * The `service` of the logs.
   * @default "cloudflare-zero-trust"
   */
  readonly service?: string;
  /** Tags (`key:value`) added to every log. @default none */
  readonly tags?: string[];
}

/** A Cloudflare R2 bucket, written with an R2 API token's S3 credentials. */
export interface R2Options {
  /** The account that owns the bucket. */
  readonly accountId: string;
  /** The bucket name. */
  readonly bucket: string;
  /**
   * Key prefix; each dataset is written under `<prefix>/<dataset>/<date>/`.
   * @default "cloudflare"
   */
  readonly prefix?: string;
  /** The R2 access key id (a token or a literal: it is an identifier, not a secret). */
  readonly accessKeyId: string;
  /** The R2 secret access key: a sensitive `TerraformVariable`'s value or another token, never a literal (SECRET-1). */
  readonly secretAccessKey: string;
}

/** A query value: tokens are URL-encoded by Terraform at apply time, literals here. */
function q(value: string): string {
  return isToken(value) ? Fn.urlencode(value) : encodeURIComponent(value);
}

const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, "");

/** Where Logpush jobs deliver. Build one with `splunk`, `s3`, `datadog`, `r2` or `custom`. */
export class LogpushDestination {
  /** Splunk HEC: `splunk://host:port/services/collector/raw?channel=...&header_Authorization=Splunk%20<token>`. */
  static splunk(o: SplunkHecOptions): LogpushDestination {
    const verify = o.verifyTls ?? true;
    const conf =
      `splunk://${o.host}:${o.port ?? 443}/services/collector/raw?channel=${q(o.channel)}&insecure-skip-verify=${!verify}` +
      `&sourcetype=${q(o.sourcetype ?? "cloudflare:json")}&header_Authorization=Splunk%20${q(o.token)}`;
    return new LogpushDestination("splunk", () => conf);
  }

  /** Amazon S3, one path per dataset, proven with an ownership challenge per path. */
  static s3(o: S3Options): LogpushDestination {
    const prefix = trimSlashes(o.prefix ?? "cloudflare");
    const sse = (o.serverSideEncryption ?? true) ? "&sse=AES256" : "";
    return new LogpushDestination(
      "s3",
      (dataset) => `s3://${o.bucket}/${prefix ? `${prefix}/` : ""}${dataset}/{DATE}?region=${q(o.region)}${sse}`,
      (dataset) => o.ownershipChallenges[dataset],
      true,
    );
  }

  /** Datadog: `datadog://http-intake.logs.<site>/api/v2/logs?header_DD-API-KEY=<key>&ddsource=cloudflare&...`. */
  static datadog(o: DatadogOptions): LogpushDestination {
    const tags = o.tags && o.tags.length > 0 ? `&ddtags=${q(o.tags.join(","))}` : "";
    const conf =
      `datadog://http-intake.logs.${o.site ?? "datadoghq.com"}/api/v2/logs?header_DD-API-KEY=${q(o.apiKey)}` +
      `&ddsource=cloudflare&service=${q(o.service ?? "cloudflare-zero-trust")}${tags}`;
    return new LogpushDestination("datadog", () => conf);
  }

  /** Cloudflare R2, one path per dataset. */
  static r2(o: R2Options): LogpushDestination {
    const prefix = trimSlashes(o.prefix ?? "cloudflare");
    return new LogpushDestination(
      "r2",
      (dataset) =>
        `r2://${o.bucket}/${prefix ? `${prefix}/` : ""}${dataset}/{DATE}?account-id=${q(o.accountId)}` +
        `&access-key-id=${q(o.accessKeyId)}&secret-access-key=${q(o.secretAccessKey)}`,
    );
  }

  /**
   * Any other destination, written as Cloudflare documents it. Credentials in it must be tokens;
   * the same `conf` is used for every dataset.
   */
  static custom(conf: string, ownershipChallenge?: string): LogpushDestination {
    return new LogpushDestination("custom", () => conf, () => ownershipChallenge);
  }

  private constructor(
    /** The kind of destination, for messages. */
    readonly kind: string,
    private readonly confOf: (dataset: string) => string,
    private readonly challengeOf: (dataset: string) => string | undefined = () => undefined,
    /** Whether each dataset's job needs an ownership challenge (S3). */
    readonly needsOwnershipChallenge = false,
  ) {}

  /** The `destination_conf` of the job that ships `dataset`. */
  destinationConf(dataset: string): string {
    return this.confOf(dataset);
  }

  /** The ownership challenge of the job that ships `dataset`, if the destination has one. */
  ownershipChallenge(dataset: string): string | undefined {
    return this.challengeOf(dataset);
  }
}
