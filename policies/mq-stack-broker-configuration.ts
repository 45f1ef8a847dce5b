import type { PolicyResource } from "@pulumi/policy";
import { engineOf } from "./lib/broker";
import { CONFIGURATION_TYPE, DEFAULT_AUTHENTICATION_STRATEGY } from "./lib/configuration-facts";
import { configurationEngine } from "./lib/configuration-text";
import { shown } from "./lib/display";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { nameFromUrn } from "./lib/glob";
import { dependenciesOf, isA, ofType } from "./lib/stack";
import { PlainObject, readBlock, readEnum, readNumber, readString, UNKNOWN } from "./lib/values";
import { embeddedCredentialsFinding } from "./mq-configuration-no-embedded-credentials";
import { additionalPermittedElementsSetting, validDataFindings } from "./mq-configuration-valid-data";

/**
 * `5.18.4` and `5.18` are one engine line: the first two numeric parts, or undefined when not a version. A
 * configuration is created for one engine type and version (CreateConfiguration, cited at
 * DEFAULT_AUTHENTICATION_STRATEGY in lib/configuration-facts.ts, read 2026-12-03); comparing by line is the pack's
 * reading, and that CreateBroker rejects a configuration of another engine, line or authentication strategy is NOT
 * confirmed by an AWS page read on 2026-12-03 (the policy's "deploy-time" tag rests on that reading).
 */
function engineLine(version: unknown): string | undefined {
    if (typeof version !== "string") {
        return undefined;
    }
    const match = /^\s*(\d+)\.(\d+)/.exec(version);
    return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** authenticationStrategy, upper-cased; absent means SIMPLE for both a broker and a configuration (AWS default). */
function strategyOf(resource: PlainObject): string | undefined | typeof UNKNOWN {
    const strategy = readEnum(resource, "authenticationStrategy");
    return strategy === undefined ? DEFAULT_AUTHENTICATION_STRATEGY : strategy;
}

/**
 * Relate: the stack configuration a broker uses, through `configuration`'s property dependencies, or by the
 * configuration's id (or ARN) output equal to the broker's `configuration.id`. Undefined when it is not in the stack.
 */
function configurationOf(broker: PolicyResource, id: unknown, byId: ReadonlyMap<string, PolicyResource>): PolicyResource | undefined {
    const fed = dependenciesOf(broker, "configuration").find(r => isA(r, CONFIGURATION_TYPE));
    return fed ?? (typeof id === "string" ? byId.get(id) : undefined);
}

/** Judge: every reason the broker and the configuration it uses do not fit, in order; empty when they do. */
export function judgeBrokerConfiguration(
    broker: PlainObject,
    reference: PlainObject,
    configuration: PlainObject,
    name: string,
    additionalPermittedElements: readonly string[] = [],
): string[] {
    const reasons: string[] = [];
    const brokerEngine = engineOf(broker);
    const configEngine = configurationEngine(configuration);
    if (typeof brokerEngine === "string" && typeof configEngine === "string" && brokerEngine !== configEngine) {
        reasons.push(`configuration ${name} is for ${configEngine} but this broker's engineType is ${brokerEngine}; a configuration is made for ` +
            `one engine, so use one of engineType ${brokerEngine}.`);
    }
    const brokerLine = engineLine(readString(broker, "engineVersion"));
    const configLine = engineLine(readString(configuration, "engineVersion"));
    if (brokerLine && configLine && brokerLine !== configLine) {
        reasons.push(`configuration ${name} is for engine version ${configLine} but this broker runs ${brokerLine}; set the ` +
            "configuration's engineVersion to the broker's (or point the broker at a configuration of its version).");
    }
    const brokerStrategy = strategyOf(broker);
    const configStrategy = strategyOf(configuration);
    if (typeof brokerStrategy === "string" && typeof configStrategy === "string" && brokerStrategy !== configStrategy) {
        reasons.push(`configuration ${name} has authenticationStrategy ${configStrategy.toLowerCase()} but this broker has ` +
            `${brokerStrategy.toLowerCase()}; give both the same authenticationStrategy.`);
    }
    // Revisions run from 1 to latestRevision ("Latest revision of the configuration", @pulumi/aws 7.48.0
    // mq/configuration.d.ts; ListConfigurationRevisions "Returns a list of all revisions",
    // https://docs.aws.amazon.com/amazon-mq/latest/api-reference/configurations-configuration-id-revisions.html; both
    // read 2026-12-03). That numbering starts at 1 is not stated by those pages; it rests on the pack's reading.
    const revision = readNumber(reference, "revision");
    const latest = readNumber(configuration, "latestRevision");
    if (typeof revision === "number" && typeof latest === "number") {
        if (revision > latest || revision < 1) {
            reasons.push(`configuration.revision is ${revision} but configuration ${name} has revisions 1 to ${latest}; use an existing revision.`);
            return reasons;
        }
        if (revision < latest) {
            // The stack holds only the latest revision's data: the content of an older one is not known here.
            return reasons;
        }
    }
    // The broker uses the revision whose data the stack holds (the latest, or the one given): judge its content here
    // too, so the broker that runs it is told. Least privilege stays advisory on the configuration itself.
    const credentials = embeddedCredentialsFinding(configuration);
    if (credentials) {
        reasons.push(`configuration ${name}, used by this broker: ${credentials}`);
    }
    for (const finding of validDataFindings(configuration, additionalPermittedElements)) {
        reasons.push(`configuration ${name}, used by this broker: ${finding}`);
    }
    return reasons;
}

/** Longest configuration name a message shows: its content findings follow it, and the message stays under 1,000 characters. */
const MAX_NAME = 60;

export interface MqStackBrokerConfigurationConfig {
    /** As mq-configuration-valid-data's setting of the same name: ActiveMQ elements to accept besides AWS's list. */
    additionalPermittedElements: string[];
}

export const mqStackBrokerConfiguration = stackPolicy<MqStackBrokerConfigurationConfig>({
    name: "mq-stack-broker-configuration",
    description: "An Amazon MQ broker's configuration in the stack must match its engine, version and authentication strategy, and be safe.",
    severity: "high",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            additionalPermittedElements: additionalPermittedElementsSetting("give it the same list as mq-configuration-valid-data's"),
        },
    },
    remediationSteps: "Point each broker's `configuration.id` at a configuration of the broker's engineType, engine version " +
        "and authenticationStrategy, at an existing revision, whose data embeds no credentials and parses. With aws-native, " +
        "the same properties of awsNative.amazonmq.Configuration (its data base64-encoded), and the broker's " +
        "configuration: { id: configuration.awsId, revision }." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "const configuration = new aws.mq.Configuration(\"orders\", {\n" +
        "    engineType: \"ActiveMQ\", engineVersion: \"5.18\", // the broker's own\n" +
        "    data: `<broker xmlns=\"http://activemq.apache.org/schema/core\"><plugins/></broker>`,\n" +
        "});\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    engineType: \"ActiveMQ\", engineVersion: \"5.18\",\n" +
        "    configuration: { id: configuration.id, revision: configuration.latestRevision },\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-creating-applying-configurations.html",
    tags: ["deploy-time: CreateBroker configuration must match the engine"],
    check: (resources, context) => {
        // Select: the configurations of the stack (aws-native's too), indexed once by id and ARN. An aws-native
        // configuration's id output is awsId (CloudFormation's Id, the value a broker's configuration.id takes):
        // awsId is "The ID of the Amazon MQ configuration" (@pulumi/aws-native 1.79.0 amazonmq/configuration.d.ts) and
        // a broker's configuration.id is "Required. The unique ID that Amazon MQ generates for the configuration"
        // (types/input.d.ts BrokerConfigurationIdArgs); both read 2026-12-03.
        const configurations = ofType(resources, CONFIGURATION_TYPE);
        if (configurations.length === 0) {
            return [];
        }
        const byId = new Map<string, PolicyResource>();
        for (const c of configurations) {
            for (const key of ["id", "awsId", "arn"]) {
                const value = readString(propsOf(c), key);
                if (typeof value === "string" && value !== "" && !byId.has(value)) {
                    byId.set(value, c);
                }
            }
        }
        const findings: StackFinding[] = [];
        for (const broker of context.brokers) {
            const props = propsOf(broker);
            const reference = readBlock(props, "configuration");
            if (reference === undefined || reference === UNKNOWN) {
                continue;
            }
            // Relate, then judge and report on the broker's URN.
            const configuration = configurationOf(broker, readString(reference, "id"), byId);
            if (!configuration) {
                continue;
            }
            const name = shown(typeof configuration.name === "string" && configuration.name !== "" ? configuration.name : nameFromUrn(configuration.urn), MAX_NAME);
            const extra = context.config.additionalPermittedElements;
            for (const message of judgeBrokerConfiguration(props, reference, propsOf(configuration), name, extra)) {
                findings.push({ urn: broker.urn, message });
            }
        }
        return findings;
    },
});
