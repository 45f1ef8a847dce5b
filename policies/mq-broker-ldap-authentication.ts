import { engineOf } from "./lib/broker";
import { DEFAULT_AUTHENTICATION_STRATEGY } from "./lib/configuration-facts";
import { shown } from "./lib/display";
import { brokerPolicy } from "./lib/policy";
import { asString, field, isUnknown, PlainObject, readBlock, readEnum, readList, UNKNOWN } from "./lib/values";


/**
 * The ldapServerMetadata settings an LDAP broker needs to reach and search the directory: the Amazon MQ API
 * (LdapServerMetadataInput) requires these and hosts; CreateBroker fails without any of them. Sources, read
 * 2026-12-03: the AWS SDK for Rust, generated from the API model, marks roleBase "This field is required"
 * (https://docs.rs/aws-sdk-mq/1.26.0/aws_sdk_mq/types/builders/struct.LdapServerMetadataInputBuilder.html), and
 * amazonka-mq 2.0 (also generated from the model) types hosts and userSearchMatching as required, roleName,
 * userRoleName and the two subtree flags as optional
 * (https://hackage.haskell.org/package/amazonka-mq-2.0/docs/Amazonka-MQ-Types-LdapServerMetadataInput.html);
 * CloudFormation (as typed in @pulumi/aws-native 1.79.0 types/input.d.ts BrokerLdapServerMetadataArgs) requires
 * hosts, roleBase, roleSearchMatching, serviceAccountUsername, userBase and userSearchMatching.
 * SOURCES DISAGREE on serviceAccountPassword: CloudFormation makes it optional, and no page read on 2026-12-03 shows
 * the API requiring it; it stays in the list because a service account cannot bind to the directory without its
 * password (the pack's reading, not confirmed by an AWS source as of 2026-12-03).
 */
const REQUIRED_LDAP_STRINGS = [
    "roleBase",
    "roleSearchMatching",
    "userBase",
    "userSearchMatching",
    "serviceAccountUsername",
    "serviceAccountPassword",
] as const;

/** Whether a value is set: unknown counts as set (known later), an empty or blank string does not. */
function isSet(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    const text = asString(value);
    return typeof text === "string" && text.trim() !== "";
}

/** The required ldapServerMetadata settings that are missing. Reads values only to test presence: never prints one. */
function missingLdapSettings(metadata: PlainObject): string[] {
    const missing: string[] = [];
    const hosts = readList(metadata, "hosts");
    if (hosts !== UNKNOWN && !(hosts ?? []).some(isSet)) {
        missing.push("hosts");
    }
    for (const key of REQUIRED_LDAP_STRINGS) {
        if (!isSet(field(metadata, key))) {
            missing.push(key);
        }
    }
    return missing;
}

const LDAP_SETTINGS = "hosts, roleBase, roleSearchMatching, userBase, userSearchMatching, serviceAccountUsername " +
    "and serviceAccountPassword";

export const mqBrokerLdapAuthentication = brokerPolicy({
    name: "mq-broker-ldap-authentication",
    description: "ActiveMQ brokers authenticate users against an LDAP directory instead of users stored on the broker.",
    severity: "low",
    enforcementLevel: "disabled",
    remediationSteps: "Set `authenticationStrategy: LDAP` and an `ldapServerMetadata` block with hosts, roleBase, " +
        "roleSearchMatching, userBase, userSearchMatching, serviceAccountUsername and serviceAccountPassword (from a " +
        "secret), and manage broker users and groups in the directory. Opt-in: enable this policy where the organization runs a directory the brokers can reach." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// The service account's password, kept in Secrets Manager, read as a resource (ID: \"<secret ARN>|<version ID>\")\n" +
        "const stored = aws.secretsmanager.SecretVersion.get(\"mq-ldap\", \"arn:aws:secretsmanager:us-east-1:111122223333:secret:mq-ldap-AbCdEf|EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE\");\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    authenticationStrategy: \"LDAP\",\n" +
        "    ldapServerMetadata: {\n" +
        "        hosts: [\"ldap.example.com\"], serviceAccountUsername: \"cn=mq,ou=services,dc=example,dc=com\",\n" +
        "        serviceAccountPassword: stored.secretString,\n" +
        "        roleBase: \"ou=groups,dc=example,dc=com\", roleSearchMatching: \"(member={0})\",\n" +
        "        userBase: \"ou=users,dc=example,dc=com\", userSearchMatching: \"(uid={0})\",\n" +
        "    },\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html",
    tags: ["AWS Config mq-active-broker-ldap-authentication"],
    notApplicable: broker => engineOf(broker) === "RabbitMQ"
        ? "ldapServerMetadata and authenticationStrategy LDAP apply to ActiveMQ brokers only; Amazon MQ for RabbitMQ " +
            "configures LDAP in the broker's RabbitMQ configuration instead" : undefined,
    check: broker => {
        // ActiveMQ only. RabbitMQ brokers take no ldapServerMetadata: "`ldap` is not supported for `engineType`
        // `RabbitMQ`" and ldapServerMetadata is "Not supported for `engineType` `RabbitMQ`" (@pulumi/aws 7.48.0
        // mq/broker.d.ts); LdapServerMetadataInput "Does not apply to RabbitMQ brokers" (the API model's text, in
        // https://docs.rs/aws-sdk-mq/0.28.0/aws_sdk_mq/types/struct.LdapServerMetadataInput.html); Amazon MQ for RabbitMQ configures LDAP in rabbitmq.conf instead
        // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/ldap-for-amq-for-rabbitmq.html). All read
        // 2026-12-03. The AWS Config rule mq-active-broker-ldap-authentication evaluates ActiveMQ brokers only (its page
        // is cited in lib/frameworks.ts, read 2026-12-03), so a RabbitMQ
        // broker is not a violation: it has no fix to apply. Unknown or absent engine: nothing to judge.
        if (engineOf(broker) !== "ActiveMQ") {
            return [];
        }
        // Unset means SIMPLE: the shared constant cites CreateBroker's default (lib/configuration-facts.ts, read 2026-12-03).
        const strategy = readEnum(broker, "authenticationStrategy") || DEFAULT_AUTHENTICATION_STRATEGY;
        if (strategy !== UNKNOWN && strategy !== "LDAP") {
            return [`authenticationStrategy is ${shown(strategy)}${strategy === DEFAULT_AUTHENTICATION_STRATEGY ? " (the default when unset)" : ""}; ` +
                `set authenticationStrategy: LDAP with an ldapServerMetadata block (${LDAP_SETTINGS}).`];
        }
        // LDAP, or unknown during preview. Either way the broker passes only with complete LDAP settings, so
        // known missing settings are a finding even while the strategy itself is unknown.
        const metadata = readBlock(broker, "ldapServerMetadata");
        if (metadata === UNKNOWN) {
            return [];
        }
        if (metadata === undefined) {
            return [`ldapServerMetadata is absent; set authenticationStrategy: LDAP with an ldapServerMetadata block (${LDAP_SETTINGS}).`];
        }
        const missing = missingLdapSettings(metadata);
        if (missing.length > 0) {
            return [`ldapServerMetadata lacks ${missing.join(", ")}; set ${missing.length > 1 ? "each" : "it"} ` +
                `(an LDAP broker needs ${LDAP_SETTINGS}).`];
        }
        return [];
    },
});
