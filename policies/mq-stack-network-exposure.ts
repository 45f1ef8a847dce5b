import type { PolicyResource } from "@pulumi/policy";
import { inlineIngressPropertyName, isNative, propertyName } from "./lib/aws-native";
import { Engine, engineOf } from "./lib/broker";
import { shown } from "./lib/display";
import {
    BROKER_PORTS, brokerPortsIn, Cidr, cidrContains, cidrKey, coversAllPorts, coversPublicInternet, isWorld, parseCidr, protocolClass,
    ProtocolClass, WORLD_CIDRS,
} from "./lib/network";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { dependenciesOf, dependentsByTarget, isA, listNames, resourceName } from "./lib/stack";
import {
    field, isUnknown, PlainObject, readBoolean, readEnum, readList, readNumber, readString, UNKNOWN, Unknown,
} from "./lib/values";

export const SECURITY_GROUP_TYPE = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE_TYPE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const INGRESS_RULE_TYPE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** One ingress permission, whichever resource declares it, reduced to what exposure depends on. */
interface Ingress {
    /** Where the finding goes: the rule resource, or the group for an inline rule. */
    urn: string;
    /** How a reader finds it: `security group rule mq-public` or `ingress[0] of security group mq-sg`. */
    label: string;
    /**
     * Whether fixing it replaces the rule resource: an aws-native ec2.SecurityGroupIngress is replaced when its
     * source, protocol or ports change (they are all in its `replaceOnChanges`, @pulumi/aws-native 1.79.0
     * ec2/securityGroupIngress.js, read 2026-12-03); aws rules and inline entries update in place. The aws half is
     * NOT confirmed by a provider document as of 2026-12-03 (no replaceOnChanges is generated for bridged
     * @pulumi/aws resources, and the terraform-provider-aws source of aws_vpc_security_group_ingress_rule was not
     * read); it rests on the pack's own provider runs.
     */
    replacedOnFix?: boolean;
    protocol: ProtocolClass | Unknown | undefined;
    fromPort: number | Unknown | undefined;
    toPort: number | Unknown | undefined;
    /** The known, valid source CIDRs with the property each came from. */
    sources: Array<{ text: string; cidr: Cidr; property: string }>;
}

function readProtocol(obj: unknown, key: string): ProtocolClass | Unknown | undefined {
    const protocol = readString(obj, key);
    return typeof protocol === "string" ? protocolClass(protocol) : protocol;
}

/** The known CIDRs of list properties; unknown lists or elements and invalid text are left out (not judged). */
function cidrsOf(obj: unknown, properties: Array<[string, "list" | "single"]>): Ingress["sources"] {
    const sources: Ingress["sources"] = [];
    for (const [property, shape] of properties) {
        const values = shape === "single" ? [field(obj, property)] : readList(obj, property);
        if (!Array.isArray(values)) {
            continue;
        }
        for (const value of values) {
            const text = typeof value === "string" && !isUnknown(value) ? value : undefined;
            const cidr = text === undefined ? undefined : parseCidr(text);
            if (text !== undefined && cidr) {
                sources.push({ text, cidr, property });
            }
        }
    }
    return sources;
}

/**
 * The name a message gives a property of a group's inline entry `i`, in the group's own provider:
 * `ingress[0].cidrBlocks` (aws) or `securityGroupIngress[0].cidrIp` (aws-native, whose entries the view reads
 * in the aws shape; see aws-native.ts).
 */
function inlineName(group: PolicyResource, i: number, awsProperty?: string): string {
    const entry = `${propertyName(group.type, "ingress")}[${i}]`;
    if (awsProperty === undefined) {
        return entry;
    }
    return `${entry}.${inlineIngressPropertyName(group.type, awsProperty)}`;
}

/** A signature of one permission, to recognise an inline entry that mirrors a separate rule resource. */
function signature(protocol: ProtocolClass | Unknown | undefined, from: unknown, to: unknown, cidr: Cidr): string {
    const ports = protocol === "all" ? "*" : `${String(from)}-${String(to)}`;
    return `${String(protocol)}|${ports}|${cidrKey(cidr)}`;
}

/** The ingress permissions of one security group: separate rule resources, then inline `ingress` entries. */
function ingressOfGroup(group: PolicyResource, ruleResources: PolicyResource[]): Ingress[] {
    const result: Ingress[] = [];
    for (const rule of ruleResources) {
        const props = propsOf(rule);
        if (isA(rule, SECURITY_GROUP_RULE_TYPE)) {
            // `type` is required (ingress or egress); unknown or absent is not judged.
            if (readEnum(props, "type") !== "INGRESS") {
                continue;
            }
            result.push({
                urn: rule.urn,
                label: `security group rule ${resourceName(rule)}`,
                protocol: readProtocol(props, "protocol"),
                fromPort: readNumber(props, "fromPort"),
                toPort: readNumber(props, "toPort"),
                sources: cidrsOf(props, [["cidrBlocks", "list"], ["ipv6CidrBlocks", "list"]]),
            });
        } else {
            // An aws.vpc.SecurityGroupIngressRule, or an aws-native ec2.SecurityGroupIngress through its view
            // (cidrIp read as cidrIpv4 and named back as cidrIp). With ipProtocol -1 the ports do not matter:
            // every protocol and port ("regardless of any port range you specify", see aws-native-network.spec.ts).
            const protocol = readProtocol(props, "ipProtocol");
            result.push({
                urn: rule.urn,
                label: `security group ingress rule ${resourceName(rule)}`,
                replacedOnFix: isNative(rule.type),
                protocol,
                // With ipProtocol -1 the ports are absent: every port.
                fromPort: readNumber(props, "fromPort"),
                toPort: readNumber(props, "toPort"),
                sources: cidrsOf(props, [["cidrIpv4", "single"], ["cidrIpv6", "single"]])
                    .map(s => ({ ...s, property: propertyName(rule.type, s.property) })),
            });
        }
    }
    // After a refresh the provider lists separate rules in the group's `ingress` too: report those once, on the rule.
    // Not confirmed by a provider document as of 2026-12-03: @pulumi/aws 7.48.0 ec2/securityGroup.d.ts warns only that
    // in-line rules used with aws.vpc.SecurityGroupIngressRule "may cause rule conflicts, perpetual differences"; the
    // de-duplication is a guard against double reporting.
    const separate = new Set<string>();
    for (const rule of result) {
        rule.sources.forEach(s => separate.add(signature(rule.protocol, rule.fromPort, rule.toPort, s.cidr)));
    }
    const inline = readList(propsOf(group), "ingress");
    (Array.isArray(inline) ? inline : []).forEach((entry, i) => {
        if (isUnknown(entry)) {
            return;
        }
        const protocol = readProtocol(entry, "protocol");
        const fromPort = readNumber(entry, "fromPort");
        const toPort = readNumber(entry, "toPort");
        const sources = cidrsOf(entry, [["cidrBlocks", "list"], ["ipv6CidrBlocks", "list"]])
            .filter(s => !separate.has(signature(protocol, fromPort, toPort, s.cidr)))
            .map(s => ({ ...s, property: inlineName(group, i, s.property) }));
        result.push({ urn: group.urn, label: `${inlineName(group, i)} of security group ${resourceName(group)}`, protocol, fromPort, toPort, sources });
    });
    return result;
}

/**
 * Why an ingress permission exposes the broker, or undefined. A source is exposed when it is the world,
 * or, with an allow-list, when no allowed CIDR contains it. Unknown protocol, ports or CIDRs: not judged.
 * Every protocol or every port is flagged whatever the engine; otherwise the engine's broker ports.
 */
export function exposureReason(ingress: Ingress, engine: Engine | undefined | Unknown, allowed: readonly Cidr[]): string | undefined {
    const exposed = ingress.sources.filter(s => isWorld(s.cidr) || (allowed.length > 0 && !allowed.some(a => cidrContains(a, s.cidr))));
    if (exposed.length === 0 || ingress.protocol === UNKNOWN || ingress.protocol === undefined || ingress.protocol === "other") {
        return undefined;
    }
    const from = `${listNames(exposed.map(s => `${shown(s.text.trim(), 50)} (${s.property})`))}`;
    if (ingress.protocol === "all") {
        return `${ingress.label} allows every protocol and port from ${from}`;
    }
    const { fromPort, toPort } = ingress;
    if (typeof fromPort !== "number" || typeof toPort !== "number") {
        return undefined;
    }
    if (coversAllPorts(fromPort, toPort)) {
        return `${ingress.label} allows every port (${fromPort}-${toPort}) from ${from}`;
    }
    if (typeof engine !== "string") {
        return undefined;
    }
    const ports = brokerPortsIn(engine, fromPort, toPort);
    if (ports.length === 0) {
        return undefined;
    }
    return `${ingress.label} opens ${engine} port ${ports.map(p => `${p.port} (${p.label})`).join(", ")} to ${from}`;
}

/** Whether a permission reaches `port` over TCP: every protocol, or TCP with known ports around it. */
function reachesPort(ingress: Ingress, port: number): boolean {
    if (ingress.protocol === "all") {
        return true;
    }
    return ingress.protocol === "tcp" && typeof ingress.fromPort === "number" && typeof ingress.toPort === "number" &&
        ingress.fromPort <= port && port <= ingress.toPort;
}

/**
 * Why the broker's security groups, taken together, open a broker port to the whole internet although no
 * single source is the world (`0.0.0.0/1` + `128.0.0.0/1`, or every public block listed): the union of the
 * known sources reaching each port, across all of the broker's groups. Undefined when no port is so exposed,
 * or when a single /0 already is (that rule gets its own finding). Unknown sources, protocols and ports are
 * left out: what is known already reaching everyone is a finding whatever the unknowns turn out to be.
 */
export function unionExposureReason(permissions: readonly Ingress[], engine: Engine | undefined | Unknown): string | undefined {
    if (typeof engine !== "string") {
        return undefined;
    }
    const exposed: string[] = [];
    let pieces: Ingress["sources"] = [];
    for (const { port, label } of BROKER_PORTS[engine]) {
        const reaching = permissions.filter(p => reachesPort(p, port));
        const sources = reaching.flatMap(p => p.sources);
        if (sources.some(s => isWorld(s.cidr)) || !coversPublicInternet(sources.map(s => s.cidr))) {
            continue;
        }
        exposed.push(`${port} (${label})`);
        if (pieces.length === 0) {
            pieces = sources;
        }
    }
    if (exposed.length === 0) {
        return undefined;
    }
    const from = listNames(pieces.map(s => `${shown(s.text.trim(), 50)} (${s.property})`));
    return `the security groups of this broker together open ${engine} port ${exposed.join(", ")} to the whole internet: ` +
        `their sources ${from} add up to every public address, though none of them is 0.0.0.0/0 or ::/0`;
}

function fixFor(allowed: readonly string[], replaced: "none" | "this" | "some" = "none"): string {
    const accepted = allowed.length > 0 ? `CIDRs inside ${allowed.join(", ")}` : `CIDRs other than ${WORLD_CIDRS.join(" and ")}`;
    const update = replaced === "this" ? "an aws-native SecurityGroupIngress is replaced when its source, protocol or ports change (the broker is not)."
        : replaced === "some" ? "rules update in place, except an aws-native SecurityGroupIngress, which is replaced (the broker is not)."
            : "rules update in place.";
    return `remove the rule, or limit it to the broker ports your clients use from ${accepted} ` +
        `(or reference the clients' security group); ${update}`;
}

/**
 * Why a broker falls back to the VPC's default security group, or undefined; the fix in the broker's provider.
 * That a broker without securityGroups uses the VPC's default security group is NOT confirmed by an Amazon MQ page as
 * of 2026-12-03: CreateBroker documents securityGroups only as "The list of rules (1 minimum, 125 maximum) that
 * authorize connections to brokers" (CloudFormation SecurityGroups, as quoted in @pulumi/aws-native 1.79.0
 * amazonmq/broker.d.ts). It rests on the EC2 rule that a network interface created without a security group gets
 * the VPC's default one (Amazon MQ creates an elastic network interface in the broker's subnets).
 */
function defaultGroupReason(brokerType: string, broker: PlainObject, engine: Engine | undefined | Unknown): string | undefined {
    const groups = field(broker, "securityGroups");
    if (groups === UNKNOWN || (groups !== undefined && !(Array.isArray(groups) && groups.length === 0))) {
        return undefined;
    }
    // A public RabbitMQ broker takes no security groups (AWS rejects them), so the default group is not in play: NOT
    // confirmed by an AWS source as of 2026-12-03 (no page read states it); it rests on the pack's reading that a
    // public RabbitMQ broker sits behind an Amazon MQ-managed load balancer outside the customer's VPC
    // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-broker-architecture.html, read 2026-12-03,
    // "behind a Network Load Balancer"). publiclyAccessible defaults to false (see mq-broker-no-public-access.ts).
    const isPublic = readBoolean(broker, "publiclyAccessible");
    if (engine !== "ActiveMQ" && isPublic !== false && isPublic !== undefined) {
        return undefined;
    }
    const fallback = "securityGroups is not set, so the broker uses the VPC's default security group, which other resources " +
        "share and may open; ";
    if (isNative(brokerType)) {
        return `${fallback}create an aws-native ec2.SecurityGroup whose securityGroupIngress allows only the broker ports ` +
            "from your clients and set securityGroups: [group.groupId].";
    }
    return `${fallback}create an aws.ec2.SecurityGroup that allows only the broker ports from your clients and ` +
        "set securityGroups: [group.id] (this updates the broker in place).";
}

export interface MqStackNetworkExposureConfig {
    allowedIngressCidrs: string[];
}

export const mqStackNetworkExposure = stackPolicy<MqStackNetworkExposureConfig>({
    name: "mq-stack-network-exposure",
    description: "The security groups of Amazon MQ brokers must not open broker ports to the world.",
    severity: "high",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedIngressCidrs: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description: "An allow-list of source CIDRs (IPv4 or IPv6). Empty (the default): only the world " +
                    "(0.0.0.0/0, ::/0) is flagged. Non-empty: a rule reaching a broker port from any CIDR not inside one " +
                    "of these is flagged too. A /0 entry is rejected: disable the policy or use exclude instead.",
            },
        },
    },
    remediationSteps: "Give every broker its own aws.ec2.SecurityGroup (set securityGroups) whose ingress allows only " +
        "the broker ports clients use (ActiveMQ 61617, 5671, 61614, 8883, 61619, console 8162; RabbitMQ 5671, 443, 15671) " +
        "from your clients' CIDRs or security groups, never 0.0.0.0/0 or ::/0, and no all-protocol (-1) or all-port rule. " +
        "Rules declared inline, as aws.ec2.SecurityGroupRule or as aws.vpc.SecurityGroupIngressRule are all checked. " +
        "With @pulumi/aws-native the same rules apply to an ec2.SecurityGroup's securityGroupIngress entries (cidrIp, " +
        "cidrIpv6, ipProtocol -1 meaning every protocol and port) and to ec2.SecurityGroupIngress rules (groupId), in " +
        "either provider's groups; give an aws-native broker securityGroups: [group.groupId]." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "\n" +
        "const vpc = new aws.ec2.Vpc(\"mq\", { cidrBlock: \"10.20.0.0/16\" });\n" +
        "const group = new aws.ec2.SecurityGroup(\"orders-mq\", {\n" +
        "    vpcId: vpc.id,\n" +
        "    ingress: [{ protocol: \"tcp\", fromPort: 61617, toPort: 61617, cidrBlocks: [\"10.20.0.0/16\"] }],\n" +
        "});\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    securityGroups: [group.id],\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html#amazon-mq-vpc-security-groups",
    tags: ["Security Hub EC2.18", "Security Hub EC2.19", "AWS Config vpc-sg-open-only-to-authorized-ports"],
    validateConfig: config => {
        const errors: string[] = [];
        for (const text of config.allowedIngressCidrs ?? []) {
            const cidr = parseCidr(String(text));
            if (!cidr) {
                errors.push(`allowedIngressCidrs: ${JSON.stringify(text)} is not a CIDR such as 10.0.0.0/16 or 2001:db8::/32`);
            } else if (isWorld(cidr)) {
                errors.push(`allowedIngressCidrs: ${JSON.stringify(text)} allows the whole internet; ` +
                    "disable the policy or add the broker to exclude instead");
            }
        }
        return errors;
    },
    check: (resources, context) => {
        const allowedText = context.config.allowedIngressCidrs;
        const allowed = allowedText.map(parseCidr).filter((c): c is Cidr => c !== undefined);
        // Relate, once for the stack: rule resources by the group they belong to, and each group's permissions on demand.
        const rulesByGroup = dependentsByTarget(resources, new Set([SECURITY_GROUP_RULE_TYPE, INGRESS_RULE_TYPE]), "securityGroupId");
        const ingressByGroup = new Map<string, Ingress[]>();
        const ingressOf = (group: PolicyResource) => {
            let ingress = ingressByGroup.get(group.urn);
            if (!ingress) {
                ingress = ingressOfGroup(group, rulesByGroup.get(group.urn) ?? []);
                ingressByGroup.set(group.urn, ingress);
            }
            return ingress;
        };
        // A permission is judged once per engine, however many brokers share its group.
        const judged = new Map<Ingress, Map<unknown, string | undefined>>();
        const judge = (ingress: Ingress, engine: Engine | undefined | Unknown) => {
            let byEngine = judged.get(ingress);
            if (!byEngine) {
                byEngine = new Map();
                judged.set(ingress, byEngine);
            }
            if (!byEngine.has(engine)) {
                byEngine.set(engine, exposureReason(ingress, engine, allowed));
            }
            return byEngine.get(engine);
        };
        // One finding per offending permission and reason, naming every broker it exposes.
        const exposures = new Map<string, { urn: string; reason: string; brokers: Set<string>; replaced: boolean }>();
        const findings: StackFinding[] = [];
        const unions = new Map<string, string | undefined>();
        // Select the brokers; judge each against its own groups.
        for (const broker of context.brokers) {
            const props = propsOf(broker);
            const engine = engineOf(props);
            const fallback = defaultGroupReason(broker.type, props, engine);
            if (fallback) {
                findings.push({ urn: broker.urn, message: fallback });
            }
            const permissions: Ingress[] = [];
            for (const group of dependenciesOf(broker, "securityGroups")) {
                if (!isA(group, SECURITY_GROUP_TYPE)) {
                    continue;
                }
                for (const ingress of ingressOf(group)) {
                    permissions.push(ingress);
                    const reason = judge(ingress, engine);
                    if (!reason) {
                        continue;
                    }
                    const key = `${ingress.urn}\n${reason}`;
                    const entry = exposures.get(key);
                    if (entry) {
                        entry.brokers.add(resourceName(broker));
                    } else {
                        exposures.set(key, { urn: ingress.urn, reason, brokers: new Set([resourceName(broker)]), replaced: ingress.replacedOnFix === true });
                    }
                }
            }
            // Judge the union too: the world split into pieces is still the world. Brokers sharing the same
            // groups share the answer, so it is worked out once per set of groups and engine.
            const unionKey = `${String(engine)}\n${dependenciesOf(broker, "securityGroups").map(g => g.urn).join("\n")}`;
            if (!unions.has(unionKey)) {
                const union = unionExposureReason(permissions, engine);
                const replaced = permissions.some(p => p.replacedOnFix === true) ? "some" : "none";
                unions.set(unionKey, union === undefined ? undefined : `${union}; ${fixFor(allowedText, replaced)}`);
            }
            const union = unions.get(unionKey);
            if (union) {
                findings.push({ urn: broker.urn, message: union });
            }
        }
        for (const { urn, reason, brokers, replaced } of exposures.values()) {
            findings.push({ urn, message: `${reason}, exposing broker ${listNames([...brokers])}; ${fixFor(allowedText, replaced ? "this" : "none")}` });
        }
        return findings;
    },
});
