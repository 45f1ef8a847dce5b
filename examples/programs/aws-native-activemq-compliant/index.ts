// A compliant Amazon MQ for ActiveMQ active/standby broker declared with @pulumi/aws-native (the Cloud Control
// provider): every aws-mq-guardrails policy passes. See Pulumi.yaml for what each part shows. Only resources,
// no data source reads: it previews offline.
import * as native from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

const config = new pulumi.Config();
const region = new pulumi.Config("aws-native").get("region") ?? "us-east-1";
// An active/standby broker runs its two instances in two different zones: one subnet in each.
const zones = config.getObject<string[]>("availabilityZones") ?? [`${region}a`, `${region}b`];
if (zones.length !== 2 || new Set(zones).size !== 2) {
    throw new Error("availabilityZones: give exactly two different zones for an ACTIVE_STANDBY_MULTI_AZ broker");
}

const stack = pulumi.getStack();
// aws-native takes tags as a list of { key, value }.
const tags = [{ key: "team", value: "payments" }, { key: "service", value: "orders" }, { key: "environment", value: stack }];
const vpcCidr = "10.30.0.0/16";
// Where the broker's clients are: the VPC by default.
const clientCidr = config.get("clientCidr") ?? vpcCidr;

const vpc = new native.ec2.Vpc("orders-vpc", {
    cidrBlock: vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: [...tags, { key: "Name", value: "orders-vpc" }],
});

const subnets = zones.map((zone, i) => new native.ec2.Subnet(`orders-private-${i + 1}`, {
    vpcId: vpc.vpcId,
    availabilityZone: zone,
    cidrBlock: `10.30.${i + 1}.0/24`,
    mapPublicIpOnLaunch: false,
    tags: [...tags, { key: "Name", value: `orders-private-${zone}` }, { key: "tier", value: "private" }],
}));

// OpenWire over TLS and the web console from the clients only (inline rules, aws-native's
// securityGroupIngress).
const securityGroup = new native.ec2.SecurityGroup("orders-mq", {
    vpcId: vpc.vpcId,
    groupDescription: "Amazon MQ orders broker: its clients only",
    securityGroupIngress: [
        { description: "OpenWire over TLS from the clients", ipProtocol: "tcp", fromPort: 61617, toPort: 61617, cidrIp: clientCidr },
        { description: "ActiveMQ web console from the clients", ipProtocol: "tcp", fromPort: 8162, toPort: 8162, cidrIp: clientCidr },
    ],
    tags,
});

// A customer managed key with rotation on and a 30-day deletion window.
const key = new native.kms.Key("orders-mq-key", {
    description: "Encrypts the orders Amazon MQ broker and its credentials",
    enableKeyRotation: true,
    pendingWindowInDays: 30,
    tags,
});

// One generated password per user, also kept in Secrets Manager (encrypted with the same key) for the
// applications that connect; the broker takes the generated value (a secret source for
// mq-stack-secret-backed-users).
function credential(user: string): pulumi.Output<string> {
    const password = new random.RandomPassword(`orders-${user}-password`, {
        length: 32,
        special: true,
        // Amazon MQ refuses commas, colons and equal signs in passwords.
        overrideSpecial: "!#$%&*()-_+[]{}<>?",
    });
    new native.secretsmanager.Secret(`orders-${user}-credentials`, {
        description: `Amazon MQ password of orders-${user}`,
        kmsKeyId: key.arn,
        secretString: password.result,
        tags,
    });
    return password.result;
}

// A broker configuration that grants each group only its destinations (mq-configuration-least-privilege);
// no credentials in it (mq-configuration-no-embedded-credentials).
const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<broker xmlns="http://activemq.apache.org/schema/core">
  <plugins>
    <authorizationPlugin>
      <map>
        <authorizationMap>
          <authorizationEntries>
            <authorizationEntry queue="orders.&gt;" read="consumers,admins" write="producers,admins" admin="admins,activemq-webconsole"/>
            <authorizationEntry topic="ActiveMQ.Advisory.&gt;" read="consumers,producers,admins" write="consumers,producers,admins" admin="consumers,producers,admins,activemq-webconsole"/>
          </authorizationEntries>
        </authorizationMap>
      </map>
    </authorizationPlugin>
  </plugins>
</broker>
`;

const configuration = new native.amazonmq.Configuration("orders-activemq-config", {
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    authenticationStrategy: "SIMPLE",
    description: "orders broker: least-privilege authorization",
    // aws-native takes the configuration as base64.
    data: Buffer.from(xml, "utf8").toString("base64"),
    tags,
});

const broker = new native.amazonmq.Broker("orders", {
    brokerName: `orders-${stack}`,
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    hostInstanceType: "mq.m5.large",
    deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    storageType: "EFS",
    publiclyAccessible: false,
    authenticationStrategy: "SIMPLE",
    configuration: { id: configuration.awsId, revision: configuration.revision.apply(Number) },
    subnetIds: subnets.map(s => s.subnetId),
    securityGroups: [securityGroup.groupId],
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
