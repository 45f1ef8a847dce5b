// Facts about aws.mq.Broker shared by the policies: its type token, engine detection and the HA modes.
import { NATIVE_TYPES } from "./aws-native";
import { PlainObject, readEnum, UNKNOWN, Unknown } from "./values";

export const BROKER_TYPE = "aws:mq/broker:Broker";

/**
 * The resource types every broker policy judges: `@pulumi/aws`'s and `@pulumi/aws-native`'s, under the same
 * policy names (aws-native's through the view in aws-native.ts). Two types cost the SDK's one-type fast path
 * (`__pulumiType`, see policy.ts `typedFor`): BENCHMARKS.md measures that cost on stacks without a broker.
 */
export const BROKER_TYPES: readonly string[] = [BROKER_TYPE, NATIVE_TYPES.broker];

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
