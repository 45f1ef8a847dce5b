import type { PolicyResource } from "@pulumi/policy";
import { DEFAULT_DEPLOYMENT_MODE, HA_DEPLOYMENT_MODE } from "./lib/broker";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { dependenciesOf, listNames, resourceName } from "./lib/stack";
import { readEnum, readList, readString, UNKNOWN, Unknown } from "./lib/values";

export const SUBNET_TYPE = "aws:ec2/subnet:Subnet";

const HA_MODES: ReadonlySet<string> = new Set(Object.values(HA_DEPLOYMENT_MODE));

/** A subnet of the broker, with its zone by name and by ID (either may be unknown before it exists). */
export interface SubnetZone {
    name: string;
    availabilityZone: string | Unknown | undefined;
    availabilityZoneId: string | Unknown | undefined;
}

function zoneOf(subnet: PolicyResource): SubnetZone {
    const props = propsOf(subnet);
    return {
        name: resourceName(subnet),
        availabilityZone: readString(props, "availabilityZone"),
        availabilityZoneId: readString(props, "availabilityZoneId"),
    };
}

/** Two subnets sharing a zone, compared by zone name, else by zone ID (names map to IDs per account). */
function sharedZone(subnets: SubnetZone[]): string | undefined {
    for (const property of ["availabilityZone", "availabilityZoneId"] as const) {
        const seen = new Map<string, string>();
        for (const subnet of subnets) {
            const zone = subnet[property];
            if (typeof zone !== "string") {
                continue;
            }
            const other = seen.get(zone);
            if (other !== undefined) {
                return `subnets ${other} and ${subnet.name} both lie in ${property === "availabilityZone" ? "availability zone" : "zone ID"} ${zone}`;
            }
            seen.set(zone, subnet.name);
        }
    }
    return undefined;
}

/**
 * Why an HA broker's subnets do not span availability zones, or undefined. `listed` is how many entries
 * subnetIds has (unknown when the list is); `subnets` are those of them in the stack. Two subnets in one
 * zone is a finding whatever else is unknown; too few zones only when every subnet is in the stack and
 * every zone is known.
 */
export function zoneReason(subnets: SubnetZone[], listed: number | Unknown | undefined): string | undefined {
    const shared = sharedZone(subnets);
    if (shared) {
        return shared;
    }
    const allInStack = typeof listed === "number" && listed === subnets.length;
    const allKnown = subnets.every(s => typeof s.availabilityZone === "string") ||
        subnets.every(s => typeof s.availabilityZoneId === "string");
    if (allInStack && allKnown && subnets.length === 1) {
        const zone = subnets[0].availabilityZone ?? subnets[0].availabilityZoneId;
        return `subnetIds has only subnet ${subnets[0].name}, in ${String(zone)}`;
    }
    return undefined;
}

function requirement(mode: string): string {
    return mode === HA_DEPLOYMENT_MODE.ActiveMQ
        ? `an active/standby broker (${mode}) runs its two instances in two different availability zones: ` +
            "give it two subnets in two different zones"
        : `a cluster broker (${mode}) spreads its nodes over the zones of its subnets: give it subnets in at least ` +
            "two (best three) different zones, one subnet per zone";
}

/** No settings of its own: only exclude and advisoryStackTags. */
export type MqStackMultiAzSubnetsConfig = Record<never, never>;

export const mqStackMultiAzSubnets = stackPolicy<MqStackMultiAzSubnetsConfig>({
    name: "mq-stack-multi-az-subnets",
    description: "Highly available Amazon MQ brokers must have their subnets in distinct availability zones.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "For an ACTIVE_STANDBY_MULTI_AZ (ActiveMQ) or CLUSTER_MULTI_AZ (RabbitMQ) broker, pass subnetIds " +
        "from aws.ec2.Subnet resources whose availabilityZone (or availabilityZoneId) differ, one subnet per zone. " +
        "subnetIds cannot change on an existing broker: Pulumi replaces it, so plan the cut-over.",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-architecture.html",
    tags: ["Conformity MQ-003", "AWS Config mq-active-deployment-mode", "AWS Config mq-rabbit-deployment-mode"],
    check: (resources, context) => {
        const findings: StackFinding[] = [];
        // Select the HA brokers; relate each to its subnets in the stack; judge; report on the broker.
        for (const broker of context.brokers) {
            const props = propsOf(broker);
            // deploymentMode defaults to SINGLE_INSTANCE, which has one subnet by design.
            const mode = readEnum(props, "deploymentMode") ?? DEFAULT_DEPLOYMENT_MODE;
            if (mode === UNKNOWN || !HA_MODES.has(mode)) {
                continue;
            }
            const subnets = dependenciesOf(broker, "subnetIds").filter(s => s.type === SUBNET_TYPE).map(zoneOf);
            if (subnets.length === 0) {
                continue;
            }
            const list = readList(props, "subnetIds");
            const reason = zoneReason(subnets, Array.isArray(list) ? list.length : list);
            if (reason) {
                findings.push({
                    urn: broker.urn,
                    message: `${reason}; ${requirement(mode)}. Changing subnetIds replaces the broker ` +
                        `(subnets in the stack: ${listNames(subnets.map(s => s.name))}).`,
                });
            }
        }
        return findings;
    },
});
