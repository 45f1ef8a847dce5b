// Resource properties in the engine's wire format (a protobuf Struct): secrets as the secret signature
// object, unknowns as the unknown sentinels, and the engine's `__`-prefixed internal keys dropped.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN_VALUES } from "../policies/lib/values";

/** `resource.SigKey` and the secret signature of the Pulumi property encoding. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The engine's unknown sentinels, one per kind of value (pulumi `plugin.Unknown*Value`). */
export const unknown = UNKNOWN_VALUES;

/** A secret value as the engine sends it with KeepSecrets. */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

export function isSecretObject(value: unknown): value is { value?: unknown; ciphertext?: string } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Drops top-level keys the engine keeps for itself (`__defaults`, `__meta`, ...). */
export function withoutInternalKeys(props: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
        if (!key.startsWith("__") && value !== undefined) {
            result[key] = value;
        }
    }
    return result;
}

/** JSON-clean values only: protobuf Struct has no undefined, so drop it the way the engine's marshaller does. */
function clean(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(v => (v === undefined ? null : clean(v)));
    }
    if (typeof value === "object" && value !== null) {
        const result: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                result[k] = clean(v);
            }
        }
        return result;
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
        return null;
    }
    return value;
}

export interface StructOptions {
    /**
     * Keep the `__` keys. The engine skips them for Analyze, AnalyzeStack and provider properties
     * (`SkipInternalKeys: true`) but sends them to Remediate (`SkipInternalKeys: false`).
     */
    keepInternalKeys?: boolean;
}

export function toStruct(props: Record<string, unknown>, options: StructOptions = {}): Struct {
    const kept = options.keepInternalKeys ? props : withoutInternalKeys(props);
    return Struct.fromJavaScript(clean(kept) as Record<string, any>);
}
