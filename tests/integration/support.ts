// What the integration specs share: the pack directory (the repository root, whose package.json `main` is the
// compiled dist/index.js that `npm test` builds first), brokers and stacks in the engine's wire format, and the
// minimal violating input of every policy, keyed by policy name.
import * as assert from "assert";
import * as path from "path";
import type { AnalyzerResourceInput, PackSession, StackIdentity } from "../../engine/session";
import { livePackPids, startPack } from "../../engine/session";
import { policies } from "../../policies";
import { BROKER_TYPE } from "../../policies/lib/broker";
import { CONFIGURATION_TYPE } from "../../policies/lib/configuration-facts";
import { BrokerInputs, compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { activeMqConfiguration as goldenActiveMqConfiguration } from "../support/native";
import { closeAfterRoot } from "../support/root-hooks";
import { testPassword } from "../support/runtime";

export const PACK_DIR = path.resolve(__dirname, "../..");
 
export const PACK_VERSION: string = require("../../package.json").version;
export const PACK_NAME = "aws-mq-guardrails";

export const STACK: StackIdentity = { name: "prod", project: "messaging", organization: "acme" };

export function urnOf(type: string, name: string, stack = STACK.name, project = STACK.project): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

export const AWS_PROVIDER = {
    urn: urnOf("pulumi:providers:aws", "default_7_48_0"),
    type: "pulumi:providers:aws",
    name: "default_7_48_0",
    properties: { region: "us-east-1", version: "7.48.0" },
};

/** A broker as the engine sends it to Analyze: its inputs, with the provider it belongs to. */
export function broker(name: string, properties: Record<string, unknown>, extra: Partial<AnalyzerResourceInput> = {}): AnalyzerResourceInput {
    return { urn: urnOf(BROKER_TYPE, name), type: BROKER_TYPE, name, properties, provider: AWS_PROVIDER, ...extra };
}

export function resource(type: string, name: string, properties: Record<string, unknown>, extra: Partial<AnalyzerResourceInput> = {}): AnalyzerResourceInput {
    return { urn: urnOf(type, name), type, name, properties, provider: AWS_PROVIDER, ...extra };
}

/** A minimal broker input that violates each resource policy (and, as far as possible, only that one rule). */
export const violatingBrokers: Record<string, () => BrokerInputs> = {
    "mq-broker-high-availability": () => withChange(compliantActiveMq(), { deploymentMode: "SINGLE_INSTANCE" }),
    "mq-broker-kms-encryption": () => withChange(compliantActiveMq(), { encryptionOptions: { useAwsOwnedKey: true } }),
    "mq-broker-no-public-access": () => withChange(compliantActiveMq(), { publiclyAccessible: true }),
    "mq-broker-user-credentials": () => withChange(compliantActiveMq(), {
        users: [{ username: "orders-admin", password: testPassword("changeme"), consoleAccess: true, groups: ["admins"] }],
    }),
    "mq-broker-safe-naming": () => withChange(compliantActiveMq(), { brokerName: "orders-jane.doe@example.com" }),
    "mq-broker-logging": () => withChange(compliantActiveMq(), { logs: { general: false, audit: false } }),
    "mq-broker-engine-version": () => withChange(compliantActiveMq(), { engineVersion: "5.15" }),
    "mq-broker-auto-minor-version-upgrade": () => withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false }),
    "mq-broker-instance-type": () => withChange(compliantActiveMq(), { hostInstanceType: "mq.t2.micro" }),
    "mq-broker-durable-storage": () => withChange(compliantActiveMq(), { deploymentMode: "SINGLE_INSTANCE", storageType: "ebs", subnetIds: ["subnet-0a1b2c3d4e5f60001"] }),
    "mq-broker-required-tags": () => withChange(compliantActiveMq(), { tags: undefined }),
    // The golden broker uses the default SIMPLE authentication; the policy is opt-in (disabled by default).
    "mq-broker-ldap-authentication": () => withChange(compliantActiveMq(), { authenticationStrategy: "SIMPLE" }),
};

/** The golden ActiveMQ configuration (tests/support/native.ts) as the engine reports it, with `data` replaced. */
function activeMqConfiguration(data?: string): Record<string, unknown> {
    return { ...goldenActiveMqConfiguration(data), arn: "arn:aws:mq:us-east-1:111122223333:configuration:c-5e0b7d2a" };
}

/** A minimal configuration (aws:mq/configuration:Configuration inputs) that violates each configuration policy. */
export const violatingConfigurations: Record<string, () => Record<string, unknown>> = {
    "mq-configuration-no-embedded-credentials": () => activeMqConfiguration(String(activeMqConfiguration().data)
        .replace("ssl://b-1", `ssl://orders-bridge:${testPassword("Qx7vN2pLr9TfWc4Hs8Ke")}@b-1`)),
    "mq-configuration-valid-data": () => activeMqConfiguration("<beans/>"),
    "mq-configuration-least-privilege": () => activeMqConfiguration(
        '<broker xmlns="http://activemq.apache.org/schema/core"><plugins><statisticsBrokerPlugin/></plugins></broker>'),
};

/** The violating resource of each resource policy, named `name`: a broker, or a configuration for the configuration policies. */
export function violatingResource(policy: string, name: string): AnalyzerResourceInput | undefined {
    if (violatingConfigurations[policy]) {
        return resource(CONFIGURATION_TYPE, name, violatingConfigurations[policy]());
    }
    return violatingBrokers[policy] ? broker(name, violatingBrokers[policy]()) : undefined;
}

const KEY_TYPE = "aws:kms/key:Key";
const SG_TYPE = "aws:ec2/securityGroup:SecurityGroup";
const SUBNET_TYPE = "aws:ec2/subnet:Subnet";

/** A stack (resources with their outputs) that violates each stack policy; the first URN is the offender's broker. */
export const violatingStacks: Record<string, (prefix: string) => AnalyzerResourceInput[]> = {
    "mq-stack-kms-key-hygiene": prefix => {
        const key = resource(KEY_TYPE, `${prefix}-key`, {
            arn: `arn:aws:kms:us-east-1:111122223333:key/${prefix}-0000`, keyId: `${prefix}-0000`,
            enableKeyRotation: false, isEnabled: true, keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT", keySpec: "SYMMETRIC_DEFAULT", deletionWindowInDays: 30,
        });
        const b = broker(`${prefix}-broker`, {
            ...compliantActiveMq(), brokerName: `${prefix}-broker`,
            encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: key.properties.arn },
        }, { dependencies: [key.urn], propertyDependencies: { encryptionOptions: [key.urn] } });
        return [b, key];
    },
    "mq-stack-secret-backed-users": prefix => [
        broker(`${prefix}-broker`, { ...compliantRabbitMq(), brokerName: `${prefix}-broker` }),
    ],
    "mq-stack-network-exposure": prefix => {
        const sg = resource(SG_TYPE, `${prefix}-sg`, {
            id: `sg-${prefix}`, name: `${prefix}-sg`, vpcId: "vpc-0123456789abcdef0",
            ingress: [{ protocol: "tcp", fromPort: 5671, toPort: 5671, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: [], securityGroups: [], self: false }],
            egress: [],
        });
        const b = broker(`${prefix}-broker`, {
            ...compliantRabbitMq(), brokerName: `${prefix}-broker`, securityGroups: [`sg-${prefix}`],
        }, { dependencies: [sg.urn], propertyDependencies: { securityGroups: [sg.urn] } });
        return [b, sg];
    },
    "mq-stack-multi-az-subnets": prefix => {
        const subnets = [1, 2].map(i => resource(SUBNET_TYPE, `${prefix}-subnet-${i}`, {
            id: `subnet-${prefix}-${i}`, availabilityZone: "us-east-1a", availabilityZoneId: "use1-az1",
            cidrBlock: `10.0.${i}.0/24`, vpcId: "vpc-0123456789abcdef0",
        }));
        const b = broker(`${prefix}-broker`, {
            ...compliantActiveMq(), brokerName: `${prefix}-broker`, subnetIds: subnets.map(s => s.properties.id),
        }, { dependencies: subnets.map(s => s.urn), propertyDependencies: { subnetIds: subnets.map(s => s.urn) } });
        return [b, ...subnets];
    },
    // The default aws provider (AWS_PROVIDER) does not set useFipsEndpoint.
    "mq-stack-fips-endpoints": prefix => [
        broker(`${prefix}-broker`, { ...compliantActiveMq(), brokerName: `${prefix}-broker` }),
    ],
    // A broker whose configuration is for another engine (found by the configuration's id, and its dependency).
    "mq-stack-broker-configuration": prefix => {
        const config = resource(CONFIGURATION_TYPE, `${prefix}-config`, {
            ...activeMqConfiguration(), engineType: "RabbitMQ", engineVersion: "3.13", authenticationStrategy: undefined,
            id: `c-${prefix}`, data: "consumer_timeout = 1800000\n",
        });
        const b = broker(`${prefix}-broker`, {
            ...compliantActiveMq(), brokerName: `${prefix}-broker`, engineVersion: "5.18", configuration: { id: `c-${prefix}`, revision: 2 },
        }, { dependencies: [config.urn], propertyDependencies: { configuration: [config.urn] } });
        return [b, config];
    },
    "mq-stack-unique-broker-names": prefix => [
        broker(`${prefix}-broker-a`, { ...compliantActiveMq(), brokerName: `${prefix}-shared` }),
        broker(`${prefix}-broker-b`, { ...compliantRabbitMq(), brokerName: `${prefix}-shared` }),
    ],
};

/** The shared session's pack, once booted (see sharedSession). */
let sharedPid: number | undefined;

/** Proves no pack process is left running, but the shared session's (closed by the root hooks: closeAfterRoot). */
export function assertNoPackLeft(): void {
    assert.deepStrictEqual(livePackPids().filter(pid => pid !== sharedPid), [], "no pack process is left running");
}

/** Closes a session (if it started) and proves its process is gone: no test leaves a pack behind. */
export async function closeAndCheck(session: PackSession | undefined): Promise<void> {
    if (!session) {
        return;
    }
    await session.close();
    assert.throws(() => process.kill(session.pid, 0), /ESRCH/, `pack process ${session.pid} is gone`);
    assertNoPackLeft();
}

/** The policies disabled by default, which the shared session switches on as advisory. */
export const enabledByConfig = policies.filter(p => p.enforcementLevel === "disabled").map(p => p.name);

let shared: Promise<PackSession> | undefined;

/**
 * One pack, booted once for every spec that runs the default stack with every policy on (the ones disabled by
 * default as advisory): a boot costs seconds, a call milliseconds. Closed, and checked gone, after the run
 * (after each spec file that used it, in parallel mode).
 */
export function sharedSession(): Promise<PackSession> {
    shared = shared ?? startPack({
        packDir: PACK_DIR,
        stack: STACK,
        policyConfig: Object.fromEntries(enabledByConfig.map(name => [name, { enforcementLevel: "advisory" as const }])),
    }).then(session => {
        sharedPid = session.pid;
        return session;
    });
    return shared;
}

// After the run (serial mode), or after each spec file in each worker (parallel mode; a module-level `after` would
// be registered once per worker, on its first file only): the shared pack is closed and checked gone, and the next
// file of that worker that asks for it boots its own.
closeAfterRoot(async () => {
    const session = shared && await shared.catch(() => undefined);
    shared = undefined;
    sharedPid = undefined;
    await closeAndCheck(session);
});
