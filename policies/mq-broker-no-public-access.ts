import { brokerPolicy } from "./lib/policy";
import { readBoolean } from "./lib/values";

export const mqBrokerNoPublicAccess = brokerPolicy({
    name: "mq-broker-no-public-access",
    description: "Amazon MQ brokers must not be publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `publiclyAccessible: false` (or leave it unset) and reach the broker through the VPC, " +
        "a VPN or PrivateLink. The setting cannot change on an existing broker: Pulumi replaces it." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    publiclyAccessible: false, // a new broker: this cannot change in place\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html#prefer-brokers-without-public-accessibility",
    tags: ["AWS Config mq-no-public-access", "Trivy AWS-0072", "Checkov CKV_AWS_69"],
    check: broker => {
        // Absent means false: terraform-provider-aws publicly_accessible "Default: false, ForceNew: true"
        // (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go); CloudFormation "Set to `false` by default, if no value is
        // provided" and publiclyAccessible in aws-native's replaceOnChanges (@pulumi/aws-native 1.79.0
        // amazonmq/broker.d.ts, broker.js). All read 2026-12-03: a change replaces the broker.
        if (readBoolean(broker, "publiclyAccessible") === true) {
            return ["publiclyAccessible is true; set publiclyAccessible: false and reach the broker from inside the VPC. " +
                "This change replaces the broker (Pulumi creates a new one), so plan the cut-over."];
        }
        return [];
    },
});
