import { DEFAULT_DEPLOYMENT_MODE, engineOf } from "./lib/broker";
import { shown } from "./lib/display";
import { EBS_CAPABLE_FAMILY, instanceFamily } from "./lib/instance-types";
import { brokerPolicy } from "./lib/policy";
import { readEnum, readString, UNKNOWN } from "./lib/values";

/**
 * ActiveMQ's storageType when unset: "For `engineType` `ActiveMQ`, valid values are `efs` and `ebs` (AWS-default is
 * `efs`)" (@pulumi/aws 7.48.0 mq/broker.d.ts storageType, read 2026-12-03); a single-instance broker "communicates
 * with your application and with Amazon EFS (by default) or with Amazon EBS"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/broker.html, read 2026-12-03).
 */
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
    // EFS stores "data redundantly across multiple Availability Zones"; a single-instance broker with EBS is
    // "replicated across multiple servers within a single AZ"
    // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-architecture.html, read 2026-12-03).
    // storageType cannot change in place: @pulumi/aws-native 1.79.0 lists it in the Broker's replaceOnChanges (from the
    // CloudFormation schema, read 2026-12-03). terraform-provider-aws does not mark storage_type ForceNew nor send it in
    // UpdateBroker (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read 2026-12-03), so under @pulumi/aws the new value is not applied to the running broker:
    // either way the fix is a replacement broker.
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/broker-storage.html",
    tags: ["AWS Config mq-active-single-instance-broker-storage-type-efs"],
    // "For `engineType` `RabbitMQ`, only `ebs` is supported" (@pulumi/aws 7.48.0 mq/broker.d.ts, read 2026-12-03).
    notApplicable: broker => engineOf(broker) === "RabbitMQ" ? "RabbitMQ brokers store messages on EBS only" : undefined,
    check: broker => {
        // RabbitMQ supports EBS only, so the rule does not apply to it (nor to an unknown or absent engine:
        // engineType is required by the provider: `engineType: pulumi.Input<string>` in @pulumi/aws 7.48.0 BrokerArgs,
        // "Required. The type of broker engine" in @pulumi/aws-native 1.79.0; both read 2026-12-03).
        if (engineOf(broker) !== "ActiveMQ") {
            return [];
        }
        // deploymentMode defaults to SINGLE_INSTANCE (cited at DEFAULT_DEPLOYMENT_MODE's use in
        // mq-broker-high-availability.ts: @pulumi/aws 7.48.0 and terraform-provider-aws, read 2026-12-03).
        // Active/standby requires EFS, which
        // mq-broker-high-availability checks, so only single-instance brokers are judged here.
        const mode = readEnum(broker, "deploymentMode") || DEFAULT_DEPLOYMENT_MODE;
        if (mode !== DEFAULT_DEPLOYMENT_MODE) {
            return [];
        }
        // The AWS Config rule covers the mq.m5 family, the only family that can use EBS: "When using `ebs`, only the
        // `mq.m5` broker instance type family is supported" (@pulumi/aws 7.48.0 mq/broker.d.ts storageType, read
        // 2026-12-03); the rule's own scope is cited in lib/frameworks.ts. hostInstanceType is required by the
        // provider (`hostInstanceType: pulumi.Input<string>` in BrokerArgs; CloudFormation "Required. The broker's
        // instance type."): absent or unknown gives no finding.
        const instanceType = readString(broker, "hostInstanceType");
        if (typeof instanceType !== "string" || instanceFamily(instanceType) !== EBS_CAPABLE_FAMILY) {
            return [];
        }
        // Absent (or empty) means efs, the ActiveMQ default. Empty is unset for the provider: terraform-provider-aws
        // sends StorageType only `if v, ok := d.GetOk("storage_type"); ok`, and GetOk is false for "" (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read
        // 2026-12-03).
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
