import { engineOf } from "./lib/broker";
import { brokerPolicy } from "./lib/policy";
import { assign, field, isPlainObject, PlainObject, readBlock, readBoolean, reveal, UNKNOWN } from "./lib/values";

/**
 * The `logs` block as an object to change in place: the object itself, or the first element when the
 * provider models it as a one-element list. Undefined when absent, unknown or of another type.
 */
function mutableLogs(broker: PlainObject): PlainObject | undefined {
    const value = field(broker, "logs");
    if (isPlainObject(value)) {
        return value;
    }
    const first = Array.isArray(value) && value.length === 1 ? reveal(value[0]) : undefined;
    if (isPlainObject(first)) {
        return first;
    }
    return undefined;
}

export const mqBrokerLogging = brokerPolicy({
    name: "mq-broker-logging",
    description: "Amazon MQ brokers must publish general logs (and, on ActiveMQ, audit logs) to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `logs: { general: true, audit: true }` on ActiveMQ brokers and `logs: { general: true }` " +
        "on RabbitMQ brokers (RabbitMQ has no audit log and rejects `audit: true`). Both are in-place updates; an " +
        "ActiveMQ broker reboots to apply them. The `remediate` enforcement level turns them on automatically." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    logs: { general: true, audit: true }, // RabbitMQ: { general: true }\n" +
        "};\n" +
        "```",
    // RabbitMQ has no audit log: `audit` is "Only possible for `engineType` of `ActiveMQ`" (@pulumi/aws 7.48.0
    // types/input.d.ts BrokerLogs) and "Does not apply to RabbitMQ brokers" (CloudFormation, as quoted in
    // @pulumi/aws-native 1.79.0 types/input.d.ts BrokerLogList); terraform-provider-aws rejects it at plan time: "logs.audit:
    // Can not be configured when engine is RabbitMQ" (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go CustomizeDiff). In place: a logs change is an UpdateBroker
    // followed by a reboot (requiresReboot, same file). All read 2026-12-03.
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/configure-logging-monitoring-activemq.html",
    tags: [
        "Security Hub MQ.2",
        "AWS Config mq-cloudwatch-audit-log-enabled",
        "Checkov CKV_AWS_48",
        "Checkov CKV_AWS_197",
        "Trivy AWS-0070",
        "Trivy AWS-0071",
    ],
    check: broker => {
        const logs = readBlock(broker, "logs");
        if (logs === UNKNOWN) {
            return [];
        }
        const findings: string[] = [];
        const engine = engineOf(broker);
        // Absent (block or field) means false: "Whether to enable general logging via CloudWatch. Defaults to `false`"
        // and audit "Defaults to `false`" (@pulumi/aws 7.48.0 types/input.d.ts BrokerLogs, read 2026-12-03).
        // The one-element-list shape is handled in lib/values.ts readBlock (terraform-provider-aws models logs as a
        // TypeList with MaxItems 1, read 2026-12-03).
        const general = readBoolean(logs, "general");
        if (general !== UNKNOWN && general !== true) {
            findings.push("logs.general is not true, so the broker's general log does not reach CloudWatch Logs; " +
                "set logs.general: true (an in-place update)");
        }
        const audit = readBoolean(logs, "audit");
        if (engine === "ActiveMQ" && audit !== UNKNOWN && audit !== true) {
            findings.push("logs.audit is not true, so ActiveMQ management actions (JMX, web console) are not " +
                "recorded in CloudWatch Logs; set logs.audit: true (an in-place update)");
        }
        if (engine === "RabbitMQ" && audit === true) {
            findings.push("logs.audit is true, which RabbitMQ rejects at deploy time (audit logs are ActiveMQ only); " +
                "remove logs.audit or set it to false");
        }
        return findings;
    },
    remediate: broker => {
        // Only logs.general (both engines) and logs.audit (ActiveMQ): in-place updates, never a replacement.
        const value = field(broker, "logs");
        if (value === UNKNOWN) {
            return false;
        }
        const engine = engineOf(broker);
        let logs = mutableLogs(broker);
        if (!logs) {
            if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
                // A value of the wrong type: the provider rejects it; leave it for the user to fix.
                return false;
            }
            logs = {};
            assign(broker, "logs", logs);
        }
        let changed = false;
        const general = readBoolean(logs, "general");
        if (general !== UNKNOWN && general !== true) {
            assign(logs, "general", true);
            changed = true;
        }
        const audit = readBoolean(logs, "audit");
        if (engine === "ActiveMQ" && audit !== UNKNOWN && audit !== true) {
            assign(logs, "audit", true);
            changed = true;
        }
        return changed;
    },
});
