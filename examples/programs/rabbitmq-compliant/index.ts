// A compliant Amazon MQ for RabbitMQ cluster: every aws-mq-guardrails policy passes.
// See Pulumi.yaml for what each part shows. Only resources, no data source reads: it previews offline.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

const config = new pulumi.Config();
const region = aws.config.region ?? "us-east-1";
// A cluster spreads its three nodes over the zones of its subnets: one subnet per zone, two or three zones.
const zones = config.getObject<string[]>("availabilityZones") ?? [`${region}a`, `${region}b`, `${region}c`];
if (zones.length < 2 || zones.length > 3 || new Set(zones).size !== zones.length) {
    throw new Error("availabilityZones: give two or three different zones for a CLUSTER_MULTI_AZ broker");
}

const stack = pulumi.getStack();
const tags = { team: "platform", service: "events", environment: stack };
const vpcCidr = "10.30.0.0/16";

const vpc = new aws.ec2.Vpc("events-vpc", {
    cidrBlock: vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { ...tags, Name: "events-vpc" },
});

const subnets = zones.map((zone, i) => new aws.ec2.Subnet(`events-private-${i + 1}`, {
    vpcId: vpc.id,
    availabilityZone: zone,
    cidrBlock: `10.30.${i + 1}.0/24`,
    mapPublicIpOnLaunch: false,
    tags: { ...tags, Name: `events-private-${zone}`, tier: "private" },
}));

// Clients inside the VPC only: AMQP over TLS and the management console (HTTPS).
const securityGroup = new aws.ec2.SecurityGroup("events-mq", {
    vpcId: vpc.id,
    description: "Amazon MQ events broker: clients inside the VPC only",
    ingress: [
        { description: "AMQP over TLS from the VPC", protocol: "tcp", fromPort: 5671, toPort: 5671, cidrBlocks: [vpcCidr] },
        { description: "RabbitMQ management console from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [vpcCidr] },
    ],
    tags,
});

// A customer managed key: the organization controls its policy, rotation and deletion.
const key = new aws.kms.Key("events-mq-key", {
    description: "Encrypts the events Amazon MQ broker and its credentials",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    tags,
});

// A generated password kept in Secrets Manager (encrypted with the same key); the broker reads it from the
// secret version, so the dependency is visible to the policies.
const password = new random.RandomPassword("events-app-password", {
    length: 32,
    special: true,
    // Amazon MQ refuses commas, colons and equal signs in passwords.
    overrideSpecial: "!#$%&*()-_+[]{}<>?",
});
const secret = new aws.secretsmanager.Secret("events-app-credentials", {
    description: "Amazon MQ password of events-app",
    kmsKeyId: key.arn,
    tags,
});
const stored = new aws.secretsmanager.SecretVersion("events-app-credentials", {
    secretId: secret.id,
    secretString: password.result,
});

const broker = new aws.mq.Broker("events", {
    brokerName: `events-${stack}`,
    engineType: "RabbitMQ",
    engineVersion: "3.13",
    hostInstanceType: "mq.m5.large",
    deploymentMode: "CLUSTER_MULTI_AZ",
    publiclyAccessible: false,
    subnetIds: subnets.map(s => s.id),
    securityGroups: [securityGroup.id],
    encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: key.arn },
    autoMinorVersionUpgrade: true,
    maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "04:00", timeZone: "UTC" },
    logs: { general: true },
    // secretString is typed optional (a version may hold secretBinary instead); this one holds a string.
    users: [{ username: "events-app", password: stored.secretString as pulumi.Output<string> }],
    tags,
});

export const brokerArn = broker.arn;
