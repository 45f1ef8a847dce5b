// An INSECURE Amazon MQ for ActiveMQ broker, to show what aws-mq-guardrails reports: every line marked
// "finding" is one the pack flags. See Pulumi.yaml for the list. Do not deploy it.
import * as aws from "@pulumi/aws";

const region = aws.config.region ?? "us-east-1";

const vpc = new aws.ec2.Vpc("sandbox-vpc", { cidrBlock: "10.99.0.0/16" });

const subnet = new aws.ec2.Subnet("sandbox-public", {
    vpcId: vpc.id,
    availabilityZone: `${region}a`,
    cidrBlock: "10.99.1.0/24",
    mapPublicIpOnLaunch: true,
});

const securityGroup = new aws.ec2.SecurityGroup("orders-sandbox", {
    vpcId: vpc.id,
    description: "orders sandbox broker",
    ingress: [
        // finding: broker ports open to the world (mq-stack-network-exposure)
        { description: "OpenWire", protocol: "tcp", fromPort: 61617, toPort: 61617, cidrBlocks: ["0.0.0.0/0"] },
        { description: "web console", protocol: "tcp", fromPort: 8162, toPort: 8162, cidrBlocks: ["0.0.0.0/0"] },
    ],
});

new aws.mq.Broker("orders-sandbox", {
    brokerName: "orders-oncall-202-555-0143",       // finding: a phone number in the name (mq-broker-safe-naming)
    engineType: "ActiveMQ",
    engineVersion: "5.17.6",                         // finding: past end of support (mq-broker-engine-version)
    hostInstanceType: "mq.t3.micro",                 // finding: test-only size (mq-broker-instance-type)
    deploymentMode: "SINGLE_INSTANCE",               // finding: no standby (mq-broker-high-availability)
    publiclyAccessible: true,                        // finding: mq-broker-no-public-access
    subnetIds: [subnet.id],
    securityGroups: [securityGroup.id],
    encryptionOptions: { useAwsOwnedKey: true },     // finding: AWS owned key (mq-broker-kms-encryption)
    autoMinorVersionUpgrade: false,                  // finding: mq-broker-auto-minor-version-upgrade
    // finding: no logs block, so no general or audit logs (mq-broker-logging)
    users: [{
        username: "admin",
        // finding: a well-known, hard-coded password (mq-broker-user-credentials, mq-stack-secret-backed-users)
        password: "brokerpassword",
        consoleAccess: true,
    }],
    tags: { owner: "jane.doe@example.com" },         // finding: an e-mail address in a tag (mq-broker-safe-naming)
});
