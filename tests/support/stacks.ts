// Stacks for the stack-policy specs, built the way the engine sends them: each resource's outputs, the
// resources that feed each top-level input (`propertyDependencies`), and `dependencies` as their union.
import type * as native from "../../policies/lib/aws-native-sdk";
import type { Output, Unwrap } from "@pulumi/pulumi";
import { NATIVE_TYPES } from "../../policies/lib/aws-native";
import { compliantActiveMq, compliantRabbitMq, CUSTOMER_KEY_ARN } from "./fixtures";
import { brokerUrn, StackResource } from "./runtime";

export { NATIVE_TYPES };

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
    configuration: "aws:mq/configuration:Configuration",
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

// ---- aws-native (`@pulumi/aws-native`, the Cloud Control provider) ----
// The same stacks written with aws-native resources: their own property names (typed against the SDK, type-only),
// tags as [{ key, value }], engine types as CloudFormation writes them, a configuration's data in base64.
// One line builds each stack a reviewer needs (see the *Stack helpers at the end).

/** The names a change may set on an aws-native resource: its inputs and outputs (values open: unknowns, wrong types). */
export type NativeChange<Args, Resource> = {
    [K in Extract<keyof Unwrap<Args>, string> | OutputNames<Resource>]?: unknown;
};
type OutputNames<R> = { [K in keyof R]: R[K] extends Output<unknown> ? K : never }[keyof R] & string;

export type NativeBrokerChange = NativeChange<native.amazonmq.BrokerArgs, native.amazonmq.Broker>;
export type NativeKeyChange = NativeChange<native.kms.KeyArgs, native.kms.Key>;
export type NativeSubnetChange = NativeChange<native.ec2.SubnetArgs, native.ec2.Subnet>;
export type NativeSecretChange = NativeChange<native.secretsmanager.SecretArgs, native.secretsmanager.Secret>;
export type NativeConfigurationChange = NativeChange<native.amazonmq.ConfigurationArgs, native.amazonmq.Configuration>;

/** Which provider declares a resource in a mixed stack. */
export type Provider = "aws" | "aws-native";

/** `change` over `base`; `undefined` removes a property (absent, so the default applies). */
function changed(base: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
    const props = { ...base, ...change };
    for (const [key, value] of Object.entries(change)) {
        if (value === undefined) {
            delete props[key];
        }
    }
    return props;
}

/** `{ team: "payments" }` as aws-native writes tags: `[{ key: "team", value: "payments" }]`. */
export function nativeTags(tags: Record<string, string>): Array<{ key: string; value: string }> {
    return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** The golden broker (ActiveMQ unless said otherwise) as an aws-native:amazonmq:Broker's outputs. */
export function nativeBrokerProps(engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ"): Record<string, unknown> {
    const golden = engine === "ActiveMQ" ? compliantActiveMq() : compliantRabbitMq();
    const props: NativeBrokerChange = {
        ...golden,
        engineType: engine.toUpperCase(),
        tags: nativeTags(golden.tags as Record<string, string>),
    };
    return props;
}

/** An aws-native broker from the golden fixture, with changed outputs (brokerName is the resource name unless changed). */
export function nativeBroker(
    name: string,
    change: NativeBrokerChange = {},
    feeds: Record<string, StackResource[]> = {},
    engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ",
): StackResource {
    return resource(NATIVE_TYPES.broker, name, changed({ ...nativeBrokerProps(engine), brokerName: name }, change), feeds);
}

/** A broker of either provider: the golden fixture with the same change (aws-native tags excepted). */
export function brokerOf(
    provider: Provider,
    name: string,
    change: Record<string, unknown> = {},
    feeds: Record<string, StackResource[]> = {},
    engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ",
): StackResource {
    return provider === "aws" ? broker(name, change, feeds, engine) : nativeBroker(name, change, feeds, engine);
}

/** A compliant aws-native customer managed key as Cloud Control reports it after creation. */
export function nativeKeyProps(): Record<string, unknown> {
    const props: NativeKeyChange = {
        arn: CUSTOMER_KEY_ARN,
        keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
        keyUsage: "ENCRYPT_DECRYPT",
        keySpec: "SYMMETRIC_DEFAULT",
        enabled: true,
        enableKeyRotation: true,
        pendingWindowInDays: 30,
        description: "orders broker key",
    };
    return props;
}

export function nativeKey(name: string, change: NativeKeyChange = {}): StackResource {
    return resource(NATIVE_TYPES.kmsKey, name, changed(nativeKeyProps(), change));
}

/** An aws-native alias whose targetKeyId is fed by `key`. */
export function nativeAlias(name: string, key: StackResource): StackResource {
    const props: NativeChange<native.kms.AliasArgs, native.kms.Alias> = { aliasName: `alias/${name}`, targetKeyId: key.props.keyId ?? key.props.arn };
    return resource(NATIVE_TYPES.kmsAlias, name, props, { targetKeyId: [key] });
}

/** An aws-native subnet in `availabilityZone` (absent when undefined), with changed outputs. */
export function nativeSubnet(name: string, availabilityZone: unknown, change: NativeSubnetChange = {}): StackResource {
    const base: NativeSubnetChange = { vpcId: "vpc-0a1b2c3d4e5f60000", cidrBlock: "10.20.0.0/24", subnetId: `subnet-${name}` };
    return resource(NATIVE_TYPES.subnet, name, changed(availabilityZone === undefined ? base : { ...base, availabilityZone }, change));
}

/** An aws-native secret that generates its value (generateSecretString) unless the change says otherwise. */
export function nativeSecret(name: string, change: NativeSecretChange = {}, feeds: Record<string, StackResource[]> = {}): StackResource {
    const base: NativeSecretChange = {
        awsId: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-AbCdEf`,
        name,
        generateSecretString: { passwordLength: 32, excludePunctuation: true },
    };
    return resource(NATIVE_TYPES.secret, name, changed(base, change), feeds);
}

const NATIVE_CONFIGURATION_DATA = {
    ActiveMQ: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<broker xmlns="http://activemq.apache.org/schema/core"><plugins/></broker>',
    RabbitMQ: "# orders broker\nconsumer_timeout = 1800000",
};

/** A compliant aws-native configuration (its data base64, as aws-native holds it) with changed outputs. */
export function nativeConfiguration(
    name: string,
    change: NativeConfigurationChange = {},
    engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ",
): StackResource {
    const id = `c-${name}-0000`;
    const base: NativeConfigurationChange = {
        awsId: id,
        arn: `arn:aws:mq:us-east-1:111122223333:configuration:${id}`,
        name,
        engineType: engine.toUpperCase(),
        engineVersion: engine === "ActiveMQ" ? "5.18" : "3.13",
        authenticationStrategy: engine === "ActiveMQ" ? "SIMPLE" : undefined,
        data: base64(NATIVE_CONFIGURATION_DATA[engine]),
        revision: "1",
    };
    return resource(NATIVE_TYPES.configuration, name, changed(base, change));
}

export function base64(text: string): string {
    return Buffer.from(text, "utf8").toString("base64");
}

/** A provider resource as the SDK attaches it to a resource (its inputs as props). */
export function providerOf(provider: Provider, region: unknown): NonNullable<StackResource["provider"]> {
    const type = provider === "aws" ? "pulumi:providers:aws" : NATIVE_TYPES.provider;
    return { urn: `urn:pulumi:prod::messaging::${type}::${provider}-${String(region)}`, type, name: `${provider}-${String(region)}`, props: region === undefined ? {} : { region } };
}

/** `resource` created through an explicit provider in `region` (a new object; the resource is not changed). */
export function inRegion(resource: StackResource, region: unknown): StackResource {
    return { ...resource, provider: providerOf(resource.type.startsWith("aws-native:") ? "aws-native" : "aws", region) };
}

// One line per stack: each returns the whole stack (dependencies first, the broker last).

/** A broker encrypted by a key of `keyProvider` (through an alias of that provider when `alias`), the key changed. */
export function keyStack(
    keyChange: Record<string, unknown> = {},
    options: { broker?: Provider; key?: Provider; alias?: boolean; engine?: "ActiveMQ" | "RabbitMQ" } = {},
): StackResource[] {
    const native = (options.key ?? "aws-native") === "aws-native";
    const key = native ? nativeKey("orders-key", keyChange) : resource(TYPES.key, "orders-key", changed(goodKeyProps(), keyChange));
    const alias = !options.alias ? undefined : native ? nativeAlias("orders-key-alias", key)
        : resource(TYPES.alias, "orders-key-alias", { name: "alias/orders", targetKeyId: "1234abcd" }, { targetKeyId: [key] });
    const feeder = alias ?? key;
    const b = brokerOf(options.broker ?? "aws-native", "orders-broker", {}, { encryptionOptions: [feeder] }, options.engine);
    return alias ? [key, alias, b] : [key, b];
}

/** An HA broker whose subnetIds are aws-native (or aws) subnets in these zones (undefined: zone absent). */
export function subnetStack(
    zones: unknown[],
    options: { broker?: Provider; subnets?: Provider; engine?: "ActiveMQ" | "RabbitMQ"; zoneProperty?: "availabilityZone" | "availabilityZoneId" } = {},
): StackResource[] {
    const property = options.zoneProperty ?? "availabilityZone";
    const subnets = zones.map((zone, i) => (options.subnets ?? "aws-native") === "aws-native"
        ? nativeSubnet(`mq-${i}`, undefined, zone === undefined ? {} : { [property]: zone })
        : resource(TYPES.subnet, `mq-${i}`, zone === undefined ? {} : { [property]: zone }));
    const ids = subnets.map((_, i) => `subnet-0a1b2c3d4e5f6000${i}`);
    return [...subnets, brokerOf(options.broker ?? "aws-native", "orders-broker", { subnetIds: ids }, { subnetIds: subnets }, options.engine)];
}

/** A broker whose users are fed by an aws-native secret (changed), or by nothing when `secretChange` is null. */
export function secretStack(
    secretChange: NativeSecretChange | null = {},
    options: { broker?: Provider; engine?: "ActiveMQ" | "RabbitMQ"; brokerChange?: Record<string, unknown>; feeds?: string } = {},
): StackResource[] {
    const secret = secretChange === null ? undefined : nativeSecret("orders-app-password", secretChange);
    const feeds = secret ? { [options.feeds ?? "users"]: [secret] } : {};
    const b = brokerOf(options.broker ?? "aws-native", "orders-broker", options.brokerChange ?? {}, feeds, options.engine);
    return secret ? [secret, b] : [b];
}

/** A broker that uses an aws-native (or aws) configuration (changed) through configuration.id, fed by it. */
export function configurationStack(
    configurationChange: Record<string, unknown> = {},
    options: { broker?: Provider; configuration?: Provider; engine?: "ActiveMQ" | "RabbitMQ"; brokerChange?: Record<string, unknown>; fed?: boolean } = {},
): StackResource[] {
    const engine = options.engine ?? "ActiveMQ";
    const config = (options.configuration ?? "aws-native") === "aws-native"
        ? nativeConfiguration("orders-config", configurationChange, engine)
        : resource(TYPES.configuration, "orders-config", changed({
            id: "c-orders-config-0000", engineType: engine, engineVersion: engine === "ActiveMQ" ? "5.18" : "3.13",
            authenticationStrategy: engine === "ActiveMQ" ? "simple" : undefined, latestRevision: 1, data: NATIVE_CONFIGURATION_DATA[engine],
        }, configurationChange));
    const id = config.props.awsId ?? config.props.id;
    const brokerChange = { configuration: { id, revision: 1 }, ...(engine === "RabbitMQ" ? { engineVersion: "3.13" } : {}), ...options.brokerChange };
    const feeds: Record<string, StackResource[]> = options.fed === false ? {} : { configuration: [config] };
    return [config, brokerOf(options.broker ?? "aws-native", "orders-broker", brokerChange, feeds, engine)];
}
