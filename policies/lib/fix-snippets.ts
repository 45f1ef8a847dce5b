// Fragments of the fix snippets (TypeScript in `remediationSteps`) that more than one policy shows: written once,
// so two policies cannot drift apart on the same advice. Type-checked with every snippet by
// tests/fix-snippets.spec.ts.

/** Opens a snippet: the fence and the import every snippet needs. */
export const SNIPPET_START = "\n\n```typescript\n" +
    "import * as aws from \"@pulumi/aws\";\n" +
    "\n";

/** A VPC with one subnet in each of two Availability Zones (`subnets`). */
export const SUBNETS_PER_ZONE =
    "const vpc = new aws.ec2.Vpc(\"mq\", { cidrBlock: \"10.20.0.0/16\" });\n" +
    "// One subnet per Availability Zone.\n" +
    "const subnets = [\"us-east-1a\", \"us-east-1b\"].map((zone, i) => new aws.ec2.Subnet(`mq-${i}`, {\n" +
    "    vpcId: vpc.id, availabilityZone: zone, cidrBlock: `10.20.${i}.0/24`,\n" +
    "}));\n";

/** Ends a snippet with the broker arguments to merge: `lines` are the properties of `fix`, each ending in ",\n". */
export function brokerFix(lines: string): string {
    return "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        lines +
        "};\n" +
        "```";
}

/** The fix that points a broker at a customer managed key (`key`). */
export const CUSTOMER_KEY_FIX = brokerFix("    encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: key.arn },\n");
