// Facts about aws.mq.Broker shared by the policies: its type token, engine detection and the HA modes.
import { PlainObject, readEnum, UNKNOWN, Unknown } from "./values";

export const BROKER_TYPE = "aws:mq/broker:Broker";

/**
 * The resource types every policy of the pack judges as a broker. One type today: the SDK's fast path
 * (`__pulumiType`, see policy.ts `typedFor`) then answers not-applicable for every other resource without
 * decoding it. Adding a type (aws-native's broker) keeps the policy names but gives that fast path up, since
 * the SDK's marker holds one type (BENCHMARKS.md measures the cost).
 */
export const BROKER_TYPES: readonly string[] = [BROKER_TYPE];

export type Engine = "ActiveMQ" | "RabbitMQ";

/** The engine, compared case-insensitively (the provider accepts `activemq`, `RABBITMQ`, ...). */
export function engineOf(broker: PlainObject): Engine | undefined | Unknown {
    const engine = readEnum(broker, "engineType");
    if (engine === UNKNOWN) {
        return UNKNOWN;
    }
    if (engine === "ACTIVEMQ") {
        return "ActiveMQ";
    }
    if (engine === "RABBITMQ") {
        return "RabbitMQ";
    }
    return undefined;
}

/** The deployment mode each engine needs for high availability. */
export const HA_DEPLOYMENT_MODE: Record<Engine, string> = {
    ActiveMQ: "ACTIVE_STANDBY_MULTI_AZ",
    RabbitMQ: "CLUSTER_MULTI_AZ",
};

/** `deploymentMode` defaults to SINGLE_INSTANCE when absent. */
export const DEFAULT_DEPLOYMENT_MODE = "SINGLE_INSTANCE";

/** The engine's name for a message, or a neutral phrase when it is not known. */
export function displayEngine(engine: Engine | undefined | Unknown): string {
    return typeof engine === "string" ? engine : "this engine";
}
