// Property values, from their state encoding (what `pulumi stack export` writes) to the engine's encoding
// (what it sends an analyzer): plaintext secrets decoded into secrets with their value, encrypted ones into a
// secret whose value is unknown (a policy neither sees it nor reports from it), output values unwrapped,
// resource references sent as their ID or URN, signatures this reader does not know sent as unknowns.
//
// Along the way it records what the CLI needs to keep its output safe and whole: every string found inside a
// secret (to redact it wherever it surfaces), and the first value the policy SDK would refuse to decode (an
// asset or archive with only its hash), which would otherwise abort the pack's whole Analyze or AnalyzeStack.
import { SECRET_SIG, SIG_KEY, secret, unknown } from "./properties";
import { StateFileError } from "./state-file";

/** Signatures of the Pulumi property encoding besides secrets (`resource.*Sig`). */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Deeper property values than this are refused rather than risking the stack (real ones nest < 30). */
const MAX_DEPTH = 256;
/** The longest property path a note quotes (keys come from the stack: bounded like any other input). */
const MAX_PATH_IN_NOTE = 150;
const UNKNOWNS = new Set<unknown>(Object.values(unknown));

export interface DecodeContext {
    urn: string;
    /** Secrets met: encrypted ones cannot be judged, plaintext ones were decoded. */
    secrets: { encrypted: number; plaintext: number };
    /** Every non-empty string found inside a secret. */
    secretValues: Set<string>;
    /** Why the policy SDK could not decode this resource's properties (the first reason found). */
    undecodable?: string;
    /** `inputs` or `outputs`: what is being decoded (set by decodeProperties). */
    part?: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `path.key`, or `path["key"]` when the key is not an identifier. */
function member(path: string, key: string): string {
    if (/^[A-Za-z_$][\w$-]*$/.test(key)) {
        return path ? `${path}.${key}` : key;
    }
    return `${path}[${JSON.stringify(key)}]`;
}

/** Sets a member, `__proto__` included (an ordinary key in JSON; plain assignment would set the prototype). */
function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
    if (key === "__proto__") {
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
        target[key] = value;
    }
}

/** Adds every string inside a decoded value (not signatures, not unknown sentinels) to the set. Iterative. */
function collectStrings(value: unknown, into: Set<string>): void {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const v = pending.pop();
        if (typeof v === "string") {
            if (v !== "" && !UNKNOWNS.has(v)) {
                into.add(v);
            }
        } else if (Array.isArray(v)) {
            pending.push(...v);
        } else if (isObject(v)) {
            for (const key of Object.keys(v)) {
                if (key !== SIG_KEY) {
                    pending.push(v[key]);
                }
            }
        }
    }
}

function notDecodable(path: string, what: string): string {
    const shown = path.length > MAX_PATH_IN_NOTE ? `${path.slice(0, MAX_PATH_IN_NOTE)}...` : path;
    return `${shown} ${what}; the policy SDK cannot decode it, so this resource is not judged`;
}

/**
 * Why @pulumi/policy's deserializeProperty would throw on an asset or archive, or undefined when it decodes
 * it: an asset needs a path, text or uri, an archive assets, a path or a uri (each truthy, as the SDK tests
 * them), and an archive's assets must each be an asset or an archive itself.
 */
function sdkRefusal(value: Record<string, unknown>, path: string): string | undefined {
    if (value[SIG_KEY] === ASSET_SIG) {
        return value.path || value.text || value.uri ? undefined :
            notDecodable(path, "is an asset with only its hash (no path, text or uri)");
    }
    if (value.assets) {
        const assets = value.assets;
        if (typeof assets !== "object" && typeof assets !== "string") {
            return undefined; // Object.keys(5) is empty: an empty archive
        }
        const entries = assets as Record<string, unknown>;
        for (const key of Object.keys(entries)) {
            const entry = entries[key];
            const at = member(`${path}.assets`, key);
            if (!isObject(entry) || (entry[SIG_KEY] !== ASSET_SIG && entry[SIG_KEY] !== ARCHIVE_SIG)) {
                return notDecodable(at, "is not an asset or archive, inside an archive's assets");
            }
            const refusal = sdkRefusal(entry, at);
            if (refusal) {
                return refusal;
            }
        }
        return undefined;
    }
    return value.path || value.uri ? undefined : notDecodable(path, "is an archive with only its hash (no path, uri or assets)");
}

/** A property value in the engine's encoding (what it sends an analyzer), from its state encoding. */
function decodeValue(value: unknown, context: DecodeContext, path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) {
        throw new StateFileError(`resource ${context.urn}: property ${path} nests deeper than ${MAX_DEPTH} levels; ` +
            "the export is damaged or not a Pulumi stack export");
    }
    if (Array.isArray(value)) {
        // Shared, not copied, when nothing inside changes (most values): the parsed export is not used
        // otherwise, and a copy of every value doubled the memory a large stack takes.
        let result: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const v = value[i];
            const decoded = typeof v === "object" && v !== null ? decodeValue(v, context, `${path}[${i}]`, depth + 1) : v;
            if (decoded !== v && result === undefined) {
                result = value.slice(0, i);
            }
            if (result !== undefined) {
                result.push(decoded);
            }
        }
        return result ?? value;
    }
    if (!isObject(value)) {
        return value;
    }
    const sig = value[SIG_KEY];
    if (sig === undefined) {
        let result: Record<string, unknown> | undefined;
        const keys = Object.keys(value);
        for (let k = 0; k < keys.length; k++) {
            const key = keys[k];
            const v = value[key];
            const decoded = typeof v === "object" && v !== null ? decodeValue(v, context, member(path, key), depth + 1) : v;
            if (decoded !== v && result === undefined) {
                result = {};
                for (let j = 0; j < k; j++) {
                    defineMember(result, keys[j], value[keys[j]]);
                }
            }
            if (result !== undefined) {
                defineMember(result, key, decoded);
            }
        }
        return result ?? value;
    }
    switch (sig) {
        case SECRET_SIG: {
            if (typeof value.plaintext === "string") {
                context.secrets.plaintext++;
                let plain: unknown;
                try {
                    plain = JSON.parse(value.plaintext);
                } catch {
                    throw new StateFileError(`resource ${context.urn}: the plaintext secret at ${path} is not ` +
                        "valid JSON; export the stack again");
                }
                const decoded = decodeValue(plain, context, path, depth + 1);
                collectStrings(decoded, context.secretValues);
                return secret(decoded);
            }
            if ("value" in value) {
                // Already in wire form (a hand-written file): keep it a secret.
                context.secrets.plaintext++;
                const decoded = decodeValue(value.value, context, path, depth + 1);
                collectStrings(decoded, context.secretValues);
                return secret(decoded);
            }
            // Encrypted (`ciphertext`): the value cannot be known here, so it must not be judged.
            context.secrets.encrypted++;
            return secret(unknown.string);
        }
        case OUTPUT_VALUE_SIG: {
            const inner = "value" in value ? decodeValue(value.value, context, path, depth + 1) : unknown.string;
            if (value.secret === true) {
                collectStrings(inner, context.secretValues);
                return secret(inner);
            }
            return inner;
        }
        case RESOURCE_REFERENCE_SIG:
            // Without KeepResources the engine sends a reference as its ID (custom) or URN (component).
            return typeof value.id === "string" && value.id !== "" ? value.id : value.urn;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            context.undecodable = context.undecodable ??
                sdkRefusal(value, `${context.part ?? ""}${path.startsWith("[") ? "" : "."}${path}`);
            return value;
        default:
            // A signature this reader does not know: an unknown value, never a false finding.
            return unknown.string;
    }
}

/** A resource's `inputs` or `outputs` (`what`), decoded; `{}` when absent. */
export function decodeProperties(props: unknown, context: DecodeContext, what: string): Record<string, unknown> {
    if (props === undefined || props === null) {
        return {};
    }
    if (!isObject(props)) {
        throw new StateFileError(`resource ${context.urn}: \`${what}\` is not an object; the export is damaged`);
    }
    context.part = what;
    return decodeValue(props, context, "", 0) as Record<string, unknown>;
}
