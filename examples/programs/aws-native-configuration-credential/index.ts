// An Amazon MQ for ActiveMQ active/standby broker declared with @pulumi/aws-native (the Cloud Control
// provider), compliant in every way but one: its broker configuration builds a network connector URI with
// the bridge user's password in it. See Pulumi.yaml. Only resources, no data source reads: it previews
// offline.
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
// The broker in the disaster-recovery region this one connects to, and the password of the user it
// connects as there.
const peer = config.get("peerEndpoint") ?? "b-3e8a41c7-92d5-4f6b-8c1e-7d4a9b2f5e60-1.mq.us-west-2.amazonaws.com:61617";
const bridgePassword = config.requireSecret("bridgePassword");

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
// applications that connect.
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

// THE FINDING (mq-configuration-no-embedded-credentials on the configuration, mq-stack-broker-configuration
// on the broker): the bridge user's password goes into the network connector URI. A Pulumi secret does
// not help: the configuration's data is stored by Amazon MQ in every revision and shown in its console.
// The fix: add a user orders-bridge to this broker's users with that password, and give the
// networkConnector userName="orders-bridge" and a URI without credentials: Amazon MQ adds the password of
// the broker user of that name at runtime.
const xml = pulumi.interpolate`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
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
  <networkConnectors>
    <networkConnector name="orders-to-dr" duplex="true" networkTTL="2" uri="static:(ssl://orders-bridge:${bridgePassword}@${peer})"/>
  </networkConnectors>
</broker>
`;

const configuration = new native.amazonmq.Configuration("orders-activemq-config", {
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    authenticationStrategy: "SIMPLE",
    description: "orders broker: network of brokers to the disaster-recovery region",
    // aws-native takes the configuration as base64.
    data: xml.apply(text => Buffer.from(text, "utf8").toString("base64")),
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
