import { brokerPolicy } from "./lib/policy";
import { field, isPlainObject, PlainObject, readObject, UNKNOWN } from "./lib/values";

export interface RequiredTagsConfig {
    /** Tag keys every broker must carry (case-sensitive); empty means at least one tag of any key. */
    requiredTagKeys: string[];
}

/**
 * AWS reserves the `aws:` prefix (in any case) for tags it applies itself; they never count. "Do not use aws:, AWS:,
 * or any upper or lowercase combination of such as a prefix for either keys or values as it is reserved for Amazon Web
 * Services use", "Tag keys and values are case-sensitive", "Maximum key length - 128 Unicode characters in UTF-8":
 * the AWS-wide tag restrictions, as documented for the ECS Tag type
 * (https://docs.aws.amazon.com/sdkfornet/v3/apidocs/items/ECS/TTag.html, read 2026-12-03). No Amazon MQ page states
 * them for brokers as of 2026-12-03; the general rules are applied.
 */
function isSystemTagKey(key: string): boolean {
    return key.toLowerCase().startsWith("aws:");
}

/** The keys of a tag map that carry a value (an unknown value counts: the key itself is known). */
function keysOf(tags: PlainObject): string[] {
    return Object.keys(tags).filter(key => key !== "" && !isSystemTagKey(key) && field(tags, key) !== undefined);
}

export const mqBrokerRequiredTags = brokerPolicy<RequiredTagsConfig>({
    name: "mq-broker-required-tags",
    description: "Amazon MQ brokers carry the tags the organization requires (at least one tag by default).",
    severity: "low",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            requiredTagKeys: {
                type: "array",
                items: { type: "string", minLength: 1, maxLength: 128 },
                default: [],
                description: "Tag keys every broker must carry, case-sensitive (as in Security Hub MQ.4). Empty (the " +
                    "default) requires at least one tag of any key. Keys starting with aws: are reserved and not allowed here.",
            },
        },
    },
    remediationSteps: "Add the required tags to the broker's `tags` (or to the AWS provider's `defaultTags`). Tags " +
        "change in place. Keep personal or confidential data out of tag keys and values. With @pulumi/aws-native, `tags` " +
        "is a list (`[{ key: \"team\", value: \"payments\" }]`), and the aws-native provider's `defaultTags` count too." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    tags: { team: \"payments\", service: \"orders\", environment: \"prod\" }, // your requiredTags\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-4",
    tags: ["Security Hub MQ.4"],
    validateConfig: config => {
        const keys = Array.isArray(config.requiredTagKeys) ? config.requiredTagKeys : [];
        return keys
            .filter((key): key is string => typeof key === "string" && isSystemTagKey(key))
            .map(key => `requiredTagKeys entry ${JSON.stringify(key)} uses the aws: prefix, which AWS reserves for ` +
                "its own tags (a broker can never carry it, and this policy ignores such keys); remove it");
    },
    check: (broker, { config }) => {
        // Absent tags means no tags (the provider default). A whole map that is unknown during preview could
        // hold anything: no finding.
        const tags = readObject(broker, "tags");
        if (tags === UNKNOWN) {
            return [];
        }
        const present = new Set(isPlainObject(tags) ? keysOf(tags) : []);
        // pulumi-aws's Check adds `tagsAll` ("Map of tags assigned to the resource, including those inherited from the
        // provider `defaultTags` configuration block", @pulumi/aws 7.48.0 mq/broker.d.ts, read 2026-12-03; that it is
        // filled during Check rests on the pack's own runs, not a provider document):
        // `tags` merged with the provider's `defaultTags`, so keys set there
        // count. It is unknown when a tag value or a default tag is, and then a key missing from `tags` may
        // still come from `defaultTags`: report no missing key. aws-native has no tagsAll: its provider merges
        // its defaultTags into `tags` itself (MergeDefaultTags appends each default key the tags lack, sorted, and
        // leaves computed tags alone: https://github.com/pulumi/pulumi-aws-native/blob/master/provider/pkg/default_tags/merging.go,
        // read 2026-12-03), and its view (lib/aws-native.ts) makes tagsAll unknown only while
        // a tag's key is, which may be the missing one.
        const tagsAll = readObject(broker, "tagsAll");
        if (isPlainObject(tagsAll)) {
            keysOf(tagsAll).forEach(key => present.add(key));
        }
        const defaultsUnknown = tagsAll === UNKNOWN;

        const required = (Array.isArray(config.requiredTagKeys) ? config.requiredTagKeys : [])
            .filter((key): key is string => typeof key === "string" && key !== "");
        if (required.length === 0) {
            if (present.size > 0 || defaultsUnknown) {
                return [];
            }
            return ["tags is empty or absent (keys starting with aws: do not count); add at least one tag, such as " +
                "an owner or environment key, to tags or the provider's defaultTags."];
        }
        const missing = [...new Set(required)].filter(key => !present.has(key));
        if (missing.length === 0 || defaultsUnknown) {
            return [];
        }
        const described = missing.map(key => {
            const nearMiss = [...present].find(k => k.toLowerCase() === key.toLowerCase());
            return nearMiss ? `${key} (found ${nearMiss}; tag keys are case-sensitive)` : key;
        });
        return [`tags lacks the required key${missing.length > 1 ? "s" : ""} ${described.join(", ")}; add ` +
            `${missing.length > 1 ? "them" : "it"} to tags or the provider's defaultTags (requiredTagKeys: ${required.join(", ")}).`];
    },
});
