// A compliant Amazon MQ for ActiveMQ active/standby broker: every aws-mq-guardrails policy passes.
// See Pulumi.yaml for what each part shows. Only resources, no data source reads: it previews offline.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

const config = new pulumi.Config();
const region = aws.config.region ?? "us-east-1";
// An active/standby broker runs its two instances in two different zones: one subnet in each.
const zones = config.getObject<string[]>("availabilityZones") ?? [`${region}a`, `${region}b`];
if (zones.length !== 2 || new Set(zones).size !== 2) {
    throw new Error("availabilityZones: give exactly two different zones for an ACTIVE_STANDBY_MULTI_AZ broker");
}

const stack = pulumi.getStack();
const tags = { team: "payments", service: "orders", environment: stack };
const vpcCidr = "10.20.0.0/16";

const vpc = new aws.ec2.Vpc("orders-vpc", {
    cidrBlock: vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { ...tags, Name: "orders-vpc" },
});

const subnets = zones.map((zone, i) => new aws.ec2.Subnet(`orders-private-${i + 1}`, {
    vpcId: vpc.id,
    availabilityZone: zone,
    cidrBlock: `10.20.${i + 1}.0/24`,
    mapPublicIpOnLaunch: false,
    tags: { ...tags, Name: `orders-private-${zone}`, tier: "private" },
}));

// Clients inside the VPC only: OpenWire over TLS and the web console.
const securityGroup = new aws.ec2.SecurityGroup("orders-mq", {
    vpcId: vpc.id,
    description: "Amazon MQ orders broker: clients inside the VPC only",
    ingress: [
        { description: "OpenWire over TLS from the VPC", protocol: "tcp", fromPort: 61617, toPort: 61617, cidrBlocks: [vpcCidr] },
        { description: "ActiveMQ web console from the VPC", protocol: "tcp", fromPort: 8162, toPort: 8162, cidrBlocks: [vpcCidr] },
    ],
    tags,
});

// A customer managed key: the organization controls its policy, rotation and deletion.
const key = new aws.kms.Key("orders-mq-key", {
    description: "Encrypts the orders Amazon MQ broker and its credentials",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    tags,
});

// One generated password per user, kept in Secrets Manager (encrypted with the same key); the broker
// reads it from the secret version, so the dependency is visible to the policies.
function credential(user: string): pulumi.Output<string> {
    const password = new random.RandomPassword(`orders-${user}-password`, {
        length: 32,
        special: true,
        // Amazon MQ refuses commas, colons and equal signs in passwords.
        overrideSpecial: "!#$%&*()-_+[]{}<>?",
    });
    const secret = new aws.secretsmanager.Secret(`orders-${user}-credentials`, {
        description: `Amazon MQ password of orders-${user}`,
        kmsKeyId: key.arn,
        tags,
    });
    const version = new aws.secretsmanager.SecretVersion(`orders-${user}-credentials`, {
        secretId: secret.id,
        secretString: password.result,
    });
    // secretString is typed optional (a version may hold secretBinary instead); this one holds a string.
    return version.secretString as pulumi.Output<string>;
}

const broker = new aws.mq.Broker("orders", {
    brokerName: `orders-${stack}`,
    engineType: "ActiveMQ",
    engineVersion: "5.18",
    hostInstanceType: "mq.m5.large",
    deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    storageType: "efs",
    publiclyAccessible: false,
    subnetIds: subnets.map(s => s.id),
    securityGroups: [securityGroup.id],
    encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: key.arn },
    autoMinorVersionUpgrade: true,
    maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "03:00", timeZone: "UTC" },
    logs: { general: true, audit: true },
    users: [
        { username: "orders-admin", password: credential("admin"), consoleAccess: true, groups: ["admins"] },
        { username: "orders-app", password: credential("app"), groups: ["producers", "consumers"] },
    ],
    tags,
});

export const brokerArn = broker.arn;
