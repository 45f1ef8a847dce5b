import type { PolicyResource } from "@pulumi/policy";
import { shown } from "./lib/display";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { listNames, resourceName } from "./lib/stack";
import { readString, unwrap } from "./lib/values";

/**
 * The AWS region the broker is created in: its provider's `region` input, lower-cased, when known. Absent
 * or unknown (a default provider reading AWS_REGION, say) gives undefined: it may be any region.
 */
function regionOf(broker: PolicyResource): string | undefined {
    const region = broker.provider ? readString(unwrap(broker.provider.props), "region") : undefined;
    return typeof region === "string" && region.trim() !== "" ? region.trim().toLowerCase() : undefined;
}

/** Names are unique per account and region: two brokers clash unless both regions are known and differ. */
function sameRegion(a: PolicyResource, b: PolicyResource): boolean {
    const regionA = regionOf(a);
    const regionB = regionOf(b);
    return regionA === undefined || regionB === undefined || regionA === regionB;
}

/**
 * The brokers of the stack grouped by brokerName, compared exactly (case-sensitively: a clash that differs
 * only in case is not known to fail, and a mandatory policy should not block on a guess). A broker whose
 * name is unknown (preview) or absent is left out; the provider then auto-names it with a random suffix.
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
        "or leave brokerName unset so Pulumi adds a random suffix to the resource name. Renaming a broker replaces it.",
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
            for (const broker of same) {
                const clashes = same.filter(b => b !== broker && sameRegion(broker, b));
                if (clashes.length === 0) {
                    continue;
                }
                const others = clashes.map(resourceName);
                findings.push({
                    urn: broker.urn,
                    message: `brokerName "${shown(name)}" is also used by broker ${listNames(others)} in this stack; broker names are ` +
                        "unique per AWS account and region, so creating the second one fails: give each broker its own " +
                        "brokerName or leave it unset for an auto-generated name (renaming replaces the broker).",
                });
            }
        }
        return findings;
    },
});
