import fc from "fast-check";
import { credentialShaped, Redactor as R, redactCredentials } from "../../engine/evaluate/redact";
import { normPath } from "../../engine/model/model";

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

describe("Redactor.text: one pass whatever the number of secrets", () => {
  it("replaces every occurrence of every secret, and overlapping ones as one run", () => {
    const r = new R();
    for (const s of ["secret-one-111", "secret-two-222", "abcdefXY", "XYZ12345", "tok-aaaa", "aaaa-tok"]) r.add(s);
    expect(r.text("a secret-one-111 b secret-two-222 c secret-one-111")).toBe("a (sensitive) b (sensitive) c (sensitive)");
    expect(r.text("abcdefXYZ12345!")).toBe("(sensitive)!");
    expect(r.text("xtok-aaaa-tokx")).toBe("x(sensitive)x");
    expect(r.text("secret-one-111secret-two-222")).toBe("(sensitive)(sensitive)");
    expect(r.text("nothing here")).toBe("nothing here");
  });

  it("agrees with a naive replacement on random texts and secrets that do not overlap", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{6,9}Q$/), { maxLength: 6 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }), (secrets, fillers) => {
        const r = new R();
        secrets.forEach((s) => r.add(s));
        const text = fillers.map((f, i) => f + (secrets.length ? secrets[i % secrets.length] : "")).join("|");
        const naive = secrets.length ? text.split(new RegExp(secrets.join("|"))).join("(sensitive)") : text;
        // Secrets end in their only Q, so occurrences cannot overlap unless fillers make them; skip those.
        fc.pre(!/Q[a-z]/.test(text) || secrets.length === 0);
        expect(r.text(text)).toBe(naive);
      }),
      { numRuns: 300 },
    );
  });

  // Redacted strings are remembered: a secret added afterwards must still be caught in a string seen before.
  it("redacts a string seen before a secret was added, and long strings as short ones", () => {
    const r = new R();
    r.add("first-secret-1");
    expect(r.text("x later-secret-2 y")).toBe("x later-secret-2 y");
    r.add("later-secret-2");
    expect(r.text("x later-secret-2 y")).toBe("x (sensitive) y");
    expect(r.deep({ a: ["x later-secret-2 y"] })).toEqual({ a: ["x (sensitive) y"] });
    const long = `${"a".repeat(300)} first-secret-1`;
    expect(r.text(long)).toBe(`${"a".repeat(300)} (sensitive)`);
    expect(r.text(long)).toBe(`${"a".repeat(300)} (sensitive)`);
  });
});

describe("normPath", () => {
  it.each([
    ["", ""],
    ["settings.token", "settings.token"],
    ["headers.0.value", "headers.value"],
    ["0", ""],
    ["0.1.a", "a"],
    ["a.12", "a"],
    ["a.12b.3", "a.12b"],
    ["a1.b2", "a1.b2"],
    ["a..0", "a."],
  ])("%j -> %j", (path, expected) => {
    expect(normPath(path)).toBe(expected);
  });

  it("agrees with dropping every all-digit segment", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a0-9.]{0,4}$/), { maxLength: 5 }), (parts) => {
        const path = parts.join(".");
        expect(normPath(path)).toBe(path.split(".").filter((s) => !/^\d+$/.test(s)).join("."));
      }),
      { numRuns: 300 },
    );
  });
});
