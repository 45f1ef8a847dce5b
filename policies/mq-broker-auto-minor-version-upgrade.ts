import { engineOf } from "./lib/broker";
import { brokerPolicy } from "./lib/policy";
import { assign, field, PlainObject, readBoolean, readString, UNKNOWN } from "./lib/values";
import { formatVersion, MAJOR_MINOR_ONLY_FROM, parseVersion, takesMajorMinorOnly } from "./lib/versions";

export const mqBrokerAutoMinorVersionUpgrade = brokerPolicy({
    name: "mq-broker-auto-minor-version-upgrade",
    description: "Amazon MQ brokers must take automatic minor version upgrades, so security patches arrive in the maintenance window.",
    severity: "low",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `autoMinorVersionUpgrade: true`. The change is applied in place (no replacement); upgrades " +
        "then happen in the broker's maintenance window. Amazon MQ requires it for ActiveMQ 5.18+ and RabbitMQ 3.13+. " +
        "With the `remediate` enforcement level this policy sets it for you." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    autoMinorVersionUpgrade: true,\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-3",
    tags: ["Security Hub MQ.3", "AWS Config mq-auto-minor-version-upgrade-enabled", "Checkov CKV_AWS_207"],
    check: broker => {
        const value = readBoolean(broker, "autoMinorVersionUpgrade");
        if (value === UNKNOWN || value === true) {
            return [];
        }
        const required = requiredByEngineVersion(broker);
        if (value === false) {
            return [`autoMinorVersionUpgrade is false; set autoMinorVersionUpgrade: true (an in-place update)${required}`];
        }
        if (field(broker, "autoMinorVersionUpgrade") !== undefined) {
            return [`autoMinorVersionUpgrade is not a boolean; set autoMinorVersionUpgrade: true (an in-place update)${required}`];
        }
        // Absent: the provider's default is false, so the broker would never take minor version upgrades.
        return ["autoMinorVersionUpgrade is not set, and the provider default is false; set autoMinorVersionUpgrade: true " +
            `(an in-place update)${required}`];
    },
    remediate: broker => {
        const value = readBoolean(broker, "autoMinorVersionUpgrade");
        if (value === UNKNOWN || value === true) {
            return false;
        }
        assign(broker, "autoMinorVersionUpgrade", true); // a secret stays a secret
        return true;
    },
});

/** `; Amazon MQ requires it for RabbitMQ 3.13 and later` when the broker's version is one of those. */
function requiredByEngineVersion(broker: PlainObject): string {
    const engine = engineOf(broker);
    const text = readString(broker, "engineVersion");
    const version = typeof text === "string" ? parseVersion(text) : undefined;
    if (typeof engine !== "string" || !version || !takesMajorMinorOnly(engine, version)) {
        return "";
    }
    return `; Amazon MQ requires it for ${engine} ${formatVersion(MAJOR_MINOR_ONLY_FROM[engine])} and later`;
}
