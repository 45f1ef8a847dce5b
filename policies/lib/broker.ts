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

/**
 * The engine, compared case-insensitively (the provider accepts `activemq`, `RABBITMQ`, ...): terraform-provider-aws,
 * which @pulumi/aws bridges, validates `engine_type` with `enum.ValidateIgnoreCase[types.EngineType]()`
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go and
 * .../configuration.go, read 2026-12-03). For aws-native the CloudFormation enum is upper-case (`ACTIVEMQ`,
 * `RABBITMQ`); the same case-insensitive reading accepts both.
 */
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

/**
 * The deployment mode each engine needs for high availability. "An active/standby broker is comprised of two
 * brokers in two different Availability Zones" (Amazon MQ for ActiveMQ brokers,
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-basic-elements.html); "A cluster
 * deployment is a logical grouping of three RabbitMQ broker nodes ... across multiple Availability Zones"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/working-with-rabbitmq.html); both read
 * 2026-12-03. The enum names are the API's DeploymentMode values (terraform-provider-aws broker.go,
 * `types.DeploymentMode`, read 2026-12-03); that each engine rejects the other's mode is not confirmed by an AWS
 * source as of 2026-12-03 (it rests on the Security Hub controls MQ.5/MQ.6 naming one mode per engine, see
 * frameworks.ts).
 */
export const HA_DEPLOYMENT_MODE: Record<Engine, string> = {
    ActiveMQ: "ACTIVE_STANDBY_MULTI_AZ",
    RabbitMQ: "CLUSTER_MULTI_AZ",
};

/**
 * `deploymentMode` defaults to SINGLE_INSTANCE when absent: terraform-provider-aws (bridged by @pulumi/aws) declares
 * `deployment_mode` with `Default: types.DeploymentModeSingleInstance`
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read 2026-12-03).
 * aws-native requires it (`deploymentMode: pulumi.Input<...>`, not optional, in @pulumi/aws-native 1.79.0
 * amazonmq/broker.d.ts, read 2026-12-03), so the default only meets aws-native when the value is absent from a
 * hostile or partial input. The Amazon MQ API's own default is not confirmed by an AWS source as of 2026-12-03.
 */
export const DEFAULT_DEPLOYMENT_MODE = "SINGLE_INSTANCE";

/** The engine's name for a message, or a neutral phrase when it is not known. */
export function displayEngine(engine: Engine | undefined | Unknown): string {
    return typeof engine === "string" ? engine : "this engine";
}
