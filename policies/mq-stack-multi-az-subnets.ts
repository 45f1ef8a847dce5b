import type { PolicyResource } from "@pulumi/policy";
import { DEFAULT_DEPLOYMENT_MODE, HA_DEPLOYMENT_MODE } from "./lib/broker";
import { shown } from "./lib/display";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { dependenciesOf, isA, listNames, resourceName } from "./lib/stack";
import { readEnum, readList, readString, UNKNOWN, Unknown } from "./lib/values";
import { brokerFix, SNIPPET_START, SUBNETS_PER_ZONE } from "./lib/fix-snippets";

/** Subnets of either provider: aws-native:ec2:Subnet is judged as this type, under the same zone property names. */
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

/**
 * Two subnets sharing a zone, compared by zone name, else by zone ID (names map to IDs per account): "the us-east-1a
 * for your AWS account might not be the same physical location as the us-east-1a for another AWS account", while an AZ
 * ID "has the same physical location in every AWS account"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html, read 2026-12-03). Within one account
 * both compare alike; names are compared first because most programs set them.
 */
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
                return `subnets ${other} and ${subnet.name} both lie in ${property === "availabilityZone" ? "availability zone" : "zone ID"} ${shown(zone, 40)}`;
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
        const zone = typeof subnets[0].availabilityZone === "string" ? subnets[0].availabilityZone : subnets[0].availabilityZoneId;
        return `subnetIds has only subnet ${subnets[0].name}, in ${shown(String(zone), 40)}`;
    }
    return undefined;
}

/**
 * What the mode needs, and (for one subnet) what is at risk. A private RabbitMQ cluster with one subnet is
 * accepted by AWS: the CreateBroker API documents that "a CLUSTER_MULTI_AZ Amazon MQ for RabbitMQ deployment
 * has no subnet requirements when deployed with public accessibility. Deployment without public
 * accessibility requires at least one subnet", and that Amazon MQ creates the broker's VPC endpoints in the
 * subnets given (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-broker-request/subnet-ids.html,
 * read 2026-12-03). The three nodes still run in different zones, so AWS does not call it single-zone; the
 * risk is the client endpoint, which then sits in that one subnet's zone: if that zone fails, clients cannot
 * reach the nodes that survive. This policy flags it as its documented choice, stating that risk.
 */
function requirement(mode: string, subnetCount: number): string {
    if (mode === HA_DEPLOYMENT_MODE.ActiveMQ) {
        return `an active/standby broker (${mode}) runs its two instances in two different availability zones: ` +
            "give it two subnets in two different zones";
    }
    if (subnetCount === 1) {
        // Three nodes across AZs: rabbitmq-broker-architecture-cluster.html (cited in mq-broker-high-availability.ts,
        // read 2026-12-03); one subnet accepted and VPC endpoints in the subnets given: see requirement's citation.
        return `AWS accepts one subnet for a private cluster broker (${mode}) and still runs its three nodes in ` +
            "different zones, but Amazon MQ creates the broker's VPC endpoint, through which clients connect, only " +
            "in the subnets given: if that subnet's zone fails, clients cannot reach the surviving nodes. This policy " +
            "flags it by choice: give it subnets in at least two (best three) different zones, one subnet per zone";
    }
    return `a cluster broker (${mode}) spreads its nodes over the zones of its subnets: give it subnets in at least ` +
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
        "from aws.ec2.Subnet (or aws-native ec2.Subnet) resources whose availabilityZone (or availabilityZoneId) differ, " +
        "one subnet per zone. " +
        // subnetIds is create-only: terraform-provider-aws subnet_ids ForceNew, aws-native subnetIds[*] in
        // replaceOnChanges (see mq-broker-high-availability.ts, read 2026-12-03).
        "subnetIds cannot change on an existing broker: Pulumi replaces it, so plan the cut-over. A private RabbitMQ " +
        "cluster with a single subnet is flagged by choice (AWS accepts it): its client endpoint sits in that one zone." +
        SNIPPET_START + SUBNETS_PER_ZONE + brokerFix(
            "    deploymentMode: \"ACTIVE_STANDBY_MULTI_AZ\", // RabbitMQ: \"CLUSTER_MULTI_AZ\"\n" +
            "    subnetIds: subnets.map(s => s.id),\n"),
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-architecture.html",
    tags: ["Conformity MQ-003", "AWS Config mq-active-deployment-mode", "AWS Config mq-rabbit-deployment-mode"],
    check: (resources, context) => {
        const findings: StackFinding[] = [];
        // Select the HA brokers; relate each to its subnets in the stack; judge; report on the broker.
        for (const broker of context.brokers) {
            const props = propsOf(broker);
            // deploymentMode defaults to SINGLE_INSTANCE (@pulumi/aws 7.48.0, terraform-provider-aws; cited in
            // mq-broker-high-availability.ts, read 2026-12-03), which has one subnet by design.
            const mode = readEnum(props, "deploymentMode") ?? DEFAULT_DEPLOYMENT_MODE;
            if (mode === UNKNOWN || !HA_MODES.has(mode)) {
                continue;
            }
            const subnets = dependenciesOf(broker, "subnetIds").filter(s => isA(s, SUBNET_TYPE)).map(zoneOf);
            if (subnets.length === 0) {
                continue;
            }
            const list = readList(props, "subnetIds");
            const reason = zoneReason(subnets, Array.isArray(list) ? list.length : list);
            if (reason) {
                findings.push({
                    urn: broker.urn,
                    message: `${reason}; ${requirement(mode, subnets.length)}. Changing subnetIds replaces the broker ` +
                        `(subnets in the stack: ${listNames(subnets.map(s => s.name))}).`,
                });
            }
        }
        return findings;
    },
});
