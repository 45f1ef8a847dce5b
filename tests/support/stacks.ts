// Stacks for the stack-policy specs, built the way the engine sends them: each resource's outputs, the
// resources that feed each top-level input (`propertyDependencies`), and `dependencies` as their union.
import { compliantActiveMq, compliantRabbitMq, CUSTOMER_KEY_ARN } from "./fixtures";
import { brokerUrn, StackResource } from "./runtime";

export const TYPES = {
    broker: "aws:mq/broker:Broker",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    randomPassword: "random:index/randomPassword:RandomPassword",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    ssmParameter: "aws:ssm/parameter:Parameter",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
} as const;

export function urnOf(type: string, name: string): string {
    return type === TYPES.broker ? brokerUrn(name) : `urn:pulumi:prod::messaging::${type}::${name}`;
}

/** A stack resource; `feeds` maps each input to the resources whose outputs flow into it. */
export function resource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    feeds: Record<string, StackResource[]> = {},
): StackResource {
    const propertyDependencies: Record<string, string[]> = {};
    const dependencies = new Set<string>();
    for (const [input, sources] of Object.entries(feeds)) {
        propertyDependencies[input] = sources.map(s => s.urn);
        sources.forEach(s => dependencies.add(s.urn));
    }
    return { urn: urnOf(type, name), type, props, dependencies: [...dependencies], propertyDependencies };
}

/** A broker resource from a golden fixture (ActiveMQ unless said otherwise), with changed outputs. */
export function broker(
    name: string,
    change: Record<string, unknown> = {},
    feeds: Record<string, StackResource[]> = {},
    engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ",
): StackResource {
    const props: Record<string, unknown> = { ...(engine === "ActiveMQ" ? compliantActiveMq() : compliantRabbitMq()), brokerName: name, ...change };
    for (const [key, value] of Object.entries(change)) {
        if (value === undefined) {
            delete props[key];
        }
    }
    return resource(TYPES.broker, name, props, feeds);
}

/** A compliant customer managed key as the provider reports it after creation. */
export function goodKeyProps(): Record<string, unknown> {
    return {
        arn: CUSTOMER_KEY_ARN,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        isEnabled: true,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        description: "orders broker key",
    };
}
