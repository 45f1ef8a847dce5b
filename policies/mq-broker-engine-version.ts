import { Engine, engineOf } from "./lib/broker";
import { shown } from "./lib/display";
import { brokerPolicy } from "./lib/policy";
import { field, isPlainObject, readString, UNKNOWN } from "./lib/values";
import {
    compareVersions,
    EngineVersion,
    engineFromKey,
    formatVersion,
    isOffered,
    MAJOR_MINOR_ONLY_FROM,
    OFFERED_VERSIONS,
    OFFERED_VERSIONS_READ,
    parseVersion,
    SUPPORTED_MINIMUM_VERSIONS,
    takesMajorMinorOnly,
} from "./lib/versions";

interface EngineVersionConfig {
    /** Oldest accepted engineVersion per engine, keys read case-insensitively (`ActiveMQ`, `rabbitmq`). */
    minimumVersions: Record<string, string>;
    /** The `major.minor` lines Amazon MQ has offered per engine; an engine left out keeps the pack's table. */
    offeredVersions: Record<string, string[]>;
}

/** The pack's table of offered lines, as config: `{ ActiveMQ: ["5.15", ...], RabbitMQ: [...] }`. */
const DEFAULT_OFFERED: Record<string, string[]> = {
    ActiveMQ: OFFERED_VERSIONS.ActiveMQ.map(l => l.version),
    RabbitMQ: OFFERED_VERSIONS.RabbitMQ.map(l => l.version),
};

/** The configured lines for an engine (keys case-insensitive), or the pack's table. */
function offeredFor(engine: Engine, configured: unknown): string[] {
    if (isPlainObject(configured)) {
        for (const [key, value] of Object.entries(configured)) {
            if (engineFromKey(key) === engine && Array.isArray(value)) {
                return value.filter((v): v is string => typeof v === "string");
            }
        }
    }
    return DEFAULT_OFFERED[engine];
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
                    "pack's default, taken from the Amazon MQ version support calendars as read on 2026-11-27 and " +
                    "re-read on 2026-12-03 (unchanged): ActiveMQ 5.18, RabbitMQ 3.13.",
            },
            offeredVersions: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string", pattern: "^[0-9]{1,4}\\.[0-9]{1,4}$" } },
                default: DEFAULT_OFFERED,
                description: "The major.minor engine lines Amazon MQ has offered, per engine (names read case-insensitively); " +
                    "an engineVersion on any other line (a typo such as 5.81, or a line AWS never offered) is flagged at " +
                    `preview instead of failing at deploy. Defaults to the Amazon MQ version calendars as read on ${OFFERED_VERSIONS_READ}: ` +
                    `ActiveMQ ${DEFAULT_OFFERED.ActiveMQ.join(", ")}; RabbitMQ ${DEFAULT_OFFERED.RabbitMQ.join(", ")}. ` +
                    "An engine given here replaces the pack's list for that engine: add a line when AWS launches one.",
            },
        },
    },
    remediationSteps: "Set engineVersion to a supported `major.minor` version (ActiveMQ 5.18 or 5.19, RabbitMQ 3.13 " +
        "or 4.2) with autoMinorVersionUpgrade: true; from ActiveMQ 5.18 and RabbitMQ 3.13 on, Amazon MQ manages the " +
        "patch level and refuses a `major.minor.patch` version. Upgrades happen in place in the maintenance window; " +
        "RabbitMQ cannot skip a minor version (3.11 to 3.12 to 3.13)." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    engineType: \"ActiveMQ\",\n" +
        "    engineVersion: \"5.18\", // RabbitMQ: \"3.13\" or \"4.2\"\n" +
        "    autoMinorVersionUpgrade: true,\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-brokers.html",
    tags: ["Checkov CKV_AWS_208"],
    validateConfig: config => {
        const errors: string[] = [];
        const minimums = config.minimumVersions;
        if (!isPlainObject(minimums)) {
            return errors;
        }
        const offered = config.offeredVersions;
        if (isPlainObject(offered)) {
            for (const key of Object.keys(offered)) {
                if (!engineFromKey(key)) {
                    errors.push(`offeredVersions names an unknown engine ${JSON.stringify(key).slice(0, 60)}; use ActiveMQ or RabbitMQ`);
                }
            }
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
            // Absent: @pulumi/aws requires engineVersion (`engineVersion: pulumi.Input<string>` in BrokerArgs,
            // @pulumi/aws 7.48.0 mq/broker.d.ts; `Required: true` in terraform-provider-aws
            // https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go; both read
            // 2026-12-03) and rejects the program before any deployment. aws-native makes it optional, and then AWS
            // picks: "Defaults to the latest available version for the specified broker engine type" (CreateBroker,
            // https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-broker-request/engine-version.html,
            // read 2026-12-03), a supported version. Either way there is nothing to judge.
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
        // First a version Amazon MQ never offered (a typo fails here at preview, not at deploy), then its age.
        const offered = offeredFor(engine, config.offeredVersions);
        if (!isOffered(version, offered)) {
            const lines = offered.length > 12 ? `${offered.slice(0, 12).map(l => shown(l, 12)).join(", ")} and ${offered.length - 12} more`
                : offered.map(l => shown(l, 12)).join(", ");
            return [`${described(text)} is not an ${engine} version Amazon MQ has offered (${lines}; ` +
                `offeredVersions, from the Amazon MQ version calendar as read on ${OFFERED_VERSIONS_READ}); check it for a typo ` +
                `and set a supported major.minor such as "${DEFAULT_OFFERED[engine][DEFAULT_OFFERED[engine].length - 1]}"`];
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
