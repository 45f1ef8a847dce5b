// Resource properties in the engine's wire format: secrets as the secret signature object, unknowns as the
// unknown sentinels. engine/wire.ts writes them (dropping the engine's `__`-prefixed internal keys where the
// engine does); tests/engine/reference-encoder.ts builds the same as google-protobuf Structs, for comparison.
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
