// The CLI's shared helpers (js/src/cli/common.ts): SDK option names said as CLI flags, integer options.
import { describe, expect, it } from "vitest";
import { CliError, cliWording, codeOf, intOption, messageOf, UsageError } from "../src/cli/common.js";
import { makeError } from "../src/errors.js";

describe("CLI helpers", () => {
  it("an SDK error naming an option is worded with the CLI's flag", () => {
    const e = makeError("INSECURE_ORG_URL", "x", { option: "allowInsecureLoopback" });
    expect(cliWording(e, "http:// needs allowInsecureLoopback: true (a local emulator)")).toBe(
      "http:// needs --insecure-loopback (a local emulator)",
    );
    expect(cliWording(makeError("INVALID_ORG_URL", "x", { option: "orgUrl" }), "orgUrl is not a URL")).toBe("--org is not a URL");
    // An option without a flag, an inherited name, or none: the message is unchanged.
    expect(cliWording(makeError("INVALID_OPTION", "x", { option: "pageLimit" }), "pageLimit is 0")).toBe("pageLimit is 0");
    expect(cliWording({ option: "constructor" }, "constructor")).toBe("constructor");
    expect(cliWording(null, "m")).toBe("m");
  });

  it("integer options: absent, in range, or a usage error naming the flag and the range", () => {
    expect(intOption({}, "port")).toBeUndefined();
    expect(intOption({ port: "8080" }, "port", { max: 65535 })).toBe(8080);
    for (const bad of ["-1", "1.5", "0x10", "", "65536", " 1"]) {
      expect(() => intOption({ port: bad }, "port", { max: 65535 })).toThrow(new UsageError("--port must be an integer from 0 to 65535"));
    }
    expect(() => intOption({ "page-limit": "0" }, "page-limit", { min: 1, max: 200 })).toThrow(
      "--page-limit must be an integer from 1 to 200",
    );
  });

  it("codes and messages of anything thrown", () => {
    const e = new CliError("WRITE_FAILED", "cannot write x (ENOSPC)", { cause: new Error("inner") });
    expect(e).toBeInstanceOf(Error);
    expect([codeOf(e), messageOf(e), (e.cause as Error).message]).toEqual(["WRITE_FAILED", "cannot write x (ENOSPC)", "inner"]);
    expect(new UsageError("u").code).toBe("USAGE");
    expect([codeOf(undefined), codeOf({ code: 1 }), messageOf("text")]).toEqual([undefined, undefined, undefined]);
  });
});
