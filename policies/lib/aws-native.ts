// The aws-native adapter: what differs when a team declares Amazon MQ (and what a broker depends on) with the
// Cloud Control provider, `@pulumi/aws-native`, instead of `@pulumi/aws`. Every judgement in the pack reads
// the `@pulumi/aws` shape; this file turns an aws-native resource's properties into that shape (a *view*),
// says which aws type it stands for, and names, for each aws property a message may name, the aws-native
// property the user must edit. Nothing here judges: a rule added to a policy applies to both providers.
//
// Sources (read 2026-12-03): the `@pulumi/aws-native` 1.79.0 SDK's types (amazonmq/broker.d.ts,
// amazonmq/configuration.d.ts, kms/key.d.ts, kms/alias.d.ts, ec2/securityGroup.d.ts,
// ec2/securityGroupIngress.d.ts, ec2/subnet.d.ts, secretsmanager/secret.d.ts), which follow the CloudFormation
// resource schemas AWS::AmazonMQ::Broker, AWS::AmazonMQ::Configuration, AWS::KMS::Key, AWS::KMS::Alias,
// AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress, AWS::EC2::Subnet, AWS::SecretsManager::Secret
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-broker.html
// and its siblings).
import type * as native from "./aws-native-sdk";
import type { Unwrap } from "@pulumi/pulumi";
import { isPlainObject, isUnknown, PlainObject, UNKNOWN } from "./values";

/** aws-native's type tokens, each with the `@pulumi/aws` type whose rules judge it. */
export const NATIVE_TYPES = {
    broker: "aws-native:amazonmq:Broker",
    configuration: "aws-native:amazonmq:Configuration",
    kmsKey: "aws-native:kms:Key",
    kmsAlias: "aws-native:kms:Alias",
    securityGroup: "aws-native:ec2:SecurityGroup",
    securityGroupIngress: "aws-native:ec2:SecurityGroupIngress",
    subnet: "aws-native:ec2:Subnet",
    secret: "aws-native:secretsmanager:Secret",
    provider: "pulumi:providers:aws-native",
} as const;

/** The aws type each aws-native type is judged as (by the rules written for that aws type). */
export const AWS_EQUIVALENT: Readonly<Record<string, string>> = {
    [NATIVE_TYPES.broker]: "aws:mq/broker:Broker",
    [NATIVE_TYPES.configuration]: "aws:mq/configuration:Configuration",
    [NATIVE_TYPES.kmsKey]: "aws:kms/key:Key",
    [NATIVE_TYPES.kmsAlias]: "aws:kms/alias:Alias",
    [NATIVE_TYPES.securityGroup]: "aws:ec2/securityGroup:SecurityGroup",
    [NATIVE_TYPES.securityGroupIngress]: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    [NATIVE_TYPES.subnet]: "aws:ec2/subnet:Subnet",
    // A Secrets Manager secret in aws-native holds its value (secretString or generateSecretString), as an
    // aws SecretVersion does: it is a secret source.
    [NATIVE_TYPES.secret]: "aws:secretsmanager/secretVersion:SecretVersion",
};

type Keys<T> = Extract<keyof Unwrap<T>, string>;

/**
 * One aws-native type's adapter: the aws-shaped view of its properties, and the aws-native name of each aws
 * property (or input) that differs. Names absent from `names` are the same in both providers.
 */
interface Adapter<NativeArgs> {
    view(props: PlainObject): PlainObject;
    names: Readonly<Record<string, Keys<NativeArgs>>>;
}

/**
 * `[{ key, value }]` (aws-native's tags) as `{ key: value }` (aws's), from the entries whose key is known (taggedView
 * handles the others); an unknown list stays unknown, and what is not a list is passed on for the policy's own
 * type handling.
 */
function tagMap(tags: unknown): unknown {
    if (isUnknown(tags)) {
        return UNKNOWN;
    }
    if (!Array.isArray(tags)) {
        return tags;
    }
    const map: PlainObject = {};
    for (const entry of tags) {
        if (isPlainObject(entry) && typeof entry.key === "string" && !isUnknown(entry.key)) {
            map[entry.key] = entry.value;
        }
    }
    return map;
}

/** One value, or undefined, as a list of it (aws-native rules hold one source; aws groups hold lists). */
function single(value: unknown): unknown[] {
    return value === undefined || value === null ? [] : [value];
}

/** A tag entry whose key is not known yet (preview), or an entry that is itself unknown. */
function unknownKey(entry: unknown): boolean {
    return isUnknown(entry) || (isPlainObject(entry) && isUnknown(entry.key));
}

/**
 * A tagged resource's properties with aws's tags (brokers, configurations, security groups, subnets). aws-native has no `tagsAll`: its provider merges
 * its own defaultTags into `tags` during Check (MergeDefaultTags, pulumi-aws-native
 * provider/pkg/default_tags/merging.go,
 * https://github.com/pulumi/pulumi-aws-native/blob/master/provider/pkg/default_tags/merging.go, read 2026-12-03), so
 * `tags` holds them all, and a `tagsAll` among the
 * properties is not aws-native's: it is left out, so no rule reads it and no message names it. An entry whose
 * key is unknown is left out of the map and makes `tagsAll` unknown, as aws's is while a tag is not known: the
 * known tags are still judged, and no key is said to be missing.
 */
function taggedView(props: PlainObject): PlainObject {
    if (!("tags" in props) && !("tagsAll" in props)) {
        return props;
    }
    const view: PlainObject = { ...props };
    delete view.tagsAll;
    if (Array.isArray(props.tags) && props.tags.some(unknownKey)) {
        return { ...view, tags: tagMap(props.tags), tagsAll: UNKNOWN };
    }
    return "tags" in props ? { ...view, tags: tagMap(props.tags) } : view;
}

/**
 * Where the two providers leave a different default when a broker property is absent, the view states aws-native's
 * in the aws shape, so each rule judges what AWS will do. `autoMinorVersionUpgrade`: `@pulumi/aws` sends false
 * when it is absent (terraform-provider-aws broker.go, `aws.Bool(d.Get(...))`), while aws-native sends nothing and
 * the API then uses true: "Set to true by default, if no value is specified" (CreateBroker AutoMinorVersionUpgrade,
 * https://docs.aws.amazon.com/amazon-mq/latest/api-reference/brokers.html#brokers-model-createbrokerinput and
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-broker-request,
 * read 2026-12-03; @pulumi/aws-native 1.79.0 amazonmq/broker.d.ts makes it optional).
 */
const NATIVE_BROKER_DEFAULTS: Readonly<PlainObject> = { autoMinorVersionUpgrade: true };

function brokerView(props: PlainObject): PlainObject {
    const view = taggedView(props);
    const absent = Object.keys(NATIVE_BROKER_DEFAULTS).filter(key => props[key] === undefined || props[key] === null);
    if (absent.length === 0) {
        return view;
    }
    const withDefaults: PlainObject = { ...view };
    absent.forEach(key => (withDefaults[key] = NATIVE_BROKER_DEFAULTS[key]));
    return withDefaults;
}

const broker: Adapter<native.amazonmq.BrokerArgs> = {
    // Only tags differ in shape; every other broker property has the same name and shape in both providers, and
    // absent autoMinorVersionUpgrade means true (NATIVE_BROKER_DEFAULTS).
    view: brokerView,
    names: {},
};

const configuration: Adapter<native.amazonmq.ConfigurationArgs> = {
    // `data` is base64 in aws-native; the configuration reader decodes both forms.
    view: taggedView,
    names: {},
};

const kmsKey: Adapter<native.kms.KeyArgs> = {
    view: props => ({
        keyUsage: props.keyUsage,
        keySpec: props.keySpec,
        isEnabled: props.enabled,
        enableKeyRotation: props.enableKeyRotation,
        deletionWindowInDays: props.pendingWindowInDays,
        rotationPeriodInDays: props.rotationPeriodInDays,
        multiRegion: props.multiRegion,
        arn: props.arn,
        keyId: props.keyId,
    }),
    // aws's customerMasterKeySpec is keySpec here (the view carries keySpec under its own name).
    names: { isEnabled: "enabled", deletionWindowInDays: "pendingWindowInDays", customerMasterKeySpec: "keySpec" },
};

const kmsAlias: Adapter<native.kms.AliasArgs> = {
    view: props => ({ ...props, name: props.aliasName }),
    names: { name: "aliasName" },
};

/** An inline `securityGroupIngress` entry in the shape of an aws inline `ingress` entry. */
function inlineIngress(entry: unknown): unknown {
    if (!isPlainObject(entry)) {
        return entry;
    }
    return {
        protocol: entry.ipProtocol,
        fromPort: entry.fromPort,
        toPort: entry.toPort,
        cidrBlocks: single(entry.cidrIp),
        ipv6CidrBlocks: single(entry.cidrIpv6),
        prefixListIds: single(entry.sourcePrefixListId),
        securityGroups: single(entry.sourceSecurityGroupId),
        description: entry.description,
    };
}

const securityGroup: Adapter<native.ec2.SecurityGroupArgs> = {
    view: props => ({
        ...taggedView(props),
        ingress: Array.isArray(props.securityGroupIngress) ? props.securityGroupIngress.map(inlineIngress)
            : isUnknown(props.securityGroupIngress) ? UNKNOWN : props.securityGroupIngress,
    }),
    names: { ingress: "securityGroupIngress" },
};

/** Names inside one inline entry: `securityGroupIngress[0].cidrIp` for aws's `ingress[0].cidrBlocks`. */
const INLINE_INGRESS_NAMES: Readonly<Record<string, Keys<native.types.input.ec2.SecurityGroupIngressArgs>>> = {
    protocol: "ipProtocol",
    cidrBlocks: "cidrIp",
    ipv6CidrBlocks: "cidrIpv6",
    prefixListIds: "sourcePrefixListId",
    securityGroups: "sourceSecurityGroupId",
};

const securityGroupIngress: Adapter<native.ec2.SecurityGroupIngressArgs> = {
    view: props => ({
        securityGroupId: props.groupId,
        ipProtocol: props.ipProtocol,
        fromPort: props.fromPort,
        toPort: props.toPort,
        cidrIpv4: props.cidrIp,
        cidrIpv6: props.cidrIpv6,
        prefixListId: props.sourcePrefixListId,
        referencedSecurityGroupId: props.sourceSecurityGroupId,
        description: props.description,
    }),
    names: {
        securityGroupId: "groupId",
        cidrIpv4: "cidrIp",
        prefixListId: "sourcePrefixListId",
        referencedSecurityGroupId: "sourceSecurityGroupId",
    },
};

const subnet: Adapter<native.ec2.SubnetArgs> = {
    view: taggedView,
    names: {},
};

const secret: Adapter<native.secretsmanager.SecretArgs> = {
    view: props => props,
    names: {},
};

const ADAPTERS: Readonly<Record<string, Adapter<unknown>>> = {
    [NATIVE_TYPES.broker]: broker,
    [NATIVE_TYPES.configuration]: configuration,
    [NATIVE_TYPES.kmsKey]: kmsKey,
    [NATIVE_TYPES.kmsAlias]: kmsAlias,
    [NATIVE_TYPES.securityGroup]: securityGroup,
    [NATIVE_TYPES.securityGroupIngress]: securityGroupIngress,
    [NATIVE_TYPES.subnet]: subnet,
    [NATIVE_TYPES.secret]: secret,
} as Record<string, Adapter<unknown>>;

function adapterOf(type: string): Adapter<unknown> | undefined {
    return Object.prototype.hasOwnProperty.call(ADAPTERS, type) ? ADAPTERS[type] : undefined;
}

/** The aws type a resource of `type` is judged as: itself for aws types, the equivalent for aws-native ones. */
export function judgedAs(type: string): string {
    return Object.prototype.hasOwnProperty.call(AWS_EQUIVALENT, type) ? AWS_EQUIVALENT[type] : type;
}

/** Whether `type` is aws-native's. */
export function isNative(type: string): boolean {
    return type.startsWith("aws-native:");
}

/** The properties in the aws shape the rules read (the same object for aws types). */
export function awsView(type: string, props: PlainObject): PlainObject {
    const adapter = adapterOf(type);
    return adapter ? adapter.view(props) : props;
}

/** The name, in `type`'s provider, of the aws property or input `awsName` (a message names this one). */
export function propertyName(type: string, awsName: string): string {
    return renamed(adapterOf(type)?.names, awsName);
}

/**
 * The name, in the provider of a security group of `type`, of the aws property `awsName` of one inline ingress
 * entry: `cidrIp` for aws's `cidrBlocks` in an aws-native group's `securityGroupIngress[i]`.
 */
export function inlineIngressPropertyName(type: string, awsName: string): string {
    return renamed(type === NATIVE_TYPES.securityGroup ? INLINE_INGRESS_NAMES : undefined, awsName);
}

function renamed(names: Readonly<Record<string, string>> | undefined, awsName: string): string {
    return names && Object.prototype.hasOwnProperty.call(names, awsName) ? names[awsName] : awsName;
}

/**
 * Writes a remediated aws-shaped view back onto the provider's own properties: for aws types the view is the
 * properties; for aws-native ones every property the view shares by name is copied back (remediations change
 * only properties both providers name alike, such as `logs` and `autoMinorVersionUpgrade`).
 */
export function fromAwsView(type: string, original: PlainObject, view: PlainObject): PlainObject {
    if (view === original || !adapterOf(type)) {
        return view;
    }
    for (const [key, value] of Object.entries(view)) {
        // A default the view filled in (NATIVE_BROKER_DEFAULTS) is not written back: the program did not set it.
        const filledDefault = type === NATIVE_TYPES.broker && !(key in original) && NATIVE_BROKER_DEFAULTS[key] === value;
        if (key !== "tags" && key !== "tagsAll" && !filledDefault && propertyName(type, key) === key) {
            original[key] = value;
        }
    }
    return original;
}
