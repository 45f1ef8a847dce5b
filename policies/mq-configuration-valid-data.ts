import {
    ACTIVEMQ_PERMITTED_ELEMENTS,
    ACTIVEMQ_ROOT_ELEMENT,
    CONFIGURATION_TYPES,
    ARN_VALUE,
    RABBITMQ_ARN_ONLY_FILES,
    RABBITMQ_HTTPS_ONLY_PREFIXES,
    RABBITMQ_UNSUPPORTED_KEYS,
} from "./lib/configuration-facts";
import { configurationData, keyMatches, nameShown, readCuttlefish, readXml } from "./lib/configuration-text";
import { brokerPolicy } from "./lib/policy";
import type { PlainObject } from "./lib/values";

/** Lines or elements a finding names before it counts the rest. */
const NAMED = 5;

function listed(items: readonly string[]): string {
    const more = items.length > NAMED ? `, and ${items.length - NAMED} more` : "";
    return `${items.slice(0, NAMED).join(", ")}${more}`;
}

function xmlFindings(text: string, extra: ReadonlySet<string>): string[] {
    const reading = readXml(text);
    if (reading.error) {
        const { reason, line, column } = reading.error;
        // "A DOCTYPE or custom entity is not accepted here" is this pack's parser (lib/configuration-text.ts), not an
        // AWS rule: no AWS page read on 2026-12-03 states what Amazon MQ does with a DOCTYPE.
        return [`data is not well-formed XML (${reason}, line ${line}, column ${column}); Amazon MQ cannot use it. ` +
            "Fix the XML (a DOCTYPE or custom entity is not accepted here: only the five predefined XML entities)."];
    }
    const findings: string[] = [];
    const root = reading.elements[0];
    // The namespace in the message is ActiveMQ's core schema namespace (the Apache ActiveMQ XML configuration,
    // http://activemq.apache.org/xml-configuration.html, which Amazon MQ's child-element page points to:
    // https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/child-element-details.html, read 2026-12-03); no
    // Amazon MQ page read on 2026-12-03 spells the namespace out.
    if (!root || root.name !== ACTIVEMQ_ROOT_ELEMENT) {
        findings.push(`data's root element is ${root ? `<${nameShown(root.name)}>` : "missing"}; an ActiveMQ configuration is one ` +
            `<${ACTIVEMQ_ROOT_ELEMENT} xmlns="http://activemq.apache.org/schema/core"> element.`);
    }
    const disallowed = reading.elements
        .filter(e => !ACTIVEMQ_PERMITTED_ELEMENTS.has(e.name) && !extra.has(e.name))
        .map(e => `<${nameShown(e.name)}> (line ${e.line})`);
    if (disallowed.length > 0) {
        findings.push(`data uses elements Amazon MQ does not permit: ${listed(disallowed)}. Amazon MQ removes them when it ` +
            "saves the revision (DISALLOWED_ELEMENT_REMOVED), so the broker runs without them: use only the permitted " +
            "elements, or add one AWS permits since to this policy's additionalPermittedElements.");
    }
    return findings;
}

function cuttlefishFindings(text: string): string[] {
    const reading = readCuttlefish(text);
    const findings: string[] = [];
    if (reading.malformed.length > 0) {
        findings.push(`data has lines that are not RabbitMQ \`key = value\` settings: ${listed(reading.malformed.map(n => `line ${n}`))}. ` +
            "Write one `key = value` per line (`#` starts a comment).");
    }
    const unsupported = reading.settings
        .filter(s => RABBITMQ_UNSUPPORTED_KEYS.some(p => keyMatches(s.key, p)))
        .map(s => `${nameShown(s.key)} (line ${s.line})`);
    if (unsupported.length > 0) {
        findings.push(`data sets keys Amazon MQ does not support: ${listed(unsupported)}; remove them.`);
    }
    // "an S3 object or Secrets Manager secret": the ARN-support page asks for Amazon S3 for certificate files and
    // Secrets Manager for passwords (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/arn-support-rabbitmq-configuration.html,
    // read 2026-12-03); the LDAP file keys themselves are cited at RABBITMQ_ARN_ONLY_FILES (lib/configuration-facts.ts).
    const { prefix, suffix } = RABBITMQ_ARN_ONLY_FILES;
    const localFiles = reading.settings
        .filter(s => s.key.toLowerCase().startsWith(prefix) && s.key.toLowerCase().endsWith(suffix) && !ARN_VALUE.test(s.value.trim()))
        .map(s => `${nameShown(s.key)} (line ${s.line})`);
    if (localFiles.length > 0) {
        findings.push(`data gives LDAP files as local paths: ${listed(localFiles)}; Amazon MQ requires an ARN (an S3 object or ` +
            "Secrets Manager secret) for settings that read a file.");
    }
    const plainHttp = reading.settings
        .filter(s => RABBITMQ_HTTPS_ONLY_PREFIXES.some(p => s.key.toLowerCase().startsWith(p)) && /^http:\/\//i.test(s.value))
        .map(s => `${nameShown(s.key)} (line ${s.line})`);
    if (plainHttp.length > 0) {
        findings.push(`data gives OAuth 2.0 URLs that are not https: ${listed(plainHttp)}; Amazon MQ requires every OAuth 2.0 URL to start with https://.`);
    }
    return findings;
}

/**
 * The findings for one configuration's data: empty when it parses and uses only what Amazon MQ accepts, or when
 * it is unknown (preview) or absent (@pulumi/aws requires `data`; an aws-native configuration without it is
 * Amazon MQ's default configuration for its engine type and version, valid by definition: see
 * configuration-text.ts configurationData). Present but empty is a finding. Shared with mq-stack-broker-configuration.
 */
export function validDataFindings(configuration: PlainObject, additionalPermittedElements: readonly string[] = []): string[] {
    const data = configurationData(configuration);
    if (data.state !== "present") {
        return [];
    }
    if (data.decoded.text.trim() === "") {
        return ["data is empty; give the ActiveMQ XML or RabbitMQ settings of this configuration."];
    }
    return data.format === "xml" ? xmlFindings(data.decoded.text, new Set(additionalPermittedElements)) : cuttlefishFindings(data.decoded.text);
}

export interface MqConfigurationValidDataConfig {
    /** ActiveMQ elements to accept besides the dated list Amazon MQ documents. */
    additionalPermittedElements: string[];
}

/** The schema of the `additionalPermittedElements` setting, shared with mq-stack-broker-configuration. */
export function additionalPermittedElementsSetting(note: string) {
    return {
        type: "array" as const,
        items: { type: "string" as const, minLength: 1 },
        default: [] as string[],
        description: `ActiveMQ element names to accept besides those Amazon MQ documents as permitted (read 2026-12-03); ${note}.`,
    };
}

export const mqConfigurationValidData = brokerPolicy<MqConfigurationValidDataConfig>({
    name: "mq-configuration-valid-data",
    description: "Amazon MQ broker configuration data must parse and use only what Amazon MQ accepts.",
    severity: "high",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            additionalPermittedElements: additionalPermittedElementsSetting("for an element AWS has permitted since"),
        },
    },
    remediationSteps: "Make ActiveMQ data well-formed XML with a <broker> root and only the elements Amazon MQ permits; write " +
        "RabbitMQ data as `key = value` lines without the keys Amazon MQ does not support, with ARNs for LDAP files and https OAuth 2.0 URLs." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "const activeMq = new aws.mq.Configuration(\"orders-activemq\", {\n" +
        "    engineType: \"ActiveMQ\", engineVersion: \"5.18\",\n" +
        "    data: `<broker xmlns=\"http://activemq.apache.org/schema/core\"><plugins/></broker>`,\n" +
        "});\n" +
        "const rabbitMq = new aws.mq.Configuration(\"orders-rabbitmq\", {\n" +
        "    engineType: \"RabbitMQ\", engineVersion: \"3.13\",\n" +
        "    data: \"consumer_timeout = 1800000\\n\",\n" +
        "});\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/permitted-elements.html",
    tags: ["deploy-time: CreateConfiguration sanitization warnings", "RabbitMQ configurable values"],
    types: CONFIGURATION_TYPES,
    check: (configuration, context) => validDataFindings(configuration, context.config.additionalPermittedElements),
});
