// AWS facts about Amazon MQ broker configurations (`aws:mq/configuration:Configuration`) that the configuration
// policies rely on, each with the page it comes from and the date it was read. Only facts: the scanning is in
// configuration-text.ts, the judging in the policies.

import { NATIVE_TYPES } from "./aws-native";

export const CONFIGURATION_TYPE = "aws:mq/configuration:Configuration";

/** The resource types judged as broker configurations: `@pulumi/aws`'s and `@pulumi/aws-native`'s. */
export const CONFIGURATION_TYPES: readonly string[] = [CONFIGURATION_TYPE, NATIVE_TYPES.configuration];

/**
 * A configuration is made for one engine: "Amazon MQ uses the default configuration (the engine type and
 * version)", with an authentication strategy whose "default is SIMPLE" (CreateConfiguration,
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-configuration-request/-builder,
 * read 2026-12-03); a broker's authenticationStrategy also defaults to SIMPLE (CreateBroker,
 * https://docs.rs/aws-sdk-mq/0.7.0/aws_sdk_mq/input/struct.CreateBrokerInput.html, read 2026-12-03). Versions
 * are compared by their engine line (major.minor): a broker on 5.18.4 uses a 5.18 configuration. That line rule is
 * the pack's reading, not confirmed by an AWS source as of 2026-12-03; it matches the API accepting only `5.18`
 * for the 5.18 line (see MAJOR_MINOR_ONLY_FROM in versions.ts).
 */
export const DEFAULT_AUTHENTICATION_STRATEGY = "SIMPLE";

// aws-native (CloudFormation AWS::AmazonMQ::Configuration) holds `data` as "The base64-encoded XML configuration.
// Required: No" (the English template reference,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-configuration.html,
// read 2026-12-03; it replaces the Korean UserGuide page cited before, which still says "Required: Yes": the
// newer English page wins, as for E2/E3). A newer revision of the same page (its China-region English copy, read
// 2026-12-03) adds "Amazon MQ for RabbitMQ: the base64-encoded Cuttlefish configuration": base64 for both
// engines. The aws provider holds `data` as text. configuration-text.ts decodeData accepts both.

/**
 * The root element of every ActiveMQ configuration: each example and the permitted-collections table start at
 * `broker` (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/permitted-collections.html, read
 * 2026-12-03).
 */
export const ACTIVEMQ_ROOT_ELEMENT = "broker";

/**
 * The elements Amazon MQ permits in an ActiveMQ configuration: the elements table
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/permitted-elements.html) and every child
 * collection element and child element of the collections table
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/permitted-collections.html), both read
 * 2026-12-03. Amazon MQ removes any other element when it saves a revision (its API's sanitization warning
 * DISALLOWED_ELEMENT_REMOVED, https://docs.aws.amazon.com/sdk-for-ruby/v3/api/Aws/MQ/Types/SanitizationWarning.html,
 * read 2026-12-03), so the broker runs without it. Overridable per policy (`additionalPermittedElements`)
 * for an element AWS adds before this table is updated.
 */
export const ACTIVEMQ_PERMITTED_ELEMENTS: ReadonlySet<string> = new Set([
    // permitted-elements.html
    "abortSlowAckConsumerStrategy", "abortSlowConsumerStrategy", "authorizationEntry", "authorizationMap",
    "authorizationPlugin", "broker", "cachedMessageGroupMapFactory", "compositeQueue", "compositeTopic",
    "constantPendingMessageLimitStrategy", "discarding", "discardingDLQBrokerPlugin", "fileCursor",
    "fileDurableSubscriberCursor", "fileQueueCursor", "filteredDestination", "fixedCountSubscriptionRecoveryPolicy",
    "fixedSizedSubscriptionRecoveryPolicy", "forcePersistencyModeBrokerPlugin", "individualDeadLetterStrategy",
    "lastImageSubscriptionRecoveryPolicy", "messageGroupHashBucketFactory", "mirroredQueue",
    "noSubscriptionRecoveryPolicy", "oldestMessageEvictionStrategy", "oldestMessageWithLowestPriorityEvictionStrategy",
    "policyEntry", "policyMap", "prefetchRatePendingMessageLimitStrategy", "priorityDispatchPolicy",
    "priorityNetworkDispatchPolicy", "queryBasedSubscriptionRecoveryPolicy", "queue", "redeliveryPlugin",
    "redeliveryPolicy", "redeliveryPolicyMap", "retainedMessageSubscriptionRecoveryPolicy", "roundRobinDispatchPolicy",
    "sharedDeadLetterStrategy", "simpleDispatchPolicy", "simpleMessageGroupMapFactory", "statisticsBrokerPlugin",
    "storeCursor", "storeDurableSubscriberCursor", "strictOrderDispatchPolicy", "tempDestinationAuthorizationEntry",
    "tempQueue", "tempTopic", "timedSubscriptionRecoveryPolicy", "timeStampingBrokerPlugin", "topic",
    "uniquePropertyMessageEvictionStrategy", "virtualDestinationInterceptor", "virtualTopic", "vmCursor",
    "vmDurableCursor", "vmQueueCursor",
    // permitted-collections.html, as far as it could be read: child collection elements and child elements
    "authorizationEntries", "defaultEntry", "map", "destinationInterceptors", "destinationPolicy", "destinations",
    "networkConnectors", "networkConnector", "persistenceAdapter", "kahaDB", "plugins", "systemUsage",
    "transportConnector", "forwardTo", "deadLetterStrategy", "destination",
    // The rest of that table (after policyEntry's `destination`) could not be read in full on 2026-12-03 (re-tried
    // the same day: the stored copies of permitted-collections.html/.md stop after compositeTopic, and the guide's
    // GitHub source, https://github.com/awsdocs/amazon-mq-developer-guide/blob/main/doc_source/permitted-collections.md,
    // holds only a link to the live table). The child collection elements that the ActiveMQ schema gives the
    // permitted elements above are kept, so the list errs on the side of no false alarm (a mandatory policy must not
    // block a configuration AWS accepts). Schema source: the ActiveMQ core XSD (namespace
    // http://activemq.apache.org/schema/core) as documented in Red Hat's XML configuration reference, e.g.
    // redeliveryPolicyMap's children "defaultEntry, entries, redeliveryPolicyEntries"
    // (https://access.redhat.com/webassets/avalon/d/red-hat-jboss-a-mq/6.3/xml-configuration-reference/activemq-spring_xsd_Element_tns_redeliveryPolicyMap.html)
    // and discarding's "deadLetterQueue"
    // (https://access.redhat.com/webassets/avalon/d/red-hat-jboss-fuse/6.3/xml-configuration-reference/activemq-spring_xsd_Element_tns_discarding.html),
    // read 2026-12-03; the other names (dispatchPolicy, pendingQueuePolicy, systemUsage's memoryUsage/storeUsage/
    // tempUsage, ...) are not confirmed by a page read that day. The part of the Amazon MQ table that was read lists
    // `transportConnector` directly under `broker` (with the attributes name, updateClusterClients, ...), where the
    // ActiveMQ schema wraps it in `transportConnectors`: both names are kept.
    "transportConnectors", "dispatchPolicy",
    "messageEvictionStrategy", "messageGroupMapFactory", "pendingMessageLimitStrategy", "pendingDurableSubscriberPolicy",
    "pendingQueuePolicy", "pendingSubscriberPolicy", "slowConsumerStrategy", "subscriptionRecoveryPolicy",
    "policyEntries", "redeliveryPolicyEntries", "wrapped", "deadLetterQueue", "virtualDestinations",
    "excludedDestinations", "staticallyIncludedDestinations", "dynamicallyIncludedDestinations",
    "memoryUsage", "storeUsage", "tempUsage",
]);

/**
 * The permissions of an ActiveMQ broker come from its configuration's authorization map: "Always configure an
 * authorization map" (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html#always-configure-authorization-map,
 * read 2026-12-03); without `authorizationPlugin` every authenticated user may read, write and administer
 * every destination. The elements that define it (permitted-collections.html, read 2026-12-03).
 */
export const ACTIVEMQ_AUTHORIZATION_ELEMENTS = { plugin: "authorizationPlugin", map: "authorizationMap", entry: "authorizationEntry" } as const;

/**
 * A network connector authenticates with `userName` only: "When you specify the userName attribute in the
 * <networkConnector> configuration, Amazon MQ will add the password automatically at runtime ... Don't specify
 * the password attribute" (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/network-of-brokers.html#how-does-it-handle-credentials,
 * read 2026-12-03). So `userName` alone is the documented way and is not a finding; a password is.
 */
export const ACTIVEMQ_PASSWORDLESS_USERNAME_ELEMENT = "networkConnector";

/**
 * Amazon MQ for RabbitMQ "enforces the use of AWS ARNs for sensitive LDAP settings such as passwords"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/ldap-for-amq-for-rabbitmq.html, read 2026-12-03),
 * resolved at start-up by the rabbitmq-aws plugin from Secrets Manager
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/arn-support-rabbitmq-configuration.html, read 2026-12-03).
 * A secret-bearing key whose value is an ARN holds no secret.
 */
export const ARN_VALUE = /^arn:aws[a-z-]*:[a-z0-9-]+:/i;

/**
 * LDAP settings that read a local file (`auth_ldap.ssl_options.cacertfile`, `...certfile`, `...keyfile`) must be
 * ARNs too: Amazon MQ "enforces the use of AWS ARNs ... for settings that require access to the local file
 * system" (ldap-for-amq-for-rabbitmq.html, read 2026-12-03). The prefix and the key ending this applies to.
 */
export const RABBITMQ_ARN_ONLY_FILES = { prefix: "auth_ldap.", suffix: "file" } as const;

/**
 * RabbitMQ keys Amazon MQ does not support, from the OAuth 2.0 section of "Configurable values"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/configurable-values.html, read 2026-12-03):
 * `{id}` stands for any one key segment.
 */
export const RABBITMQ_UNSUPPORTED_KEYS: readonly string[] = [
    "auth_oauth2.https.cacertfile",
    "auth_oauth2.oauth_providers.{id}.https.cacertfile",
    "management.oauth_client_secret",
    "management.oauth_resource_servers.{id}.oauth_client_secret",
    "auth_oauth2.signing_keys.{id}",
];

/**
 * "All URLs must start with https://" for OAuth 2.0 settings (configurable-values.html, read 2026-12-03): the
 * key prefixes this applies to.
 */
export const RABBITMQ_HTTPS_ONLY_PREFIXES: readonly string[] = ["auth_oauth2.", "management.oauth_"];

/**
 * RabbitMQ settings that lift a protection Amazon MQ turns on by default, with the value that lifts it
 * (configurable-values.html, read 2026-12-03):
 * - `secure.management.http.headers.enabled` (default true for brokers created since 2024-07-09) "enables
 *   unmodifiable HTTP security headers" on the management UI and API;
 * - `management.restrictions.operator_policy_changes.disabled` (default true) keeps users from changing the
 *   operator policies Amazon MQ sets on every vhost; false lets any management user replace them.
 */
export const RABBITMQ_PROTECTIONS: ReadonlyArray<{ key: string; lifted: string; why: string }> = [
    {
        key: "secure.management.http.headers.enabled",
        lifted: "false",
        why: "turns off the HTTP security headers of the management UI and API",
    },
    {
        key: "management.restrictions.operator_policy_changes.disabled",
        lifted: "false",
        why: "lets management users change the operator policies Amazon MQ sets on every vhost",
    },
];
