// The configuration every policy shares: the common settings (`exclude`, `exemptions`, `advisoryStackTags`, ...)
// and their schema, schema defaults, unknown-setting errors ("did you mean"), and the cached reader that turns
// the engine's raw config into what a policy sees, with its errors. policy.ts builds the policies on it.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { shown } from "./display";
import { DEFAULT_EXEMPTION_WARNING_DAYS, DEFAULT_MAXIMUM_EXEMPTION_DAYS, Exemption, exemptionErrors, utcToday } from "./exemptions";

/** Settings every policy accepts besides its own. */
export interface CommonConfig {
    /** Resource names or URN globs (`*`) the policy skips: the documented exceptions. */
    exclude: string[];
    /** Stack tag name to values; a stack whose tags match gets advisory instead of mandatory findings. */
    advisoryStackTags: Record<string, string[]>;
    /** Exceptions with a reason and an expiry (policies/lib/exemptions.ts). */
    exemptions?: Exemption[];
    /** How far ahead an exemption may expire, in days. */
    maximumExemptionDays?: number;
    /** Days before its expiry an exemption gets an advisory notice. */
    exemptionWarningDays?: number;
}

export const commonConfigSchema: PolicyConfigSchema["properties"] = {
    exclude: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Resource names or URN globs (`*` matches any run of characters) this policy skips, " +
            "for an exception the security team has granted. Entries starting with `urn:` match the URN.",
    },
    advisoryStackTags: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" } },
        default: {},
        description: "Stack tag name to a list of values. When a stack carries one of these tag values, this " +
            "policy reports advisory instead of mandatory. Empty by default, so a stack owner cannot downgrade " +
            "production by tagging it; an administrator turns it on.",
    },
    exemptions: {
        type: "array",
        items: {
            type: "object",
            properties: {
                resources: { type: "array", items: { type: "string" } },
                reason: { type: "string" },
                expires: { type: "string" },
            },
        },
        default: [],
        description: "Exceptions with a reason and an expiry: a list of `{\"resources\": [<name or URN glob>], " +
            "\"reason\": \"<why, and the ticket>\", \"expires\": \"YYYY-MM-DD\"}`. Until `expires` (UTC) the " +
            "resources are reported not applicable with the reason (within exemptionWarningDays, with an advisory " +
            "notice); on and after it, the violation comes back at its level, saying the exemption expired. " +
            "`reason` and `expires` are required; `expires` at most maximumExemptionDays ahead.",
    },
    maximumExemptionDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MAXIMUM_EXEMPTION_DAYS,
        description: "The furthest ahead (in days from today) an exemption may expire; a later `expires` is a config error.",
    },
    exemptionWarningDays: {
        type: "integer",
        minimum: 0,
        default: DEFAULT_EXEMPTION_WARNING_DAYS,
        description: "Days before its expiry an exemption gets an advisory notice that it is about to expire.",
    },
};

/** The UTC calendar date the policies judge exemptions on. */
export function today(): string {
    return utcToday();
}

export function fullSchema(own: PolicyConfigSchema | undefined): PolicyConfigSchema {
    return {
        properties: { ...(own?.properties ?? {}), ...commonConfigSchema },
        ...(own?.required ? { required: own.required } : {}),
    };
}

function schemaDefaults(schema: PolicyConfigSchema): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
        if ((property as { default?: unknown }).default !== undefined) {
            defaults[key] = (property as { default?: unknown }).default;
        }
    }
    return defaults;
}

/** Edit distance of two short strings (settings names), for "did you mean". */
function distance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

/** Unknown settings shown in one error before the rest are counted. */
const MAX_UNKNOWN_SHOWN = 3;

/**
 * Settings the policy does not have: a misspelled one would otherwise leave its default silently in force.
 * The engine cannot refuse them itself: the SDK sends only a schema's `properties` and `required` in
 * GetAnalyzerInfo, and the engine validates `{type: object, properties, required}`, so `additionalProperties`
 * never reaches it (README "Config mistakes").
 */
function unknownSettings(raw: object, known: readonly string[]): string[] {
    const unknown = Object.keys(raw).filter(k => !known.includes(k));
    const described = unknown.slice(0, MAX_UNKNOWN_SHOWN).map(key => {
        const near = key.length <= 100
            ? known.find(k => k.toLowerCase() === key.toLowerCase()) ??
              known.map(k => ({ k, d: distance(k.toLowerCase(), key.toLowerCase()) })).filter(c => c.d <= 3).sort((x, y) => x.d - y.d)[0]?.k
            : undefined;
        return `${JSON.stringify(shown(key))} is not a setting of this policy${near ? ` (did you mean ${near}?)` : ""}`;
    });
    if (unknown.length === 0) {
        return [];
    }
    const more = unknown.length > MAX_UNKNOWN_SHOWN ? `, and ${unknown.length - MAX_UNKNOWN_SHOWN} more unknown settings` : "";
    return [`${described.join("; ")}${more}; its settings are ${known.join(", ")}`];
}

/** Config as the policy sees it: the engine fills schema defaults; fill them here too for older engines. */
export function makeConfigReader<C>(schema: PolicyConfigSchema, validate?: (config: C & CommonConfig) => string[]) {
    const defaults = schemaDefaults(schema);
    const known = Object.keys(schema.properties);
    let lastKey: string | undefined;
    let lastValue: { config: C & CommonConfig; errors: string[] } | undefined;
    return (raw: object): { config: C & CommonConfig; errors: string[] } => {
        // The day is part of the key: an exemption's distance to its expiry changes at midnight.
        const day = today();
        const key = `${day}\n${JSON.stringify(raw)}`;
        if (key !== lastKey || !lastValue) {
            const config = { ...defaults, ...raw } as C & CommonConfig;
            let errors: string[] = unknownSettings(raw, known);
            try {
                errors = [...errors, ...exemptionErrors(config.exemptions, day, config.maximumExemptionDays)];
                errors = [...errors, ...(validate ? validate(config) : [])];
            } catch (e) {
                errors.push(`the policy config could not be checked (${errorName(e)})`);
            }
            lastKey = key;
            lastValue = { config, errors };
        }
        return lastValue;
    };
}

export function errorName(e: unknown): string {
    return e instanceof Error ? e.name : typeof e;
}
