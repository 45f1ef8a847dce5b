// Reading resource properties as plain data, with unknown values as values rather than exceptions.
//
// @pulumi/policy hands a policy its properties behind `unknownCheckingProxy`, which throws on the first
// unknown it meets; the engine then reports one advisory "can't run during preview" line and every other
// finding of that policy is lost. Policies here unwrap the proxy once and test each property on its own,
// so one unknown never hides a violation of a property that is known.
//
// A broker's properties are typed BrokerProps: on them, every reader accepts only a property name the
// provider's aws.mq.Broker has (an input of BrokerArgs or a state key of BrokerState, type-only import), so a
// misspelled key fails type-checking instead of reading as absent. Other objects take any string key.
import type { BrokerArgs, BrokerState } from "@pulumi/aws/mq";

/**
 * The engine's unknown-value sentinels (pulumi `plugin.Unknown*Value`), one per kind of value, which
 * @pulumi/policy keeps as these strings after decoding. tests/pack.spec.ts checks they match the installed
 * @pulumi/policy; engine/properties.ts sends them.
 */
export const UNKNOWN_VALUES = {
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/**
 * What `pulumi policy analyze --file` puts in place of a secret it cannot decrypt (pkg/v3 backend/secrets
 * BlindingProvider, CLI 3.276.0: "redacted to the string `[secret]` ... regardless of their original type").
 * The value is unknown to the pack, never a weak or hard-coded password (found by tests/real-cli).
 * Source: "BlindingProvider builds secrets managers that redact every secret to config.BlindingCrypter's
 * "[secret]" sentinel instead of decrypting it"
 * (https://github.com/pulumi/pulumi/blob/master/pkg/backend/secrets/providers.go, read 2026-12-03). That the
 * `analyze --file` path uses it is observed (tests/real-cli), not documented.
 */
export const REDACTED_SECRET = "[secret]";

export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([...Object.values(UNKNOWN_VALUES), REDACTED_SECRET]);

/** The key @pulumi/policy's proxies answer with their target object. */
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

/** A value that will only be known after the resources it comes from exist (preview). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export type PlainObject = Record<string, unknown>;

declare const BROKER_PROPS: unique symbol;

/** The properties of an aws.mq.Broker (inputs or state), plain: readers accept only its property names. */
export type BrokerProps = PlainObject & { readonly [BROKER_PROPS]: true };

/** A property name of aws.mq.Broker, as the provider's SDK declares it. */
export type BrokerKey = Extract<keyof BrokerArgs | keyof BrokerState, string>;

/** The keys a reader accepts on `O`: a broker's property names on BrokerProps, any string elsewhere. */
export type KeyOf<O> = O extends { readonly [BROKER_PROPS]: true } ? BrokerKey : string;

/** A broker's plain properties, typed as such (the object is not copied). */
export function brokerProps(props: unknown): BrokerProps {
    return unwrap(props) as BrokerProps;
}

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.has(value));
}

export function isPlainObject(value: unknown): value is PlainObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The plain object behind @pulumi/policy's proxies (or the object itself when it is not proxied). */
export function unwrap(props: unknown): PlainObject {
    let current: any = props;
    // The remediation path nests two proxies (unknown-checking around secrets-preserving).
    for (let depth = 0; depth < 4 && isPlainObject(current); depth++) {
        const target = current[PROXY_TARGET_KEY];
        if (!isPlainObject(target) || target === current) {
            break;
        }
        current = target;
    }
    return isPlainObject(current) ? current : {};
}

/** Whether a value is a secret kept by the remediation path (`Secret` of @pulumi/policy). */
function isKeptSecret(value: unknown): value is { value: unknown } {
    return isPlainObject(value) && value.constructor?.name === "Secret" && "value" in value;
}

/** A secret kept by the remediation path (`Secret` of @pulumi/policy) reads as its value. */
export function reveal(value: unknown): unknown {
    return isKeptSecret(value) ? value.value : value;
}

/**
 * Sets a property for remediation, keeping it secret when it was one (as the SDK's secrets-preserving
 * proxy does): a secret `false` remediated to `true` stays a secret.
 */
export function assign<O extends PlainObject>(obj: O, key: KeyOf<O>, value: unknown): void {
    const target: PlainObject = obj;
    const current = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (isKeptSecret(current)) {
        current.value = value;
    } else {
        target[key] = value;
    }
}

/** A property as it is: UNKNOWN, undefined when absent or null, or the value. */
export function field<O>(obj: O, key: KeyOf<O>): unknown {
    if (isUnknown(obj)) {
        return UNKNOWN;
    }
    if (!isPlainObject(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) {
        return undefined;
    }
    const value = reveal(obj[key]);
    if (value === null || value === undefined) {
        return undefined;
    }
    return isUnknown(value) ? UNKNOWN : value;
}

/** A string property; numbers read as their text. Absent or another type reads as undefined. */
export function readString<O>(obj: O, key: KeyOf<O>): string | undefined | Unknown {
    return asString(field(obj, key));
}

export function asString(value: unknown): string | undefined | Unknown {
    value = reveal(value);
    if (isUnknown(value)) {
        return UNKNOWN;
    }
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "number" && Number.isFinite(value)) {
        return String(value);
    }
    return undefined;
}

/**
 * A boolean property; the provider also accepts "true"/"false" strings. Anything else reads as undefined.
 * terraform-provider-aws (bridged by @pulumi/aws) types `logs.audit` as a nullable bool held as a string
 * (`nullable.TypeNullableBool`, written back with `strconv.FormatBool`;
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read 2026-12-03), so
 * state can hold "true"/"false". That every boolean input may arrive as a string is not confirmed by a source as of
 * 2026-12-03: it rests on observed engine behaviour (config values reach providers as strings) and is read
 * leniently so a string never hides a finding.
 */
export function readBoolean<O>(obj: O, key: KeyOf<O>): boolean | undefined | Unknown {
    return asBoolean(field(obj, key));
}

export function asBoolean(value: unknown): boolean | undefined | Unknown {
    value = reveal(value);
    if (isUnknown(value)) {
        return UNKNOWN;
    }
    if (typeof value === "boolean") {
        return value;
    }
    if (typeof value === "string") {
        const lower = value.trim().toLowerCase();
        if (lower === "true") {
            return true;
        }
        if (lower === "false") {
            return false;
        }
    }
    return undefined;
}

/** A list property; elements may themselves be UNKNOWN sentinels. Another type reads as undefined. */
export function readList<O>(obj: O, key: KeyOf<O>): unknown[] | undefined | Unknown {
    const value = field(obj, key);
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return Array.isArray(value) ? value.map(reveal) : undefined;
}

/** An object property (a nested block such as `logs`). Another type reads as undefined. */
export function readObject<O>(obj: O, key: KeyOf<O>): PlainObject | undefined | Unknown {
    const value = field(obj, key);
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return isPlainObject(value) ? value : undefined;
}

/**
 * A nested block that the provider models as a one-element list in some versions and an object in
 * others (`logs`, `encryptionOptions`, `ldapServerMetadata`): read either shape as an object.
 * terraform-provider-aws declares these as `schema.TypeList` with `MaxItems: 1`
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go), which @pulumi/aws
 * 7.48.0 exposes as objects (`logs?: pulumi.Input<inputs.mq.BrokerLogs>`, mq/broker.d.ts); both read 2026-12-03.
 * Which @pulumi/aws versions, if any, hand a policy the list shape is not confirmed by a source as of 2026-12-03:
 * the list reading is kept for hostile or older inputs.
 */
export function readBlock<O>(obj: O, key: KeyOf<O>): PlainObject | undefined | Unknown {
    const value = field(obj, key);
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (Array.isArray(value)) {
        const first = reveal(value[0]);
        if (isUnknown(first)) {
            return UNKNOWN;
        }
        return isPlainObject(first) ? first : undefined;
    }
    return isPlainObject(value) ? value : undefined;
}

/** Upper-cased string for case-insensitive enum comparison (engineType, deploymentMode, ...). */
export function readEnum<O>(obj: O, key: KeyOf<O>): string | undefined | Unknown {
    const value = readString(obj, key);
    return typeof value === "string" ? value.trim().toUpperCase() : value;
}

/** A number property; numeric strings read as numbers. Absent, NaN or another type reads as undefined. */
export function readNumber<O>(obj: O, key: KeyOf<O>): number | undefined | Unknown {
    const value = field(obj, key);
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value === "string" && value.trim() !== "") {
        const n = Number(value.trim());
        return Number.isFinite(n) ? n : undefined;
    }
    return undefined;
}
