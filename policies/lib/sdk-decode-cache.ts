// A performance fix for @pulumi/policy's server, installed by index.ts before the PolicyPack is built.
//
// The SDK decodes a resource's properties once PER POLICY: Analyze calls
// `deserializeProperties(req.getProperties(), false)` (and again for the provider) for each of the 12
// resource policies, and AnalyzeStack does it for every resource for each of the 5 stack policies. Each
// decode starts with protobuf's `Struct.toJavaScript()`, which walks google-protobuf's map and Value
// wrappers and allocates heavily (garbage the collector then pays for). Measured with bench/inprocess.ts on
// a 10,000-resource stack (BENCH_NO_MEMO=1 for the baseline), the five stack policies' share of AnalyzeStack
// went from about 1.4 s to 1.2 s on a quiet machine, and by much more under load, where the collector's
// share grows; the rest of the per-policy cost is the SDK building each resource object anew per policy,
// which a pack cannot change from outside.
//
// The fix caches `toJavaScript()` per Struct object (a WeakMap, so a request's entries go with the request)
// and still runs the SDK's own deserializeProperties on it every time. Behaviour is unchanged:
// - deserializeProperties only reads the plain object toJavaScript() returns (it copies every array and
//   object, returns primitives, builds assets and archives anew), so each policy still gets fresh objects of
//   its own with the same values, unknown sentinels and secrets; a policy that mutated its copy would still
//   not affect another's;
// - the proxies (unknownCheckingProxy, and secretsPreservingProxy when proxySecrets) are still made by the
//   SDK per call, around those fresh objects;
// - a Struct that cannot be decoded throws the same error each time (failures are not cached);
// - the requests the server decodes are never modified after they arrive, so a cached value cannot go stale.
// It installs only on the exact @pulumi/policy version it was tested against (TESTED_SDK_VERSION): on any
// other version, or if the SDK stops exposing deserializeProperties this way, nothing is installed and the pack
// runs on the SDK as it is. tests/sdk-decode-cache.spec.ts checks equivalence and that the server goes through
// the cache. No upstream fix exists yet (README "Dependencies and why"): the SDK's server would decode each
// request's resources once, not once per policy (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun).
//
// Since every policy carries the broker type (policy.ts typedFor), the SDK decodes nothing for a resource or a
// stack without a broker, so this cache only matters where there are brokers (BENCHMARKS.md measures it).

interface StructLike {
    toJavaScript(): unknown;
}

type DeserializeProperties = (struct: StructLike, proxySecrets: boolean) => Record<string, unknown>;

const INSTALLED = Symbol.for("aws-mq-guardrails.sdkDecodeCache");

/** The @pulumi/policy version whose server.js this was read against and tested with. */
export const TESTED_SDK_VERSION = "1.21.0";

/** The installed @pulumi/policy version, or undefined when it cannot be read. */
function sdkVersion(): string | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        // The SDK's package.json says "v1.21.0".
        const version: unknown = require("@pulumi/policy/package.json").version;
        return typeof version === "string" ? version.replace(/^v/, "") : undefined;
    } catch {
        return undefined;
    }
}

function isStructLike(value: unknown): value is StructLike {
    return typeof value === "object" && value !== null && typeof (value as StructLike).toJavaScript === "function";
}

/** Wraps a deserializeProperties so that each Struct's toJavaScript() runs once. */
export function withDecodeCache(original: DeserializeProperties): DeserializeProperties {
    const decoded = new WeakMap<object, unknown>();
    const cached: DeserializeProperties = function (struct, proxySecrets) {
        if (!isStructLike(struct)) {
            return original(struct, proxySecrets);
        }
        let plain = decoded.get(struct);
        if (plain === undefined) {
            plain = struct.toJavaScript();
            decoded.set(struct, plain);
        }
        const value = plain;
        return original({ toJavaScript: () => value }, proxySecrets);
    };
    (cached as unknown as Record<symbol, unknown>)[INSTALLED] = original;
    return cached;
}

/**
 * Installs the cache on @pulumi/policy's deserialize module (which server.js calls through its exports), when
 * the installed SDK is TESTED_SDK_VERSION (`version` is for tests). Idempotent. Returns whether the cache is
 * in place.
 */
export function installDecodeCache(version: string | undefined = sdkVersion()): boolean {
    if (version !== TESTED_SDK_VERSION) {
        return false;
    }
    let module: { deserializeProperties?: unknown };
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        module = require("@pulumi/policy/deserialize");
    } catch {
        return false;
    }
    const current = module.deserializeProperties;
    if (typeof current !== "function") {
        return false;
    }
    if ((current as unknown as Record<symbol, unknown>)[INSTALLED]) {
        return true;
    }
    try {
        module.deserializeProperties = withDecodeCache(current as DeserializeProperties);
    } catch {
        // A frozen or getter-only export: leave the SDK as it is.
        return false;
    }
    return module.deserializeProperties !== current;
}

/** Puts the SDK's own deserializeProperties back (for tests). */
export function uninstallDecodeCache(): void {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const module = require("@pulumi/policy/deserialize");
    const original = module.deserializeProperties?.[INSTALLED];
    if (typeof original === "function") {
        module.deserializeProperties = original;
    }
}
