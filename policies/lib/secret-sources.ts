// Where a broker password may come from: the resource types that generate or store a secret, and the
// stack's configuration (as the pack receives it in PULUMI_CONFIG). Policies cannot see whether a value
// was marked secret (the SDK unwraps secrets before a policy sees them), so a source is judged by what
// produced the value, never by how it was flagged.
// The policy SDK's own source says so: "Policies interact with raw JSON representations of resource definitions,
// so things like secrets must be 'fully unpacked' into plain-old-JSON" (@pulumi/policy 1.21.0 deserialize.js,
// deserializeProperty; https://github.com/pulumi/pulumi-policy/blob/master/sdk/nodejs/policy/deserialize.ts, read
// 2026-12-03 in the installed package). No Pulumi documentation page states it.
import type { PolicyResource } from "@pulumi/policy";
import { judgedAs, NATIVE_TYPES } from "./aws-native";
import { propsOf } from "./policy";
import { isPlainObject, readBlock, readEnum, readString, UNKNOWN } from "./values";

export const RANDOM_PASSWORD_TYPE = "random:index/randomPassword:RandomPassword";
export const SECRET_VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";
export const SSM_PARAMETER_TYPE = "aws:ssm/parameter:Parameter";

/** The resource types that count as a secret source unless a policy's config adds more. */
export const DEFAULT_SECRET_SOURCE_TYPES: readonly string[] = [
    RANDOM_PASSWORD_TYPE,
    SECRET_VERSION_TYPE,
    SSM_PARAMETER_TYPE,
];

/** aws-native's Secrets Manager secret, judged as a SecretVersion (it holds the value itself). */
export const NATIVE_SECRET_TYPE = NATIVE_TYPES.secret;

/**
 * Whether an aws-native secret holds a value: generateSecretString (Secrets Manager generates it) or a non-empty
 * secretString, either of them unknown (preview) included. "If you omit both GenerateSecretString and
 * SecretString, you create an empty secret"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html,
 * read 2026-12-03 as quoted in @pulumi/aws-native 1.79.0 secretsmanager/secret.d.ts): an empty secret is no source.
 */
function holdsValue(secret: PolicyResource): boolean {
    const props = propsOf(secret);
    const generated = readBlock(props, "generateSecretString");
    const value = readString(props, "secretString");
    return generated !== undefined || value === UNKNOWN || (typeof value === "string" && value !== "");
}

/**
 * Whether a stack resource is a secret source: its type (or the aws type it is judged as: an aws-native
 * secret as a SecretVersion) is one of `types`; an SSM parameter is of type SecureString (a String or
 * StringList parameter stores the value in plain text); an aws-native secret is not empty. A parameter whose
 * type is not known yet (preview) is given the benefit of the doubt.
 * Parameter Store "provides support for three types of parameters: String, StringList, and SecureString"; a
 * String's value "consists of any block of text you enter" (Parameter Store reference,
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/what-is-a-parameter.html, read 2026-12-03); for
 * SecureString "Parameter Store uses an AWS Key Management Service (KMS) customer master key (CMK) to encrypt the
 * parameter value" (AWS CDK ParameterType, https://docs.aws.amazon.com/cdk/api/v1/docs/@aws-cdk_aws-ssm.ParameterType.html,
 * read 2026-12-03). Only SecureString is encrypted, so only it is a secret source.
 */
export function isSecretSource(resource: PolicyResource, types: ReadonlySet<string>): boolean {
    if (!types.has(resource.type) && !types.has(judgedAs(resource.type))) {
        return false;
    }
    if (resource.type === SSM_PARAMETER_TYPE) {
        const type = readEnum(propsOf(resource), "type");
        return type === UNKNOWN || type === "SECURESTRING";
    }
    if (resource.type === NATIVE_SECRET_TYPE) {
        return holdsValue(resource);
    }
    return true;
}

/** Why a resource of a secret source type is not one (for a message), or undefined. */
export function whyNotSecretSource(resource: PolicyResource, types: ReadonlySet<string>): string | undefined {
    if (!types.has(resource.type) && !types.has(judgedAs(resource.type))) {
        return undefined;
    }
    if (resource.type === SSM_PARAMETER_TYPE && !isSecretSource(resource, types)) {
        return "not SecureString";
    }
    if (resource.type === NATIVE_SECRET_TYPE && !holdsValue(resource)) {
        return "empty";
    }
    return undefined;
}

/**
 * The accepted secret sources, for a message: the types, and what a type needs where it needs more. aws-native's
 * secret is listed where it is relevant (`native`: an aws-native broker, or one fed by an aws-native secret), so
 * an aws-only message stays as it was.
 */
export function acceptedSources(types: ReadonlySet<string>, native: boolean): string {
    const listed = [...types];
    const nativeListed = native && (types.has(NATIVE_SECRET_TYPE) || types.has(SECRET_VERSION_TYPE));
    if (nativeListed && !types.has(NATIVE_SECRET_TYPE)) {
        listed.push(NATIVE_SECRET_TYPE);
    }
    return `${listed.join(", ")}; an SSM parameter only as type SecureString` +
        (nativeListed ? ", an aws-native secret only with generateSecretString or secretString" : "");
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
 * as a string; structured values are JSON text, whose string leaves count too). Source: @pulumi/pulumi 3.248.0
 * runtime/config.js, "The environment variable key that the language plugin uses to set configuration"
 * (`configEnvKey = "PULUMI_CONFIG"`, parsed as JSON;
 * https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/runtime/config.ts, read 2026-12-03 in the installed
 * package). That the policy analyzer sets it for a policy pack, and the value shapes, are observed behaviour
 * (tests/real-cli), not documented. Parsed on first use and
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
