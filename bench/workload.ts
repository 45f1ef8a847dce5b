// What the benchmark sends: brokers for Analyze, and a synthetic stack for AnalyzeStack, built the way the
// engine sends them (engine/properties.ts wire format: secrets as the secret signature object, unknowns as
// the unknown sentinels; outputs with propertyDependencies keyed by top-level input and dependencies as
// their union). Deterministic: the same requests for both packs and every run.
import { secret, unknown } from "../engine/properties";
import { AnalyzerResourceInput } from "../engine/session";

const PROJECT = "messaging";
const STACK = "prod";
const PROVIDER_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`;
const ACCOUNT = "111122223333";

export const TYPES = {
    broker: "aws:mq/broker:Broker",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    subnet: "aws:ec2/subnet:Subnet",
    randomPassword: "random:index/randomPassword:RandomPassword",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

const provider = {
    urn: PROVIDER_URN,
    type: "pulumi:providers:aws",
    name: "default_7_48_0",
    properties: { region: "us-east-1", version: "7.48.0" },
};

function urn(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

/** A deterministic password-looking string (never a real secret; the bench prints no message). */
function password(i: number, salt: string): string {
    let h = 2166136261 ^ i;
    let out = "";
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (let k = 0; k < 24; k++) {
        h = Math.imul(h ^ salt.charCodeAt(k % salt.length), 16777619) >>> 0;
        out += alphabet[h % alphabet.length];
    }
    return out;
}

function hex(i: number, width: number): string {
    return i.toString(16).padStart(width, "0");
}

/** Broker inputs, varied by `i`: both engines, compliant and violating, secrets and unknowns. */
export function brokerProps(i: number): Record<string, unknown> {
    const rabbit = i % 2 === 1;
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${hex(i, 8)}-12ab-34cd-56ef-1234567890ab`;
    const props: Record<string, unknown> = rabbit ? {
        brokerName: `orders-rabbitmq-${i}`,
        engineType: "RabbitMQ",
        engineVersion: "3.13",
        hostInstanceType: "mq.m5.large",
        deploymentMode: "CLUSTER_MULTI_AZ",
        subnetIds: [`subnet-${hex(i * 3, 17)}`, `subnet-${hex(i * 3 + 1, 17)}`, `subnet-${hex(i * 3 + 2, 17)}`],
        securityGroups: [`sg-${hex(i, 17)}`],
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: keyArn },
        logs: { general: true },
        users: [{ username: "orders-app", password: secret(password(i, "app")) }],
        tags: { team: "payments", environment: "prod", service: `orders-${i % 17}` },
    } : {
        brokerName: `orders-activemq-${i}`,
        engineType: "ActiveMQ",
        engineVersion: "5.18",
        hostInstanceType: "mq.m5.large",
        deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
        storageType: "efs",
        subnetIds: [`subnet-${hex(i * 3, 17)}`, `subnet-${hex(i * 3 + 1, 17)}`],
        securityGroups: [`sg-${hex(i, 17)}`],
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: keyArn },
        logs: { general: true, audit: true },
        users: [
            { username: "orders-admin", password: secret(password(i, "admin")), consoleAccess: true, groups: ["admins"] },
            { username: "orders-app", password: secret(password(i, "app")) },
        ],
        tags: { team: "payments", environment: "prod", service: `orders-${i % 17}` },
        maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "03:00", timeZone: "UTC" },
        configuration: { id: `c-${hex(i, 8)}`, revision: 1 },
    };
    // One broker in four violates something; one in ten is a preview with unknowns.
    switch (i % 12) {
        case 3:
            props.publiclyAccessible = true;
            props.deploymentMode = "SINGLE_INSTANCE";
            break;
        case 5:
            props.encryptionOptions = { useAwsOwnedKey: true };
            props.autoMinorVersionUpgrade = false;
            props.logs = { general: false };
            break;
        case 7:
            // A weak plaintext password and personal data in the name.
            props.brokerName = `jane.doe@example.com-orders-${i}`;
            props.users = [{ username: "admin", password: "changeme12345" }];
            props.engineVersion = rabbit ? "3.11.20" : "5.15.16";
            break;
        case 9:
            props.engineVersion = unknown.string;
            props.subnetIds = unknown.array;
            props.users = [{ username: "orders-app", password: unknown.string }];
            props.tags = { team: unknown.string };
            break;
        case 11:
            props.hostInstanceType = "mq.t3.micro";
            props.storageType = rabbit ? undefined : "ebs";
            if (props.storageType === undefined) {
                delete props.storageType;
            }
            break;
        default:
            break;
    }
    return props;
}

/** The `n` brokers sent to Analyze. */
export function analyzeBrokers(n: number): AnalyzerResourceInput[] {
    const result: AnalyzerResourceInput[] = [];
    for (let i = 0; i < n; i++) {
        const props = brokerProps(i);
        const name = `orders-broker-${i}`;
        result.push({ urn: urn(TYPES.broker, name), type: TYPES.broker, name, properties: props, provider });
    }
    return result;
}

function resource(
    type: string,
    name: string,
    properties: Record<string, unknown>,
    feeds: Record<string, AnalyzerResourceInput[]> = {},
): AnalyzerResourceInput {
    const propertyDependencies: Record<string, string[]> = {};
    const dependencies = new Set<string>();
    for (const [input, sources] of Object.entries(feeds)) {
        propertyDependencies[input] = sources.map(s => s.urn);
        sources.forEach(s => dependencies.add(s.urn));
    }
    return {
        urn: urn(type, name), type, name, properties, provider,
        dependencies: [...dependencies], propertyDependencies,
    };
}

/** Ten resources per broker: the broker, its KMS key and alias, security group, two rules, two subnets, password, secret version. */
export const RESOURCES_PER_BROKER = 10;

/** A stack of `brokers` * 10 resources, outputs as after an update. */
export function syntheticStack(brokers: number): AnalyzerResourceInput[] {
    const stack: AnalyzerResourceInput[] = [];
    const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    for (let i = 0; i < brokers; i++) {
        const base = `orders-${i}`;
        const keyId = `${hex(i, 8)}-12ab-34cd-56ef-1234567890ab`;
        const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`;
        const key = resource(TYPES.key, `${base}-key`, {
            arn: keyArn, keyId, keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            isEnabled: true, enableKeyRotation: i % 10 !== 4, deletionWindowInDays: i % 10 === 6 ? 7 : 30,
            description: `orders broker ${i} key`, multiRegion: false, bypassPolicyLockoutSafetyCheck: false,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }] }),
            tags: { team: "payments" }, tagsAll: { team: "payments", environment: "prod" },
        });
        const alias = resource(TYPES.alias, `${base}-alias`, {
            name: `alias/${base}`, arn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/${base}`,
            targetKeyId: keyId, targetKeyArn: keyArn,
        }, { targetKeyId: [key] });
        const vpcId = `vpc-${hex(i % 7, 17)}`;
        const sg = resource(TYPES.securityGroup, `${base}-sg`, {
            id: `sg-${hex(i, 17)}`, arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-${hex(i, 17)}`,
            name: `${base}-sg`, description: "Amazon MQ broker", vpcId, revokeRulesOnDelete: false,
            ingress: [], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], self: false, description: "" }],
            tags: { team: "payments" }, tagsAll: { team: "payments", environment: "prod" },
        });
        const rule = resource(TYPES.securityGroupRule, `${base}-amqps`, {
            type: "ingress", protocol: "tcp", fromPort: 5671, toPort: 5671,
            cidrBlocks: [i % 20 === 13 ? "0.0.0.0/0" : "10.0.0.0/16"], securityGroupId: `sg-${hex(i, 17)}`,
            description: "AMQPS from the VPC",
        }, { securityGroupId: [sg] });
        const ingress = resource(TYPES.ingressRule, `${base}-console`, {
            ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", securityGroupId: `sg-${hex(i, 17)}`,
            arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group-rule/sgr-${hex(i, 17)}`,
        }, { securityGroupId: [sg] });
        const subnets = [0, 1].map(k => resource(TYPES.subnet, `${base}-subnet-${k}`, {
            id: `subnet-${hex(i * 2 + k, 17)}`, vpcId, cidrBlock: `10.${i % 250}.${k * 16}.0/20`,
            availabilityZone: i % 15 === 8 ? zones[0] : zones[k], availabilityZoneId: `use1-az${k + 1}`,
            mapPublicIpOnLaunch: false, tags: { team: "payments" },
        }));
        const pw = resource(TYPES.randomPassword, `${base}-password`, {
            length: 32, special: false, upper: true, lower: true, numeric: true, minLower: 0, minUpper: 0,
            result: secret(password(i, "stack")), bcryptHash: secret(`$2a$10$${password(i, "hash")}`),
        });
        const version = resource(TYPES.secretVersion, `${base}-password`, {
            arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${base}-AbCdEf`,
            secretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${base}-AbCdEf`,
            secretString: secret(password(i, "stack")), versionId: `v-${hex(i, 12)}`, versionStages: ["AWSCURRENT"],
        }, { secretString: [pw] });
        // Outputs after an update: no unknowns (the preview variant takes its neighbour's known values).
        const props = brokerProps(i % 12 === 9 ? i + 1 : i);
        if (i % 12 === 9) {
            props.brokerName = `orders-${String(props.engineType).toLowerCase()}-${i}`;
        }
        props.securityGroups = [`sg-${hex(i, 17)}`];
        props.subnetIds = (props.deploymentMode === "SINGLE_INSTANCE" ? subnets.slice(0, 1) : subnets)
            .map(s => s.properties.id);
        Object.assign(props, {
            arn: `arn:aws:mq:us-east-1:${ACCOUNT}:broker:${base}:b-${hex(i, 8)}`,
            id: `b-${hex(i, 8)}-1234-5678-9abc-def012345678`,
            instances: [{ consoleUrl: `https://b-${hex(i, 8)}.mq.us-east-1.amazonaws.com:8162`, ipAddress: "", endpoints: [`amqps://b-${hex(i, 8)}.mq.us-east-1.amazonaws.com:5671`] }],
        });
        if (i % 12 !== 7) {
            // Passwords from the secret version, as `users: [{ password: version.secretString }]` sends them.
            props.users = (props.users as Array<Record<string, unknown>>).map(u => ({ ...u, password: secret(password(i, "stack")) }));
        }
        const feeds: Record<string, AnalyzerResourceInput[]> = {
            encryptionOptions: [i % 3 === 0 ? key : alias],
            securityGroups: [sg],
            subnetIds: subnets,
        };
        if (i % 12 !== 7) {
            feeds.users = [version];
        }
        const broker = resource(TYPES.broker, `${base}-broker`, props, feeds);
        stack.push(key, alias, sg, rule, ingress, ...subnets, pw, version, broker);
    }
    return stack;
}

/**
 * A stack with no broker at all, as most stacks of an organization are: the 9 other resources of each broker
 * group of syntheticStack (keys, aliases, security groups and rules, subnets, passwords, secret versions),
 * without the brokers. `groups` * 9 resources.
 */
export function noBrokerStack(groups: number): AnalyzerResourceInput[] {
    return syntheticStack(groups).filter(r => r.type !== TYPES.broker);
}
