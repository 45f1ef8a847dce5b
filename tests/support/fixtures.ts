// Golden compliant brokers, one per engine. Each failing test starts from one of these and changes one
// property, so the test names the single rule it exercises.
import type { BrokerArgs, BrokerState } from "@pulumi/aws/mq";
import type { Unwrap } from "@pulumi/pulumi";
import { passwordsSeen } from "./runtime";

/** Broker inputs as a Pulumi program writes them (unwrapped), open to wrong types for robustness tests. */
export type BrokerInputs = Partial<Unwrap<BrokerArgs>> & Record<string, unknown>;

/** Passwords used by the fixtures; registered so the pack-wide spec can prove no message shows one. */
export const passwords = {
    activeAdmin: "Vq7tRw2pLx9mZk4sNb6c",
    activeApp: "Hy3uJd8fKe5wQa1zXr7g",
    rabbitApp: "Tn4bWc9xMv2kPs6yLq8e",
};
Object.values(passwords).forEach(p => passwordsSeen.add(p));

export const CUSTOMER_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

export function compliantActiveMq(): BrokerInputs {
    return {
        brokerName: "orders-activemq",
        engineType: "ActiveMQ",
        engineVersion: "5.18",
        hostInstanceType: "mq.m5.large",
        deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
        storageType: "efs",
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        securityGroups: ["sg-0123456789abcdef0"],
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: CUSTOMER_KEY_ARN },
        logs: { general: true, audit: true },
        users: [
            { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true, groups: ["admins"] },
            { username: "orders-app", password: passwords.activeApp },
        ],
        tags: { team: "payments", environment: "prod" },
    };
}

export function compliantRabbitMq(): BrokerInputs {
    return {
        brokerName: "orders-rabbitmq",
        engineType: "RabbitMQ",
        engineVersion: "3.13",
        hostInstanceType: "mq.m5.large",
        deploymentMode: "CLUSTER_MULTI_AZ",
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
        securityGroups: ["sg-0123456789abcdef0"],
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: CUSTOMER_KEY_ARN },
        logs: { general: true },
        users: [{ username: "orders-app", password: passwords.rabbitApp }],
        tags: { team: "payments", environment: "prod" },
    };
}

/**
 * A change to a broker: property names are checked against the provider's inputs and state (outputs such
 * as tagsAll appear in a stack's resources), values are open (unknowns, wrong types).
 */
export type BrokerChange = { [K in keyof Unwrap<BrokerArgs> | keyof Unwrap<BrokerState>]?: unknown };

/** A golden broker with one change; `undefined` removes the property (absent, so the default applies). */
export function withChange(base: BrokerInputs, change: BrokerChange): BrokerInputs {
    const result = { ...base, ...change } as BrokerInputs;
    for (const [key, value] of Object.entries(change)) {
        if (value === undefined) {
            delete result[key];
        }
    }
    return result;
}
