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
// It also contains one fault of the SDK: a hash-only asset or archive (a Lambda's code as state keeps it) makes
// deserializeProperties throw, which in AnalyzeStack fails every stack policy for the whole stack. On that error
// only, the resource is decoded again with its assets and archives as unknown values (withoutAssets).
//
// Since every policy carries the broker type (policy.ts typedFor), the SDK decodes nothing for a resource or a
// stack without a broker, so this cache only matters where there are brokers (BENCHMARKS.md measures it).

import { sdkVersion, TESTED_SDK_VERSION } from "./sdk-version";
import { UNKNOWN_VALUES } from "./values";

export { TESTED_SDK_VERSION } from "./sdk-version";

// The engine's signatures for assets and archives (@pulumi/pulumi runtime/rpc.js specialSigKey,
// specialAssetSig, specialArchiveSig).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** What the SDK's deserializeProperties throws on an asset or archive it cannot rebuild (a hash-only one). */
const UNDECODABLE = /^(Invalid asset|Invalid archive|Expected an AssetArchive's assets)/;

/**
 * `value` with every asset and archive replaced by the engine's unknown asset or archive value. State keeps a
 * Lambda's code as a hash-only archive, which the SDK cannot rebuild: it throws, and in AnalyzeStack that
 * fails every stack policy for the whole stack. No policy of this pack reads an asset, so the resource is still
 * related and judged; a policy that read the value would see "unknown".
 */
export function withoutAssets(value: unknown, depth = 0): unknown {
    if (typeof value !== "object" || value === null || depth > 64) {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(v => withoutAssets(v, depth + 1));
    }
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === ASSET_SIG) {
        return UNKNOWN_VALUES.asset;
    }
    if (record[SIG_KEY] === ARCHIVE_SIG) {
        return UNKNOWN_VALUES.archive;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
        out[k] = withoutAssets(v, depth + 1);
    }
    return out;
}

interface StructLike {
    toJavaScript(): unknown;
}

type DeserializeProperties = (struct: StructLike, proxySecrets: boolean) => Record<string, unknown>;

const INSTALLED = Symbol.for("aws-mq-guardrails.sdkDecodeCache");

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
        try {
            return original({ toJavaScript: () => value }, proxySecrets);
        } catch (err) {
            if (!(err instanceof Error) || !UNDECODABLE.test(err.message)) {
                throw err;
            }
            // Only on this failure path: decode again without the assets, and keep that for the next policy.
            const sanitized = withoutAssets(value);
            decoded.set(struct, sanitized);
            return original({ toJavaScript: () => sanitized }, proxySecrets);
        }
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
     
    const module = require("@pulumi/policy/deserialize");
    const original = module.deserializeProperties?.[INSTALLED];
    if (typeof original === "function") {
        module.deserializeProperties = original;
    }
}
