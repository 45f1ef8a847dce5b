import type { PolicyResource } from "@pulumi/policy";
import { shown } from "./lib/display";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { resourceName } from "./lib/stack";
import { readString, unwrap } from "./lib/values";

/**
 * Uniqueness: CreateBroker says the broker name "must be unique in your Amazon Web Services account"
 * (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-broker-request, read 2026-12-03). That the scope is
 * one account AND one region is the pack's reading (a broker is a regional resource, created through a regional
 * endpoint); no AWS source states the region scope as of 2026-12-03. If AWS enforced names account-wide, brokers
 * of the same name in two known, different regions would clash too, and this policy would miss that.
 *
 * The AWS region the broker is created in: its provider's `region` input, lower-cased, when known. Both a
 * `pulumi:providers:aws` and a `pulumi:providers:aws-native` provider take `region`, so an aws and an aws-native
 * broker in one region are compared alike (broker names are unique per account and region, whichever provider
 * created them). Absent or unknown (a default provider reading AWS_REGION or aws-native:region, say) gives
 * undefined: it may be any region.
 */
function regionOf(broker: PolicyResource): string | undefined {
    const region = broker.provider ? readString(unwrap(broker.provider.props), "region") : undefined;
    return typeof region === "string" && region.trim() !== "" ? region.trim().toLowerCase() : undefined;
}

// Renaming replaces the broker: terraform-provider-aws broker_name ForceNew, aws-native brokerName in replaceOnChanges
// (see mq-broker-safe-naming.ts, read 2026-12-03).

/** How many clashing brokers a finding names; the rest are counted (listNames). */
const NAMED_CLASHES = 3;

/**
 * For each broker of one name, the others it clashes with: names are unique per account and region, so two
 * brokers clash unless both regions are known and differ. Grouped by region once, so a name shared by 8,000
 * brokers costs linear time: a broker in a known region clashes with the others of that region and every
 * broker of unknown region; one of unknown region clashes with all the others. Only the first few clashing
 * brokers (in stack order) are collected, and the rest counted.
 */
export function clashesOf(same: readonly PolicyResource[]): Map<PolicyResource, { first: PolicyResource[]; count: number }> {
    const regions = same.map(regionOf);
    const byRegion = new Map<string | undefined, number[]>();
    regions.forEach((region, i) => {
        const list = byRegion.get(region);
        if (list) {
            list.push(i);
        } else {
            byRegion.set(region, [i]);
        }
    });
    const unknownRegion = byRegion.get(undefined) ?? [];
    const everyone = same.map((_, j) => j);
    const result = new Map<PolicyResource, { first: PolicyResource[]; count: number }>();
    same.forEach((broker, i) => {
        const region = regions[i];
        // Candidates in stack order: everyone (unknown region), or the same region merged with the unknown ones.
        const pools = region === undefined ? [everyone] : [byRegion.get(region) ?? [], unknownRegion];
        const count = region === undefined ? same.length - 1 : (byRegion.get(region)?.length ?? 1) - 1 + unknownRegion.length;
        const first: number[] = [];
        for (const pool of pools) {
            // The first NAMED_CLASHES + 1 of each pool are enough: one of them may be the broker itself.
            for (const j of pool.slice(0, NAMED_CLASHES + 1)) {
                if (j !== i) {
                    first.push(j);
                }
            }
        }
        first.sort((a, b) => a - b);
        result.set(broker, { first: first.slice(0, NAMED_CLASHES).map(j => same[j]), count });
    });
    return result;
}

/**
 * The brokers of the stack grouped by brokerName, compared exactly (case-sensitively: a clash that differs
 * only in case is not known to fail, and a mandatory policy should not block on a guess). A broker whose
 * name is unknown (preview) or absent is left out; the provider then auto-names it with a random suffix (aws, and
 * aws-native: @pulumi/aws-native 1.79.0 types brokerName as optional though CloudFormation requires BrokerName,
 * its provider's auto-naming; amazonmq/broker.d.ts, read 2026-12-03, and
 * https://www.pulumi.com/docs/iac/concepts/resources/names/, read 2026-12-03). Docs disagree (CloudFormation:
 * "Required. The broker's name"; the aws-native SDK: optional): the provider's auto-naming is the more specific
 * source for a Pulumi program and wins.
 */
export function brokersByName(brokers: PolicyResource[]): Map<string, PolicyResource[]> {
    const byName = new Map<string, PolicyResource[]>();
    for (const broker of brokers) {
        const name = readString(propsOf(broker), "brokerName");
        if (typeof name !== "string") {
            continue;
        }
        const same = byName.get(name);
        if (same) {
            same.push(broker);
        } else {
            byName.set(name, [broker]);
        }
    }
    return byName;
}

/** No settings of its own: only exclude and advisoryStackTags. */
export type MqStackUniqueBrokerNamesConfig = Record<never, never>;

export const mqStackUniqueBrokerNames = stackPolicy<MqStackUniqueBrokerNamesConfig>({
    name: "mq-stack-unique-broker-names",
    description: "No two Amazon MQ brokers in a stack may share a brokerName in the same region.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Give every broker its own brokerName (for example with the environment or purpose as a suffix), " +
        "or leave brokerName unset so Pulumi adds a random suffix to the resource name. Renaming a broker replaces it." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "import * as pulumi from \"@pulumi/pulumi\";\n" +
        "\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    brokerName: `orders-${pulumi.getStack()}`, // or leave it unset for a random suffix\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/api-reference/brokers.html",
    tags: ["deploy-time error: CreateBroker BrokerName must be unique"],
    check: (_resources, context) => {
        const findings: StackFinding[] = [];
        // Relate every broker by name (an excluded one still takes its name); report on each duplicate.
        // The wrapper drops findings on brokers it did not ask to judge, so the other broker of a clash is still told.
        for (const [name, same] of brokersByName([...context.allBrokers])) {
            if (same.length < 2) {
                continue;
            }
            for (const [broker, { first, count }] of clashesOf(same)) {
                if (count === 0) {
                    continue;
                }
                const others = first.map(resourceName);
                const more = count > others.length ? ` and ${count - others.length} more` : "";
                findings.push({
                    urn: broker.urn,
                    message: `brokerName "${shown(name)}" is also used by broker ${others.join(", ")}${more} in this stack; broker names are ` +
                        "unique per AWS account and region, so creating the second one fails: give each broker its own " +
                        "brokerName or leave it unset for an auto-generated name (renaming replaces the broker).",
                });
            }
        }
        return findings;
    },
});
