import { DEFAULT_DEPLOYMENT_MODE, engineOf } from "./lib/broker";
import { shown } from "./lib/display";
import { EBS_CAPABLE_FAMILY, instanceFamily } from "./lib/instance-types";
import { brokerPolicy } from "./lib/policy";
import { readEnum, readString, UNKNOWN } from "./lib/values";

/** ActiveMQ's storageType when unset: AWS and the provider default it to efs. */
const DEFAULT_ACTIVEMQ_STORAGE = "EFS";

export const mqBrokerDurableStorage = brokerPolicy({
    name: "mq-broker-durable-storage",
    description: "Single-instance ActiveMQ brokers on the mq.m5 family keep messages on EFS, replicated across Availability Zones.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `storageType: efs` (or leave it unset: efs is the ActiveMQ default) so persistent messages are " +
        "stored redundantly across Availability Zones; EBS keeps them in a single Availability Zone. The storage type " +
        "cannot change on an existing broker, so create a replacement broker and move clients to it." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    storageType: \"efs\", // a new broker: the storage type cannot change\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/broker-storage.html",
    tags: ["AWS Config mq-active-single-instance-broker-storage-type-efs"],
    notApplicable: broker => engineOf(broker) === "RabbitMQ" ? "RabbitMQ brokers store messages on EBS only" : undefined,
    check: broker => {
        // RabbitMQ supports EBS only, so the rule does not apply to it (nor to an unknown or absent engine:
        // engineType is required by the provider).
        if (engineOf(broker) !== "ActiveMQ") {
            return [];
        }
        // deploymentMode defaults to SINGLE_INSTANCE. Active/standby requires EFS, which
        // mq-broker-high-availability checks, so only single-instance brokers are judged here.
        const mode = readEnum(broker, "deploymentMode") || DEFAULT_DEPLOYMENT_MODE;
        if (mode !== DEFAULT_DEPLOYMENT_MODE) {
            return [];
        }
        // The AWS Config rule covers the mq.m5 family, the only family that can use EBS. hostInstanceType is
        // required by the provider: absent or unknown gives no finding.
        const instanceType = readString(broker, "hostInstanceType");
        if (typeof instanceType !== "string" || instanceFamily(instanceType) !== EBS_CAPABLE_FAMILY) {
            return [];
        }
        // Absent (or empty, which the provider treats as unset) means efs, the ActiveMQ default.
        const storage = readEnum(broker, "storageType") || DEFAULT_ACTIVEMQ_STORAGE;
        if (storage === UNKNOWN || storage === DEFAULT_ACTIVEMQ_STORAGE) {
            return [];
        }
        // Both values are echoed bounded (a short prefix and an ellipsis): an input can be any size.
        const storageType = String(readString(broker, "storageType")).trim();
        return [`storageType is ${shown(storageType, 20)} on a single-instance ActiveMQ broker (${shown(instanceType.trim(), 40)}); set ` +
            "storageType: efs (the ActiveMQ default), which stores messages redundantly across Availability Zones " +
            "(EBS keeps them in one). The storage type cannot change on an existing broker: this needs a replacement broker."];
    },
});
