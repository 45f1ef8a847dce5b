// Facts about Amazon MQ broker instance types (`mq.<family>.<size>`, e.g. `mq.m5.large`), shared by the
// policies that read hostInstanceType. Instance types are compared case-insensitively.
import { globMatches } from "./glob";
import type { Engine } from "./broker";

/**
 * Previous-generation types (ActiveMQ only), superseded by the mq.t3 and mq.m5 families. The ActiveMQ instance-type
 * table still lists mq.t2.micro and mq.m4.large beside mq.t3.micro and the mq.m5 sizes
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/activemq-broker-instance-types.html, read 2026-12-03
 * in its China-region English copy), while the newer upgrade page says "Amazon MQ for ActiveMQ brokers only use
 * mq.m5.x instances" (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-instance-type.html,
 * read 2026-12-03). The word "previous generation" is the pack's, not AWS's: no page read on 2026-12-03 calls them
 * that, so that label is not confirmed; flagging them rests on the newer page (m5 only for new ActiveMQ brokers).
 */
export const LEGACY_INSTANCE_TYPES: readonly string[] = ["mq.t2.micro", "mq.m4.large"];

/**
 * Types AWS recommends only for evaluation and testing (the Amazon MQ sizing guidelines): mq.t3.micro has burstable
 * CPU credits, and mq.m7g.medium is the smallest RabbitMQ size ("recommended only for testing application performance").
 * mq.m7g.medium: "Smaller broker instance types (mq.m7g.medium) are recommended only for testing application
 * performance. We recommend larger broker instance types (mq.m7g.large and above) for production"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-instance-type.html, read 2026-12-03).
 * mq.t3.micro: the same page recommends "upgrading to a larger instance type (i.e. from micro to large) ... if you
 * are moving from testing to a production environment"; the wording "evaluation and testing" for mq.t3.micro and
 * its burstable credits are not confirmed by a page read on 2026-12-03.
 */
export const TEST_ONLY_INSTANCE_TYPES: readonly string[] = ["mq.t3.micro", "mq.m7g.medium"];

/**
 * The Graviton family: RabbitMQ only (ActiveMQ brokers run on mq.m5), and the only family RabbitMQ 4.x runs on.
 * "mq.m7g.x instances are only available for Amazon MQ for RabbitMQ brokers. Amazon MQ for ActiveMQ brokers only use
 * mq.m5.x instances" (upgrading-instance-type.html, read 2026-12-03); "Amazon MQ supports RabbitMQ 4.2 ... only on
 * the mq.m7g" instance types (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-version-management.html,
 * read 2026-12-03). The older ActiveMQ instance-type table (see LEGACY_INSTANCE_TYPES) also lists t2/t3/m4 for
 * ActiveMQ; the newer, instance-type-specific page wins for new brokers, and the pack keeps t3.micro as a
 * test-only ActiveMQ size rather than an error.
 */
export const GRAVITON_FAMILY = "m7g";

/**
 * The family that ActiveMQ can back with EBS storage (and that the AWS Config EFS rule covers). "You can use Amazon
 * EBS only with the mq.m5 broker instance type family" (activemq-broker-instance-types.html, read 2026-12-03);
 * mq-active-single-instance-broker-storage-type-efs "Checks if an Amazon MQ for ActiveMQ single-instance broker
 * using the mq.m5 instance type family is configured with Amazon Elastic File System (EFS)"
 * (https://docs.aws.amazon.com/config/latest/developerguide/mq-active-single-instance-broker-storage-type-efs.html,
 * read 2026-12-03).
 */
export const EBS_CAPABLE_FAMILY = "m5";

/** The production size to suggest for each engine. */
export const SUGGESTED_INSTANCE_TYPE: Record<Engine, string> = {
    ActiveMQ: "mq.m5.large",
    RabbitMQ: "mq.m7g.large",
};

export function normalizeInstanceType(value: string): string {
    return value.trim().toLowerCase();
}

/**
 * The family of an instance type (`m5` for `mq.m5.large`), or undefined when it is not shaped `mq.<family>.<size>`.
 * "The combined description of the broker instance class (m5) and size (large, medium) is called the broker
 * instance type (for example, mq.m5.large)" (amazon-mq-basic-elements.html, read 2026-12-03). That every type has
 * exactly this three-part shape is the pack's reading of the published tables, not a rule AWS states.
 */
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
