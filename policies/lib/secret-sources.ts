// Where a broker password may come from: the resource types that generate or store a secret, and the
// stack's configuration (as the pack receives it in PULUMI_CONFIG). Policies cannot see whether a value
// was marked secret (the SDK unwraps secrets before a policy sees them), so a source is judged by what
// produced the value, never by how it was flagged.
import type { PolicyResource } from "@pulumi/policy";
import { judgedAs } from "./aws-native";
import { propsOf } from "./policy";
import { isPlainObject, readEnum, UNKNOWN } from "./values";

export const RANDOM_PASSWORD_TYPE = "random:index/randomPassword:RandomPassword";
export const SECRET_VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";
export const SSM_PARAMETER_TYPE = "aws:ssm/parameter:Parameter";

/** The resource types that count as a secret source unless a policy's config adds more. */
export const DEFAULT_SECRET_SOURCE_TYPES: readonly string[] = [
    RANDOM_PASSWORD_TYPE,
    SECRET_VERSION_TYPE,
    SSM_PARAMETER_TYPE,
];

/**
 * Whether a stack resource is a secret source: its type is one of `types`, and an SSM parameter is of
 * type SecureString (a String or StringList parameter stores the value in plain text). A parameter whose
 * type is not known yet (preview) is given the benefit of the doubt.
 */
export function isSecretSource(resource: PolicyResource, types: ReadonlySet<string>): boolean {
    if (!types.has(resource.type) && !types.has(judgedAs(resource.type))) {
        return false;
    }
    if (resource.type === SSM_PARAMETER_TYPE) {
        const type = readEnum(propsOf(resource), "type");
        return type === UNKNOWN || type === "SECURESTRING";
    }
    return true;
}

let parsedFrom: string | undefined;
let parsedValues: ReadonlySet<string> = new Set();

function collectStrings(value: unknown, into: Set<string>, depth: number): void {
    if (typeof value === "string") {
        if (value !== "") {
            into.add(value);
        }
    } else if (depth < 4 && Array.isArray(value)) {
        value.forEach(v => collectStrings(v, into, depth + 1));
    } else if (depth < 4 && isPlainObject(value)) {
        Object.values(value).forEach(v => collectStrings(v, into, depth + 1));
    }
}

/**
 * The values of the stack's configuration, from PULUMI_CONFIG (a JSON map of "project:key" to the value
 * as a string; structured values are JSON text, whose string leaves count too). Parsed on first use and
 * again only when the variable changes; malformed JSON or another shape reads as no values.
 */
export function stackConfigValues(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
    const raw = env.PULUMI_CONFIG ?? "";
    if (raw === parsedFrom) {
        return parsedValues;
    }
    const values = new Set<string>();
    try {
        const parsed: unknown = raw === "" ? {} : JSON.parse(raw);
        if (isPlainObject(parsed)) {
            for (const value of Object.values(parsed)) {
                collectStrings(value, values, 0);
                if (typeof value === "string" && (value.startsWith("{") || value.startsWith("["))) {
                    try {
                        collectStrings(JSON.parse(value), values, 1);
                    } catch {
                        // A plain string that merely starts with a bracket.
                    }
                }
            }
        }
    } catch {
        values.clear();
    }
    parsedFrom = raw;
    parsedValues = values;
    return values;
}
