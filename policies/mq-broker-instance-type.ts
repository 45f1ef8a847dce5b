import { Engine, engineOf } from "./lib/broker";
import { shown as bounded } from "./lib/display";
import {
    GRAVITON_FAMILY,
    instanceFamily,
    instanceTypeConcern,
    instanceTypeMatches,
    LEGACY_INSTANCE_TYPES,
    SUGGESTED_INSTANCE_TYPE,
    TEST_ONLY_INSTANCE_TYPES,
} from "./lib/instance-types";
import { brokerPolicy } from "./lib/policy";
import { readString, Unknown } from "./lib/values";
import { parseVersion } from "./lib/versions";

export interface InstanceTypeConfig {
    /** Instance types (or `*` patterns) a broker may use; empty means no allow-list. */
    allowedInstanceTypes: string[];
    /** Instance types (or `*` patterns) a broker must not use. */
    disallowedInstanceTypes: string[];
}

const DEFAULT_DISALLOWED = [...LEGACY_INSTANCE_TYPES, ...TEST_ONLY_INSTANCE_TYPES];

function stringsOf(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function suggestion(engine: Engine | undefined | Unknown): string {
    return typeof engine === "string"
        ? `${SUGGESTED_INSTANCE_TYPE[engine]} or larger`
        : `${SUGGESTED_INSTANCE_TYPE.ActiveMQ} or larger (ActiveMQ) or ${SUGGESTED_INSTANCE_TYPE.RabbitMQ} or larger (RabbitMQ)`;
}

/**
 * A type the engine cannot run on: creating (or updating) the broker fails. "mq.m7g.x instances are only available
 * for Amazon MQ for RabbitMQ brokers. Amazon MQ for ActiveMQ brokers only use mq.m5.x instances"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-instance-type.html, read 2026-12-03);
 * "RabbitMQ 4.2 is only supported on the mq.m7g instance type across all supported instance sizes"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-rabbitmq-v3-to-v4-inplace.html, read
 * 2026-12-03). The ActiveMQ instance-type table still lists mq.t2.micro, mq.t3.micro and mq.m4.large
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/activemq-broker-instance-types.html, read
 * 2026-12-03): "only mq.m5.x" is read as "not mq.m7g", the only family this rule rejects for ActiveMQ.
 */
function engineMismatch(broker: Record<string, unknown>, shown: string, engine: Engine | undefined | Unknown): string | undefined {
    const family = instanceFamily(shown);
    if (engine === "ActiveMQ" && family === GRAVITON_FAMILY) {
        return `hostInstanceType is ${bounded(shown)}, but ActiveMQ does not run on the mq.m7g family (RabbitMQ only), so AWS rejects ` +
            `the broker; set hostInstanceType to an mq.m5 type such as ${SUGGESTED_INSTANCE_TYPE.ActiveMQ}.`;
    }
    if (engine === "RabbitMQ" && family !== GRAVITON_FAMILY) {
        // engineVersion is required by @pulumi/aws (optional in aws-native: AWS then picks the latest version; see
        // mq-broker-engine-version.ts); absent, unknown or unparsable skips this rule only.
        const version = readString(broker, "engineVersion");
        if (typeof version === "string" && parseVersion(version)?.major === 4) {
            return `hostInstanceType is ${bounded(shown)}, but RabbitMQ ${bounded(version.trim())} (4.x) runs only on the mq.m7g family, so AWS ` +
                `rejects the broker; set hostInstanceType to an mq.m7g type such as ${SUGGESTED_INSTANCE_TYPE.RabbitMQ}.`;
        }
    }
    return undefined;
}

export const mqBrokerInstanceType = brokerPolicy<InstanceTypeConfig>({
    name: "mq-broker-instance-type",
    description: "Amazon MQ brokers use a current, production-grade instance type that their engine supports.",
    severity: "low",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            allowedInstanceTypes: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description: "Instance types a broker may use, compared case-insensitively; `*` matches any run of " +
                    "characters (`mq.m7g.*`). Empty (the default) means no allow-list: only disallowedInstanceTypes applies.",
            },
            disallowedInstanceTypes: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: DEFAULT_DISALLOWED,
                description: "Instance types a broker must not use, compared case-insensitively; `*` matches any run " +
                    "of characters. Defaults to the legacy mq.t2.micro and mq.m4.large and the test-only mq.t3.micro and " +
                    "mq.m7g.medium; set [] to allow them (in a development policy group, say).",
            },
        },
    },
    remediationSteps: "Set hostInstanceType to a current production size the engine supports: the mq.m5 family for " +
        "ActiveMQ (mq.m5.large or larger), the mq.m7g family for RabbitMQ (mq.m7g.large or larger; RabbitMQ 4.x runs only " +
        "on mq.m7g). An instance type change applies in place when the broker reboots; a broker cannot move down to mq.t3.micro." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    hostInstanceType: \"mq.m5.large\", // RabbitMQ: \"mq.m7g.large\"\n" +
        "};\n" +
        "```",
    // In place on reboot: "Reboot the broker using the RebootBroker API to apply the instance type change, or wait for
    // the next scheduled maintenance window" (upgrading-rabbitmq-v3-to-v4-inplace.html; the console steps in
    // upgrading-instance-type.html say the same), and terraform-provider-aws updates host_instance_type with
    // UpdateBroker, then reboots (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go).
    // "You cannot downgrade a broker from an mq.m5 or mq.m7g instance type to an mq.t3.micro instance type"
    // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-sizing-guidelines.html). All read 2026-12-03.
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-instance-type.html",
    // No Security Hub control, AWS Config rule, Checkov or Trivy check covers instance types; the tag says so. The
    // sizing guidelines: "Smaller broker instance types (mq.m7g.medium) are recommended only for testing application
    // performance" (upgrading-instance-type.html and
    // https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-sizing-guidelines.html, read 2026-12-03);
    // the legacy and test-only lists themselves are cited in lib/instance-types.ts.
    tags: ["Amazon MQ sizing guidelines (no Security Hub, AWS Config, Checkov or Trivy equivalent)"],
    validateConfig: config => {
        const errors: string[] = [];
        const allowed = stringsOf(config.allowedInstanceTypes);
        const disallowed = stringsOf(config.disallowedInstanceTypes);
        for (const [key, entries] of [["allowedInstanceTypes", allowed], ["disallowedInstanceTypes", disallowed]] as const) {
            for (const entry of entries) {
                // A type written without its `mq.` prefix (`m5.large`) would silently never match: an instance type is
                // "The combined description of the broker instance class (m7g) and size (large) ... (for example,
                // mq.m7g.large)" (upgrading-instance-type.html, read 2026-12-03).
                if (!entry.trim().toLowerCase().startsWith("mq.")) {
                    errors.push(`${key} entry ${JSON.stringify(entry)} is not an Amazon MQ instance type; write ` +
                        "mq.<family>.<size>, such as mq.m5.large or mq.m7g.*");
                }
            }
        }
        for (const entry of allowed) {
            if (entry.includes("*")) {
                continue;
            }
            const blocking = disallowed.find(pattern => instanceTypeMatches(pattern, entry));
            if (blocking !== undefined) {
                errors.push(`${JSON.stringify(entry)} is allowed by allowedInstanceTypes but disallowed by ` +
                    `disallowedInstanceTypes entry ${JSON.stringify(blocking)} (the default disallows ` +
                    `${DEFAULT_DISALLOWED.join(", ")}); remove it from one of the two lists`);
            }
        }
        return errors;
    },
    check: (broker, { config }) => {
        // hostInstanceType is required by the provider (`hostInstanceType: pulumi.Input<string>` in @pulumi/aws 7.48.0
        // BrokerArgs; "Required. The broker's instance type." in @pulumi/aws-native 1.79.0; both read 2026-12-03), so
        // absent (or a wrong type) gives no finding here:
        // the program fails before anything is deployed. Unknown during preview: nothing to judge.
        const value = readString(broker, "hostInstanceType");
        if (typeof value !== "string" || value.trim() === "") {
            return [];
        }
        const shown = value.trim();
        const engine = engineOf(broker);

        // One message for the one property, the most precise first: a type the engine cannot run on, then the
        // allow-list, then the disallow-list.
        const mismatch = engineMismatch(broker, shown, engine);
        if (mismatch) {
            return [mismatch];
        }
        const allowed = stringsOf(config.allowedInstanceTypes);
        if (allowed.length > 0 && !allowed.some(pattern => instanceTypeMatches(pattern, shown))) {
            return [`hostInstanceType is ${bounded(shown)}, which is not in allowedInstanceTypes (${allowed.join(", ")}); ` +
                "set hostInstanceType to one of those."];
        }
        const blocking = stringsOf(config.disallowedInstanceTypes).find(pattern => instanceTypeMatches(pattern, shown));
        if (blocking !== undefined) {
            const concern = instanceTypeConcern(shown);
            return [`hostInstanceType is ${bounded(shown)}, which disallowedInstanceTypes excludes` +
                (concern ? ` (${concern})` : ` (entry ${blocking})`) +
                `; set hostInstanceType to ${suggestion(engine)}.`];
        }
        return [];
    },
});
