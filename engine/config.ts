// Policy config as the Pulumi engine prepares it before it calls Configure, reproduced faithfully:
// parse the file (each entry an enforcement level or an object), start from every policy's default
// level and schema defaults, apply the pack's initial config, then the user's (`all` first, then each
// policy), and validate each policy's properties against its schema. Mirrors the engine's
// `parsePolicyPackConfig` and `ReconcilePolicyPackConfig` (sdk/go/common/resource/plugin).
import Ajv, { ErrorObject } from "ajv";
import { endsEarly, jsonErrorOffset, JsonMember, lineAndColumn, memberNamed, objectMembers, tooDeepOffset } from "./json-text";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}
export type PolicyPackConfig = Record<string, PolicyConfigEntry>;

/** What reconciliation needs to know of a policy: what GetAnalyzerInfo reports. */
export interface PolicyInfo {
    name: string;
    enforcementLevel?: string;
    configSchema?: { properties?: Record<string, any>; required?: string[] };
}

export class PolicyConfigError extends Error {
    /**
     * `partial`: for errors in individual entries of a file that otherwise parsed, the entries that were valid,
     * so that `validate-config` can go on to check them and show every error of the file at once.
     */
    constructor(message: string, readonly details: string[] = [], readonly partial?: PolicyPackConfig) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/**
 * The deepest nesting accepted in a config file, the file's own object being level 1 and a policy's settings
 * level 2: real settings nest a few levels (`advisoryStackTags: {environment: ["dev"]}` is 4).
 */
export const MAX_CONFIG_DEPTH = 32;
/** The engine's rule for policy names: only a key of this shape is ever quoted back (anything else may be a secret). */
const POLICY_NAME = /^[a-zA-Z0-9_.-]{1,100}$/;
const EXPECTED = "a JSON object mapping policy names to an enforcement level " +
    `(${ENFORCEMENT_LEVELS.join(", ")}) or to an object of settings`;

function jsonTypeName(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "an array";
    }
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Errors about a config file's text: they say the file, where, and what was expected, and never quote the
 * content (a secrets file passed by mistake must not end up in a terminal or a CI log). Keys are quoted only
 * when they have a policy name's shape; a value never is.
 */
class ConfigText {
    private members: JsonMember[] | undefined;

    constructor(private readonly text: string, private readonly source: string) {}

    /** `"name"` for a key shaped like a policy name, else `entry #n`. */
    entryName(key: string, index: number): string {
        return POLICY_NAME.test(key) ? JSON.stringify(key) : `entry #${index + 1}`;
    }

    private topLevel(): JsonMember[] {
        this.members = this.members ?? objectMembers(this.text);
        return this.members;
    }

    /** `<source>, line L, column C` for an entry's value (or a member of it), or just `<source>`. */
    where(key: string, inner?: string): string {
        let member = memberNamed(this.topLevel(), key);
        if (member && inner !== undefined) {
            member = memberNamed(objectMembers(this.text, member.valueStart), inner);
        }
        return member ? `${this.source}, ${lineAndColumn(this.text, member.valueStart)}` : this.source;
    }

    syntaxError(): PolicyConfigError {
        const offset = jsonErrorOffset(this.text);
        if (offset >= 0 && endsEarly(this.text, offset)) {
            return new PolicyConfigError(`${this.source} is not valid JSON: it ends early; expected ${EXPECTED}`);
        }
        const at = offset >= 0 ? ` at ${lineAndColumn(this.text, offset)}` : "";
        return new PolicyConfigError(`${this.source} is not valid JSON${at}; expected ${EXPECTED}`);
    }

    /** The too-deep error, if the (valid) text nests deeper than MAX_CONFIG_DEPTH. */
    depthError(): PolicyConfigError | undefined {
        const offset = tooDeepOffset(this.text, MAX_CONFIG_DEPTH);
        if (offset < 0) {
            return undefined;
        }
        const members = this.topLevel();
        const index = members.findIndex(m => m.valueStart <= offset && offset < m.valueEnd);
        const what = index >= 0 ? `the settings of ${this.entryName(members[index].key, index)} are` : "the file is";
        return new PolicyConfigError(`${this.source}, ${lineAndColumn(this.text, offset)}: ${what} too deeply nested ` +
            `(more than ${MAX_CONFIG_DEPTH} levels); policy settings nest a few levels at most`);
    }
}

/** Parses a policy config file's text the way `--policy-pack-config` does. */
export function parsePolicyPackConfig(text: string, source = "policy config"): PolicyPackConfig {
    if (text.trim() === "") {
        return {};
    }
    const file = new ConfigText(text, source);
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // V8's message quotes the text around the error: never print it.
        throw file.syntaxError();
    }
    const tooDeep = file.depthError();
    if (tooDeep) {
        throw tooDeep;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new PolicyConfigError(`${source} must be ${EXPECTED}, not ${jsonTypeName(parsed)}`);
    }
    const result: PolicyPackConfig = {};
    const levels = `expected one of ${ENFORCEMENT_LEVELS.join(", ")}`;
    // Each entry is checked on its own; a bad one is left out and reported with the others at the end.
    const entryErrors: string[] = [];
    Object.entries(parsed as Record<string, unknown>).forEach(([policy, value], index) => {
      try {
        const name = file.entryName(policy, index);
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                throw new PolicyConfigError(`${file.where(policy)}: the value of ${name} is not a valid enforcement level; ${levels}`);
            }
            result[policy] = { enforcementLevel: value };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                throw new PolicyConfigError(`${file.where(policy, "enforcementLevel")}: the enforcementLevel of ${name} ` +
                    `is not a valid enforcement level; ${levels}`);
            }
            const entry: PolicyConfigEntry = {};
            if (enforcementLevel !== undefined) {
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
            // The engine drops empty entries.
            if (entry.enforcementLevel || entry.properties) {
                result[policy] = entry;
            }
        } else {
            throw new PolicyConfigError(`${file.where(policy)}: the value of ${name} is ${jsonTypeName(value)}; ` +
                "expected an enforcement level or an object of settings");
        }
      } catch (e) {
        if (!(e instanceof PolicyConfigError)) {
            throw e;
        }
        entryErrors.push(e.message);
      }
    });
    if (entryErrors.length > 0) {
        throw new PolicyConfigError(entryErrors[0], entryErrors, result);
    }
    return result;
}

function applyConfig(result: PolicyPackConfig, toApply: PolicyPackConfig | undefined): void {
    if (!toApply) {
        return;
    }
    const all = toApply["all"];
    if (all && all.enforcementLevel) {
        for (const name of Object.keys(result)) {
            result[name] = { ...result[name], enforcementLevel: all.enforcementLevel };
        }
    }
    // Every entry, "all" and names that are not policies of the pack included: the engine keeps them all
    // and sends them in Configure (the SDK ignores names it does not know).
    for (const [name, given] of Object.entries(toApply)) {
        const current = result[name] ?? {};
        result[name] = {
            enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
            properties: given.properties ? { ...(current.properties ?? {}), ...given.properties } : current.properties,
        };
    }
}

let ajv: Ajv | undefined;
const validators = new WeakMap<object, ReturnType<Ajv["compile"]>>();

function validatorFor(schema: NonNullable<PolicyInfo["configSchema"]>) {
    let validate = validators.get(schema);
    if (!validate) {
        // The engine validates with gojsonschema: plain JSON Schema, all errors, no coercion.
        ajv = ajv ?? new Ajv({ allErrors: true, strict: false, useDefaults: false, verbose: true });
        validate = ajv.compile({ type: "object", properties: schema.properties ?? {}, required: schema.required });
        validators.set(schema, validate);
    }
    return validate;
}

/** gojsonschema's name for a JSON value's type ("integer" for whole numbers). */
function jsonType(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    if (typeof value === "number") {
        return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
}

/**
 * One schema error worded as the engine's validator (gojsonschema, default locale) words it:
 * `<field>: <description>`, the field a dotted path, `(root)` dropped.
 */
function describeError(error: ErrorObject): string {
    const field = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
    const params = error.params as Record<string, any>;
    const at = (description: string) => (field ? `${field}: ${description}` : description);
    switch (error.keyword) {
        case "required":
            return `${params.missingProperty} is required`;
        case "additionalProperties":
            return at(`Additional property ${params.additionalProperty} is not allowed`);
        case "type":
            return at(`Invalid type. Expected: ${params.type}, given: ${jsonType(error.data)}`);
        case "enum":
            return at(`${field || "(root)"} must be one of the following: ${params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(", ")}`);
        case "minimum":
            return at(`Must be greater than or equal to ${params.limit}`);
        case "maximum":
            return at(`Must be less than or equal to ${params.limit}`);
        case "minLength":
            return at(`String length must be greater than or equal to ${params.limit}`);
        case "maxLength":
            return at(`String length must be less than or equal to ${params.limit}`);
        case "minItems":
            return at(`Array must have at least ${params.limit} items`);
        case "maxItems":
            return at(`Array must have at most ${params.limit} items`);
        case "pattern":
            return at(`Does not match pattern '${params.pattern}'`);
        default:
            return at(error.message ?? error.keyword);
    }
}

/** Schema errors for every policy, prefixed with the policy name, as the engine words them. */
export function validatePolicyPackConfig(policies: PolicyInfo[], config: PolicyPackConfig): string[] {
    const errors: string[] = [];
    for (const policy of policies) {
        if (!policy.configSchema) {
            continue;
        }
        const validate = validatorFor(policy.configSchema);
        if (!validate(config[policy.name]?.properties ?? {})) {
            // The engine lists a policy's errors in sorted order.
            const described = (validate.errors ?? []).map(describeError).sort();
            for (const error of described) {
                errors.push(`${policy.name}: ${error}`);
            }
        }
    }
    return errors;
}

/** Defaults, then the pack's initial config, then the user's, as the engine merges them; not validated. */
export function mergePolicyPackConfig(
    policies: PolicyInfo[],
    initialConfig: PolicyPackConfig | undefined,
    config: PolicyPackConfig | undefined,
): PolicyPackConfig {
    const result: PolicyPackConfig = {};
    for (const policy of policies) {
        let properties: Record<string, unknown> | undefined;
        if (policy.configSchema) {
            properties = {};
            for (const [key, property] of Object.entries(policy.configSchema.properties ?? {})) {
                if (property && property.default !== undefined) {
                    properties[key] = structuredClone(property.default);
                }
            }
        }
        result[policy.name] = {
            enforcementLevel: isEnforcementLevel(policy.enforcementLevel) ? policy.enforcementLevel : "advisory",
            properties,
        };
    }
    applyConfig(result, initialConfig);
    applyConfig(result, config);
    return result;
}

/**
 * The config the engine sends in Configure: defaults, then the pack's initial config, then the user's.
 * Throws PolicyConfigError with every schema error when the result does not validate.
 */
export function reconcilePolicyPackConfig(
    policies: PolicyInfo[],
    initialConfig: PolicyPackConfig | undefined,
    config: PolicyPackConfig | undefined,
): PolicyPackConfig {
    const result = mergePolicyPackConfig(policies, initialConfig, config);
    const errors = validatePolicyPackConfig(policies, result);
    if (errors.length > 0) {
        throw new PolicyConfigError(`validating policy config: ${errors.join("; ")}`, errors);
    }
    // The engine's Configure refuses an entry without an enforcement level (`invalid enforcement level ""`):
    // settings, but no enforcementLevel, under "all" or a name that is not a policy of the pack.
    for (const [name, entry] of Object.entries(result)) {
        if (!isEnforcementLevel(entry.enforcementLevel)) {
            const detail = `${name}: settings without an enforcementLevel, and ` +
                (name === "all" ? "\"all\" sets only the enforcement level" : "no policy of the pack has this name") +
                `; the engine refuses it (invalid enforcement level "")`;
            throw new PolicyConfigError(`configuring policy pack: ${detail}`, [detail]);
        }
    }
    return result;
}
