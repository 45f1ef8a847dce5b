// The golden fixtures in the shape of `@pulumi/aws-native` (the Cloud Control provider): the same broker or
// configuration as an aws-native program writes it, so a spec can judge one resource under both providers.
// Only what differs is changed (policies/lib/aws-native.ts says why each property is read as it is):
// - tags: aws's map `{ team: "payments" }` is aws-native's list `[{ key: "team", value: "payments" }]`;
// - a configuration's `data` is base64 in aws-native ("The base64-encoded XML configuration",
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-configuration.html,
//   read 2026-12-03), text in aws;
// - properties aws-native's BrokerArgs does not have are dropped: `applyImmediately` and `region` (inputs of
//   aws.mq.BrokerArgs only) and `tagsAll` (pulumi-aws's tags merged with the provider's defaultTags; aws-native
//   merges its provider's defaultTags into `tags` itself). Compared in @pulumi/aws 7 mq/broker.d.ts and
//   @pulumi/aws-native 1.79.0 amazonmq/broker.d.ts, read 2026-12-03.
// Every other broker property has the same name and shape in both providers (aws-native's engineType enum is
// `ACTIVEMQ`/`RABBITMQ`; the pack reads engine names case-insensitively, and the builders keep the golden spelling
// unless asked, so a message that quotes a value quotes the same one).
import type * as native from "../../policies/lib/aws-native-sdk";
import type { Unwrap } from "@pulumi/pulumi";
import { NATIVE_TYPES } from "../../policies/lib/aws-native";
import type { BrokerInputs } from "./fixtures";
import { isSecretObject } from "../../engine/properties";
import { secret, unknown } from "./runtime";

export { NATIVE_TYPES };

/** aws-native broker inputs (unwrapped), open to wrong types and unknowns for robustness tests. */
export type NativeBrokerInputs = Partial<Unwrap<native.amazonmq.BrokerArgs>> & Record<string, unknown>;

/** aws-native configuration inputs (unwrapped), open like NativeBrokerInputs. */
export type NativeConfigurationInputs = Partial<Unwrap<native.amazonmq.ConfigurationArgs>> & Record<string, unknown>;

/** A tag entry as aws-native takes it; the value may be unknown during preview. */
export type NativeTag = { key: unknown; value: unknown };

/** Properties of aws.mq.Broker (inputs or state) that aws-native's Broker does not have. */
export const AWS_ONLY_BROKER_PROPERTIES = ["applyImmediately", "region", "tagsAll"] as const;

/** Properties of aws.mq.Configuration that aws-native's Configuration does not have. */
export const AWS_ONLY_CONFIGURATION_PROPERTIES = ["region", "tagsAll"] as const;

/**
 * aws's tag map as aws-native's list, in the map's order; a secret map is a secret list, an unknown map stays
 * unknown, anything that is not a map (absent, null, a wrong type) is passed on unchanged.
 */
export function tagList(tags: unknown): unknown {
    if (isSecretObject(tags)) {
        return secret(tagList(tags.value));
    }
    if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
        return tags;
    }
    return Object.entries(tags as Record<string, unknown>).map(([key, value]): NativeTag => ({ key, value }));
}

function withoutKeys<T extends Record<string, unknown>>(props: T, keys: readonly string[]): T {
    const result = { ...props };
    for (const key of keys) {
        delete result[key];
    }
    return result;
}

/** An aws broker (fixture, change or remediation result) as the same broker in aws-native's shape. */
export function nativeBroker(broker: BrokerInputs | Record<string, unknown>): NativeBrokerInputs {
    const result = withoutKeys(broker as Record<string, unknown>, AWS_ONLY_BROKER_PROPERTIES) as NativeBrokerInputs;
    if ("tags" in broker) {
        result.tags = tagList(broker.tags) as NativeBrokerInputs["tags"];
    }
    return result;
}

/**
 * `data` as aws-native holds it: base64 of the text (a secret stays a secret). Unknowns, the CLI's redaction
 * and values that are not text stay as they are.
 */
export function base64Data(data: unknown): unknown {
    if (isSecretObject(data)) {
        return secret(base64Data(data.value));
    }
    if (typeof data !== "string" || Object.values(unknown).includes(data as never) || data === "[secret]") {
        return data;
    }
    return Buffer.from(data, "utf8").toString("base64");
}

/** An aws configuration (the configuration specs' fixtures) as the same configuration in aws-native's shape. */
export function nativeConfiguration(configuration: Record<string, unknown>): NativeConfigurationInputs {
    const result = withoutKeys(configuration, AWS_ONLY_CONFIGURATION_PROPERTIES) as NativeConfigurationInputs;
    if ("data" in configuration) {
        result.data = base64Data(configuration.data) as NativeConfigurationInputs["data"];
    }
    if ("tags" in configuration) {
        result.tags = tagList(configuration.tags) as NativeConfigurationInputs["tags"];
    }
    return result;
}

// ------------------------------------------------------------------------------------- golden configurations
// The configuration specs' golden aws configurations (kept here, beside their aws-native builder, so a spec can
// use them without loading another spec file).

/** A compliant ActiveMQ configuration: a network connector by userName only (Amazon MQ adds the password). */
export function activeMqConfiguration(data?: string): Record<string, unknown> {
    return {
        engineType: "ActiveMQ",
        engineVersion: "5.18",
        authenticationStrategy: "simple",
        latestRevision: 2,
        id: "c-5e0b7d2a-91f4-4c3e-8f26-3a7d9b1c4e60",
        data: data ?? [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<broker xmlns="http://activemq.apache.org/schema/core">',
            "  <plugins>",
            "    <authorizationPlugin><map><authorizationMap><authorizationEntries>",
            '      <authorizationEntry admin="admins" read="admins,users" write="admins" queue="&gt;"/>',
            "    </authorizationEntries></authorizationMap></map></authorizationPlugin>",
            "  </plugins>",
            "  <networkConnectors>",
            '    <networkConnector name="to-dr" userName="bridge" duplex="true" uri="static:(ssl://b-1.mq.us-west-2.amazonaws.com:61617)"/>',
            "  </networkConnectors>",
            "</broker>",
        ].join("\n"),
    };
}

/** A compliant RabbitMQ configuration: the LDAP bind password is a Secrets Manager ARN. */
export function rabbitMqConfiguration(data?: string): Record<string, unknown> {
    return {
        engineType: "RabbitMQ",
        engineVersion: "3.13",
        latestRevision: 1,
        id: "c-11111111-2222-3333-4444-555555555555",
        data: data ?? [
            "# orders broker",
            "consumer_timeout = 1800000",
            "auth_ldap.dn_lookup_bind.user_dn = cn=svc,dc=example,dc=com",
            "auth_ldap.dn_lookup_bind.password = arn:aws:secretsmanager:us-east-1:111122223333:secret:ldap-bind-AbCdEf",
            "aws.arns.assume_role_arn = arn:aws:iam::111122223333:role/mq-config",
        ].join("\n"),
    };
}

/** The URN of a resource of `type` named `name`, as the engine writes it. */
export function urnOf(type: string, name: string, stack = "prod", project = "messaging"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Call options for analyze/remediate on an aws-native broker named `name`. */
export function onNativeBroker(name = "orders-broker"): { type: string; name: string; urn: string } {
    return { type: NATIVE_TYPES.broker, name, urn: urnOf(NATIVE_TYPES.broker, name) };
}

/** Call options for analyze/remediate on an aws-native configuration named `name`. */
export function onNativeConfiguration(name = "orders-config"): { type: string; name: string; urn: string } {
    return { type: NATIVE_TYPES.configuration, name, urn: urnOf(NATIVE_TYPES.configuration, name) };
}
