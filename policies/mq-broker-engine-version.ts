import { Engine, engineOf } from "./lib/broker";
import { brokerPolicy } from "./lib/policy";
import { field, isPlainObject, readString, UNKNOWN } from "./lib/values";
import {
    compareVersions,
    EngineVersion,
    engineFromKey,
    formatVersion,
    MAJOR_MINOR_ONLY_FROM,
    parseVersion,
    SUPPORTED_MINIMUM_VERSIONS,
    takesMajorMinorOnly,
} from "./lib/versions";

interface EngineVersionConfig {
    /** Oldest accepted engineVersion per engine, keys read case-insensitively (`ActiveMQ`, `rabbitmq`). */
    minimumVersions: Record<string, string>;
}

export const mqBrokerEngineVersion = brokerPolicy<EngineVersionConfig>({
    name: "mq-broker-engine-version",
    description: "Amazon MQ brokers must run an engine version Amazon MQ still supports, written as Amazon MQ accepts it.",
    severity: "medium",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumVersions: {
                type: "object",
                additionalProperties: { type: "string" },
                default: { ...SUPPORTED_MINIMUM_VERSIONS },
                description: "The oldest engineVersion accepted for each engine, as `major.minor` or " +
                    "`major.minor.patch`; engine names are read case-insensitively. An engine left out keeps the " +
                    "pack's default, taken from the Amazon MQ version support calendar as read on 2026-11-27: " +
                    "ActiveMQ 5.18, RabbitMQ 3.13.",
            },
        },
    },
    remediationSteps: "Set engineVersion to a supported `major.minor` version (ActiveMQ 5.18 or 5.19, RabbitMQ 3.13 " +
        "or 4.2) with autoMinorVersionUpgrade: true; from ActiveMQ 5.18 and RabbitMQ 3.13 on, Amazon MQ manages the " +
        "patch level and refuses a `major.minor.patch` version. Upgrades happen in place in the maintenance window; " +
        "RabbitMQ cannot skip a minor version (3.11 to 3.12 to 3.13).",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-brokers.html",
    tags: ["Checkov CKV_AWS_208"],
    validateConfig: config => {
        const errors: string[] = [];
        const minimums = config.minimumVersions;
        if (!isPlainObject(minimums)) {
            return errors;
        }
        const seen = new Map<Engine, string>();
        for (const [key, value] of Object.entries(minimums)) {
            const engine = engineFromKey(key);
            if (!engine) {
                errors.push(`minimumVersions names an unknown engine ${JSON.stringify(key)}; use ActiveMQ or RabbitMQ`);
                continue;
            }
            if (seen.has(engine)) {
                errors.push(`minimumVersions gives ${engine} twice (${JSON.stringify(seen.get(engine))} and ` +
                    `${JSON.stringify(key)}); keep one`);
                continue;
            }
            seen.set(engine, key);
            if (typeof value !== "string" || !parseVersion(value)) {
                errors.push(`minimumVersions.${key} is ${JSON.stringify(value)}, not a version; write major.minor such as ` +
                    `"${SUPPORTED_MINIMUM_VERSIONS[engine]}"`);
            }
        }
        return errors;
    },
    check: (broker, { config }) => {
        const text = readString(broker, "engineVersion");
        if (text === UNKNOWN) {
            return [];
        }
        if (text === undefined) {
            if (field(broker, "engineVersion") !== undefined) {
                return ["engineVersion is not a string; set it to major.minor, such as \"5.18\" (ActiveMQ) or \"3.13\" (RabbitMQ)"];
            }
            // Absent: the provider requires engineVersion and rejects the program before any deployment
            // (and AWS itself would pick the latest, supported version), so there is nothing to judge.
            return [];
        }
        const version = parseVersion(text);
        if (!version) {
            return [`${described(text)} is not a version number; set major.minor, such as ` +
                "\"5.18\" (ActiveMQ) or \"3.13\" (RabbitMQ)"];
        }
        const engine = engineOf(broker);
        if (engine === UNKNOWN || engine === undefined) {
            // Which minimum applies depends on the engine; an unknown or unrecognized engine gives no finding.
            return [];
        }
        const minimum = minimumFor(engine, config.minimumVersions);
        if (compareVersions(version, minimum) < 0) {
            return [`${described(text)} is older than ${formatVersion(minimum)}, the oldest ${engine} ` +
                `version accepted (minimumVersions; Amazon MQ ends support for old versions and upgrades them itself); ` +
                `set engineVersion: "${formatVersion({ major: minimum.major, minor: minimum.minor })}" or later`];
        }
        if (version.patch !== undefined && takesMajorMinorOnly(engine, version)) {
            const majorMinor = formatVersion({ major: version.major, minor: version.minor });
            return [`${described(text)} names a patch version, which Amazon MQ rejects at deploy time ` +
                `for ${engine} ${formatVersion(MAJOR_MINOR_ONLY_FROM[engine])} and later; set engineVersion: "${majorMinor}" ` +
                "(major.minor only) with autoMinorVersionUpgrade: true, and Amazon MQ keeps the patch level current"];
        }
        return [];
    },
});

/** The configured minimum for an engine (keys case-insensitive), or the pack's default for it. */
function minimumFor(engine: Engine, configured: unknown): EngineVersion {
    if (isPlainObject(configured)) {
        for (const [key, value] of Object.entries(configured)) {
            const parsed = engineFromKey(key) === engine && typeof value === "string" ? parseVersion(value) : undefined;
            if (parsed) {
                return parsed;
            }
        }
    }
    return parseVersion(SUPPORTED_MINIMUM_VERSIONS[engine])!;
}

/** `engineVersion "5.17.6"`: the value as written when it is short and plain enough to quote. */
function described(text: string): string {
    return text.length <= 24 && /^[A-Za-z0-9._ -]*$/.test(text) ? `engineVersion ${JSON.stringify(text)}` : "engineVersion";
}
