// The @pulumi/policy version whose server.js the pack's SDK glue (sdk-decode-cache.ts, sdk-type-families.ts)
// was read against and tested with, and the installed one. Each piece of glue installs only when they match.

/** The @pulumi/policy version whose server.js the glue was read against and tested with. */
export const TESTED_SDK_VERSION = "1.21.0";

/** The installed @pulumi/policy version, or undefined when it cannot be read. */
export function sdkVersion(): string | undefined {
    try {
        // The SDK's package.json says "v1.21.0".
        const version: unknown = require("@pulumi/policy/package.json").version;
        return typeof version === "string" ? version.replace(/^v/, "") : undefined;
    } catch {
        return undefined;
    }
}
