import { ACTIVEMQ_AUTHORIZATION_ELEMENTS, CONFIGURATION_TYPES, RABBITMQ_PROTECTIONS } from "./lib/configuration-facts";
import { configurationData, nameShown, readCuttlefish, readXml } from "./lib/configuration-text";
import { brokerPolicy } from "./lib/policy";
import { PlainObject, readEnum } from "./lib/values";

function activeMqFindings(text: string): string[] {
    const reading = readXml(text);
    if (reading.error) {
        // Not well-formed: mq-configuration-valid-data reports it; there is no map to judge.
        return [];
    }
    const names = new Set(reading.elements.map(e => e.name));
    const { plugin, map, entry } = ACTIVEMQ_AUTHORIZATION_ELEMENTS;
    if (names.has(plugin) && names.has(map) && names.has(entry)) {
        return [];
    }
    // "If you specify an authorization map which doesn't include the activemq-webconsole group, you can't use the
    // ActiveMQ Web Console" (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/child-element-details.html,
    // read 2026-12-03).
    return [`data defines no authorization map (<${plugin}><map><${map}> with <${entry}> elements), so every authenticated ` +
        "user can read, write and administer every queue and topic. Add an authorization map granting each group only the " +
        "destinations it needs (keep activemq-webconsole in it to use the web console)."];
}

function rabbitMqFindings(text: string): string[] {
    const findings: string[] = [];
    for (const { key, value, line } of readCuttlefish(text).settings) {
        const protection = RABBITMQ_PROTECTIONS.find(p => p.key === key.toLowerCase());
        if (protection && value.trim().toLowerCase() === protection.lifted) {
            findings.push(`data sets ${nameShown(key)} = ${protection.lifted} (line ${line}), which ${protection.why}; ` +
                "remove the line to keep Amazon MQ's default.");
        }
    }
    return findings;
}

/**
 * The findings for one configuration's data; empty when unknown (preview), least-privilege, or absent (@pulumi/aws
 * requires `data`; an aws-native configuration without it is Amazon MQ's default configuration, whose text the
 * pack does not have, so it is not judged here).
 */
export function leastPrivilegeFindings(configuration: PlainObject): string[] {
    const data = configurationData(configuration);
    if (data.state !== "present") {
        return [];
    }
    return data.format === "xml" ? activeMqFindings(data.decoded.text) : rabbitMqFindings(data.decoded.text);
}

/** No settings of its own: only exclude and advisoryStackTags. */
export type MqConfigurationLeastPrivilegeConfig = Record<never, never>;

export const mqConfigurationLeastPrivilege = brokerPolicy<MqConfigurationLeastPrivilegeConfig>({
    name: "mq-configuration-least-privilege",
    description: "Amazon MQ broker configurations should grant least privilege: an ActiveMQ authorization map, and no RabbitMQ setting that lifts a default protection.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "ActiveMQ: add <authorizationPlugin><map><authorizationMap> with an <authorizationEntry> per destination " +
        "pattern and group. RabbitMQ: remove `secure.management.http.headers.enabled = false` and " +
        "`management.restrictions.operator_policy_changes.disabled = false`." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "const configuration = new aws.mq.Configuration(\"orders\", {\n" +
        "    engineType: \"ActiveMQ\", engineVersion: \"5.18\",\n" +
        "    data: `<broker xmlns=\"http://activemq.apache.org/schema/core\"><plugins>\n" +
        "  <authorizationPlugin><map><authorizationMap><authorizationEntries>\n" +
        "    <authorizationEntry queue=\"orders.>\" read=\"consumers\" write=\"producers\" admin=\"admins\"/>\n" +
        "    <authorizationEntry topic=\"ActiveMQ.Advisory.>\" read=\"consumers,producers\" write=\"consumers,producers\" admin=\"consumers,producers\"/>\n" +
        "  </authorizationEntries></authorizationMap></map></authorizationPlugin>\n" +
        "</plugins></broker>`,\n" +
        "});\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    configuration: { id: configuration.id, revision: configuration.latestRevision },\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html#always-configure-authorization-map",
    tags: ["Amazon MQ security best practice: always configure an authorization map", "RabbitMQ configurable values"],
    types: CONFIGURATION_TYPES,
    notApplicable: configuration =>
        // With LDAP, ActiveMQ on Amazon MQ takes destination permissions from the LDAP server, not from the map: "you
        // can specify access to topics and queues for a specific group or a user through your LDAP server ... You can
        // then configure broker to retrieve authorization data from the LDAP server"
        // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html, read
        // 2026-12-03). The page says "can": an LDAP broker may still use a local map; not judging it is the pack's choice.
        readEnum(configuration, "authenticationStrategy") === "LDAP" ? "authenticationStrategy is ldap: permissions come from the LDAP server" : undefined,
    check: configuration => leastPrivilegeFindings(configuration),
});
