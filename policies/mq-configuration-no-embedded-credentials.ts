import { ARN_VALUE, CONFIGURATION_TYPES } from "./lib/configuration-facts";
import { configurationData, credentialLocations, describeLocations } from "./lib/configuration-text";
import { brokerPolicy } from "./lib/policy";
import type { PlainObject } from "./lib/values";

/**
 * The finding for one configuration's data, or undefined when it embeds no credential (or is unknown during
 * preview, or absent: @pulumi/aws requires `data`; @pulumi/aws-native does not, and a configuration without it
 * is Amazon MQ's default for its engine type and version, which embeds none, see configuration-text.ts
 * configurationData). Names where, never what. Shared with mq-stack-broker-configuration, which reports it on
 * the brokers that use the configuration.
 */
export function embeddedCredentialsFinding(configuration: PlainObject): string | undefined {
    const data = configurationData(configuration);
    if (data.state !== "present") {
        return undefined;
    }
    const locations = credentialLocations(data.format, data.decoded.text, ARN_VALUE);
    if (locations.length === 0) {
        return undefined;
    }
    const fix = data.format === "xml"
        ? "For a network connector give only userName (Amazon MQ adds that user's password at runtime) and no password; " +
          "for other settings use a property placeholder or remove them."
        : "Give secret-bearing keys a Secrets Manager ARN (Amazon MQ resolves it at start-up; set aws.arns.assume_role_arn) " +
          "and take user:password out of URIs.";
    // The same words whether data came as text (aws) or base64 (aws-native): lines count in the text it encodes.
    // Every revision keeps its data: DescribeConfigurationRevision returns a revision's `data`
    // (https://docs.aws.amazon.com/amazon-mq/latest/api-reference/configurations-configuration-id-revisions-configuration-revision.html),
    // and "Currently, you can't delete a configuration"
    // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rmq-configuration.html); both read 2026-12-03.
    // RabbitMQ ARNs need aws.arns.assume_role_arn: "Required when any other ARN configuration is used"
    // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/arn-support-rabbitmq-configuration.html, read
    // 2026-12-03).
    return `data embeds credentials at ${describeLocations(locations)}. ` +
        `${fix} Every revision keeps its data and is shown in the Amazon MQ console, so rotate the exposed credentials too.`;
}

/** No settings of its own: only exclude and advisoryStackTags. */
export type MqConfigurationNoEmbeddedCredentialsConfig = Record<never, never>;

export const mqConfigurationNoEmbeddedCredentials = brokerPolicy<MqConfigurationNoEmbeddedCredentialsConfig>({
    name: "mq-configuration-no-embedded-credentials",
    description: "Amazon MQ broker configurations must not embed credentials (passwords in URIs or secret-bearing settings).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove passwords from the configuration data: ActiveMQ network connectors take only `userName` " +
        "(Amazon MQ adds the password of the broker user of that name at runtime); RabbitMQ secret-bearing keys take a " +
        "Secrets Manager ARN. Then rotate the credentials, since earlier revisions keep the old data." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "const configuration = new aws.mq.Configuration(\"orders\", {\n" +
        "    engineType: \"ActiveMQ\", engineVersion: \"5.18\",\n" +
        "    // userName only: Amazon MQ adds the password of the broker user of that name\n" +
        "    data: `<broker xmlns=\"http://activemq.apache.org/schema/core\"><networkConnectors>\n" +
        "  <networkConnector name=\"orders-to-b\" userName=\"orders-app\" uri=\"static:(ssl://b-1234-1.mq.us-east-1.amazonaws.com:61617)\"/>\n" +
        "</networkConnectors></broker>`,\n" +
        "});\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/network-of-brokers.html#how-does-it-handle-credentials",
    tags: ["Amazon MQ data protection: no credentials in URLs", "CWE-798"],
    types: CONFIGURATION_TYPES,
    check: configuration => {
        const finding = embeddedCredentialsFinding(configuration);
        return finding ? [finding] : [];
    },
});
