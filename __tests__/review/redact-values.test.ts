import { credentialShaped, redactCredentials } from "../../engine/redact";

describe("credential-shaped values", () => {
  it.each([
    ["Bearer abc.def.ghi", undefined, true],
    ["SSWS 00abcdEFGHijkl", undefined, true],
    ["Splunk 1b2c3d4e-aaaa-bbbb-cccc-1234567890ab", undefined, true],
    ["xk_live_9f8e7d6c5b4a3f2e1d0c9b8a", undefined, true],
    ["short-value", "token", true],
    ["1b2c3d4e-aaaa-bbbb-cccc-1234567890ab", "X-Api-Key", true],
    ["1b2c3d4e-aaaa-bbbb-cccc-1234567890ab", undefined, false],
    ["699d98642c564d2e855e9661899b7252", undefined, false],
    ["https://splunk.example.com:8088/services/collector", undefined, false],
    ["okta_verify", "key", false],
    ["REQUIRED", undefined, false],
  ])("%s (under %s): %s", (value, name, expected) => {
    expect(credentialShaped(value, name)).toBe(expected);
  });

  // Issue 10.6: every header value is redacted by position, whatever its name (a harmless
  // Content-Type included): names such as x-functions-key are not on any list.
  it("redacts every header value, values under credential-named keys, leaving the rest", () => {
    expect(
      redactCredentials({
        headers: [
          { key: "X-Api-Key", value: "abcd1234efgh" },
          { key: "Content-Type", value: "application/json" },
        ],
        auth: { type: "HEADER", key: "Authorization", value: "Basic dXNlcjpwYXNz" },
        client_secret: "not-so-long",
        policies: [{ id: "699d98642c564d2e855e9661899b7252", precedence: 1 }],
      }),
    ).toEqual({
      headers: [
        { key: "X-Api-Key", value: "(sensitive)" },
        { key: "Content-Type", value: "(sensitive)" },
      ],
      auth: { type: "HEADER", key: "Authorization", value: "(sensitive)" },
      client_secret: "(sensitive)",
      policies: [{ id: "699d98642c564d2e855e9661899b7252", precedence: 1 }],
    });
  });
});
