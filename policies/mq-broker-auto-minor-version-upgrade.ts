import { engineOf } from "./lib/broker";
import { brokerPolicy } from "./lib/policy";
import { assign, field, PlainObject, readBoolean, readString, UNKNOWN } from "./lib/values";
import { formatVersion, MAJOR_MINOR_ONLY_FROM, parseVersion, takesMajorMinorOnly } from "./lib/versions";

export const mqBrokerAutoMinorVersionUpgrade = brokerPolicy({
    name: "mq-broker-auto-minor-version-upgrade",
    description: "Amazon MQ brokers must take automatic minor version upgrades, so security patches arrive in the maintenance window.",
    severity: "low",
    enforcementLevel: "mandatory",
    // In place: terraform-provider-aws updates auto_minor_version_upgrade with UpdateBroker, no replacement and no
    // reboot (broker.go resourceBrokerUpdate, read 2026-12-03); 5.18+/3.13+: see requiredByEngineVersion.
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
        // Absent, under @pulumi/aws: the provider's default is false and it always sends the value
        // (terraform-provider-aws `auto_minor_version_upgrade` "Default: false", and CreateBroker gets
        // `aws.Bool(d.Get(...))`: https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read 2026-12-03).
        // aws-native differs: absent there, AWS uses true ("Set to true by default, if no value is specified",
        // CreateBroker; read 2026-12-03), so an aws-native broker without the property reaches this check as true
        // (policies/lib/aws-native.ts NATIVE_BROKER_DEFAULTS) and is not flagged.
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

/**
 * `; Amazon MQ requires it for RabbitMQ 3.13 and later` when the broker's version is one of those: autoMinorVersionUpgrade
 * "Must be set to true for ActiveMQ brokers version 5.18 and above and for RabbitMQ brokers version 3.13 and above"
 * (CloudFormation AWS::AmazonMQ::Broker, as quoted in @pulumi/aws-native 1.79.0 amazonmq/broker.d.ts, and the
 * CreateBroker API text; https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-broker.html,
 * read 2026-12-03). MAJOR_MINOR_ONLY_FROM itself is in lib/versions.ts.
 */
function requiredByEngineVersion(broker: PlainObject): string {
    const engine = engineOf(broker);
    const text = readString(broker, "engineVersion");
    const version = typeof text === "string" ? parseVersion(text) : undefined;
    if (typeof engine !== "string" || !version || !takesMajorMinorOnly(engine, version)) {
        return "";
    }
    return `; Amazon MQ requires it for ${engine} ${formatVersion(MAJOR_MINOR_ONLY_FROM[engine])} and later`;
}
