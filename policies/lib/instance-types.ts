// Facts about Amazon MQ broker instance types (`mq.<family>.<size>`, e.g. `mq.m5.large`), shared by the
// policies that read hostInstanceType. Instance types are compared case-insensitively.
import { globMatches } from "./glob";
import type { Engine } from "./broker";

/** Previous-generation types (ActiveMQ only), superseded by the mq.t3 and mq.m5 families. */
export const LEGACY_INSTANCE_TYPES: readonly string[] = ["mq.t2.micro", "mq.m4.large"];

/**
 * Types AWS recommends only for evaluation and testing (the Amazon MQ sizing guidelines): mq.t3.micro has burstable
 * CPU credits, and mq.m7g.medium is the smallest RabbitMQ size ("recommended only for testing application performance").
 */
export const TEST_ONLY_INSTANCE_TYPES: readonly string[] = ["mq.t3.micro", "mq.m7g.medium"];

/** The Graviton family: RabbitMQ only (ActiveMQ brokers run on mq.m5), and the only family RabbitMQ 4.x runs on. */
export const GRAVITON_FAMILY = "m7g";

/** The family that ActiveMQ can back with EBS storage (and that the AWS Config EFS rule covers). */
export const EBS_CAPABLE_FAMILY = "m5";

/** The production size to suggest for each engine. */
export const SUGGESTED_INSTANCE_TYPE: Record<Engine, string> = {
    ActiveMQ: "mq.m5.large",
    RabbitMQ: "mq.m7g.large",
};

export function normalizeInstanceType(value: string): string {
    return value.trim().toLowerCase();
}

/** The family of an instance type (`m5` for `mq.m5.large`), or undefined when it is not shaped `mq.<family>.<size>`. */
export function instanceFamily(instanceType: string): string | undefined {
    const match = /^mq\.([a-z0-9]+)\.[a-z0-9]+$/.exec(normalizeInstanceType(instanceType));
    return match ? match[1] : undefined;
}

/** Whether an instance type matches a configured entry, case-insensitively; `*` in the entry matches any run. */
export function instanceTypeMatches(pattern: string, instanceType: string): boolean {
    return globMatches(normalizeInstanceType(pattern), normalizeInstanceType(instanceType));
}

/** Why AWS discourages a type, for the known legacy and test-only types. */
export function instanceTypeConcern(instanceType: string): string | undefined {
    const type = normalizeInstanceType(instanceType);
    if (LEGACY_INSTANCE_TYPES.includes(type)) {
        return "it is a previous-generation type";
    }
    if (TEST_ONLY_INSTANCE_TYPES.includes(type)) {
        return "AWS recommends it only for evaluation and testing, not production workloads";
    }
    return undefined;
}
