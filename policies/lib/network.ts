// Network facts about Amazon MQ brokers: the ports each engine listens on, what "the world" is, IP
// protocols as security group rules spell them, and CIDR parsing/containment for allow-lists.
// Pure functions, no regular expressions that can backtrack.
import type { Engine } from "./broker";

export interface BrokerPort {
    port: number;
    label: string;
}

/**
 * The TCP ports clients reach a broker on, the same for every engine version Amazon MQ offers:
 * - ActiveMQ: OpenWire 61617, AMQP 5671, STOMP 61614, MQTT 8883, WSS 61619 and the web console 8162. Re-read
 *   2026-12-03: the Amazon MQ developer guide's ActiveMQ broker page lists a broker's attributes as "An ActiveMQ
 *   Web Console URL (https://b-1234...-1.mq.us-east-2.amazonaws.com:8162)" and the wire-level protocol endpoints
 *   `amqp+ssl://...:5671`, `mqtt+ssl://...:8883`, `ssl://...:61617` ("This is an OpenWire endpoint"),
 *   `stomp+ssl://...:61614` and `wss://...:61619`
 *   (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-basic-elements.html, the current page,
 *   whose stored copies showed the console on 8162 and the first endpoint on 5671 before they were cut; the full
 *   list read in the older .../broker.html and its source,
 *   https://github.com/awsdocs/amazon-mq-developer-guide/blob/main/doc_source/broker.md; all read 2026-12-03).
 *   "Use VPC security groups to block unnecessary protocols"
 *   (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html#amazon-mq-vpc-security-groups,
 *   read 2026-12-03 in its translated versions only, which give OpenWire and the web console as the example of
 *   ports to keep) names no other port. The sources agree: the six ports are unchanged.
 * - RabbitMQ 3.x and 4.x: AMQPS 5671 (AMQP 0-9-1, and AMQP 1.0 on RabbitMQ 4) and the web console and management
 *   API on 443 and 15671 ("Listener ports", https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/working-with-rabbitmq.html,
 *   read 2026-12-03; the page's RabbitMQ 4 revision adds AMQP 1.0 on 5671 and no new listener). RabbitMQ 4.2's
 *   Prometheus metrics are documented as paths (`/metrics`, `/metrics/detailed`, `/metrics/memory-breakdown`,
 *   https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-prometheus-metrics.html, read 2026-12-03),
 *   not as a port of their own, so no port is added for them: where AWS documents one, add it here. A rule opening
 *   every port is flagged whatever the list says.
 */
export const BROKER_PORTS: Record<Engine, readonly BrokerPort[]> = {
    ActiveMQ: [
        { port: 61617, label: "OpenWire" },
        { port: 5671, label: "AMQP" },
        { port: 61614, label: "STOMP" },
        { port: 8883, label: "MQTT" },
        { port: 61619, label: "WSS" },
        { port: 8162, label: "web console" },
    ],
    RabbitMQ: [
        { port: 5671, label: "AMQPS" },
        { port: 443, label: "management console" },
        { port: 15671, label: "management API" },
    ],
};

/** The CIDRs that mean "anyone on the internet". Any /0 is treated the same. */
export const WORLD_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];

/** A rule port range that starts at or below this and ends at or above 65535 opens every port. */
const LOWEST_REAL_PORT = 1;
const HIGHEST_PORT = 65535;

export type ProtocolClass = "all" | "tcp" | "other";

/**
 * How a security group rule's protocol reaches broker ports: `-1`/`all` is every protocol and port; `tcp`
 * or `6` carries the broker's protocols; anything else (udp, icmp, a number) never reaches them.
 * The same for both providers: EC2's IpProtocol, which the CloudFormation schemas behind @pulumi/aws-native
 * repeat ("Use -1 to specify all protocols. ... specifying -1 or a protocol number other than tcp, udp, icmp, or
 * icmpv6 allows traffic on all ports, regardless of any port range you specify. For tcp, udp, and icmp, you must
 * specify a port range"; AWS::EC2::SecurityGroup Ingress and AWS::EC2::SecurityGroupIngress,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-securitygroup-ingress.html
 * and .../aws-resource-ec2-securitygroupingress.html, read 2026-12-03): a protocol number other than 6 opens all
 * ports of that protocol only, never TCP. A tcp range of -1 (which means "every ICMP type" only) is rejected by
 * EC2, so it opens no broker port.
 */
export function protocolClass(protocol: string): ProtocolClass {
    const p = protocol.trim().toLowerCase();
    if (p === "-1" || p === "all") {
        return "all";
    }
    if (p === "tcp" || p === "6") {
        return "tcp";
    }
    return "other";
}

/** Whether a port range is every port (0-65535 or 1-65535 and wider). */
export function coversAllPorts(from: number, to: number): boolean {
    return from <= LOWEST_REAL_PORT && to >= HIGHEST_PORT;
}

/** The engine's broker ports inside [from, to]. */
export function brokerPortsIn(engine: Engine, from: number, to: number): BrokerPort[] {
    return BROKER_PORTS[engine].filter(p => p.port >= from && p.port <= to);
}

export interface Cidr {
    version: 4 | 6;
    /** The network address as 32-bit words (one for IPv4, four for IPv6), host bits cleared. */
    words: number[];
    prefix: number;
}

const DIGITS = /^[0-9]{1,3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4) {
        return undefined;
    }
    let value = 0;
    for (const part of parts) {
        if (!DIGITS.test(part) || Number(part) > 255) {
            return undefined;
        }
        value = value * 256 + Number(part);
    }
    return value;
}

/** Eight 16-bit groups, or undefined. Accepts `::` compression and an embedded IPv4 tail. */
function parseIpv6(text: string): number[] | undefined {
    if (text.length === 0 || text.length > 45) {
        return undefined;
    }
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groupsOf = (part: string): string[] => (part === "" ? [] : part.split(":"));
    const head = groupsOf(halves[0]);
    const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
    const last = halves.length === 2 ? tail : head;
    const numbers = (groups: string[]): number[] | undefined => {
        const result: number[] = [];
        for (let i = 0; i < groups.length; i++) {
            const group = groups[i];
            if (i === groups.length - 1 && groups === last && group.includes(".")) {
                const v4 = parseIpv4(group);
                if (v4 === undefined) {
                    return undefined;
                }
                result.push(Math.floor(v4 / 65536), v4 % 65536);
            } else if (HEX_GROUP.test(group)) {
                result.push(parseInt(group, 16));
            } else {
                return undefined;
            }
        }
        return result;
    };
    const headNumbers = numbers(head);
    const tailNumbers = numbers(tail);
    if (!headNumbers || !tailNumbers) {
        return undefined;
    }
    const missing = 8 - headNumbers.length - tailNumbers.length;
    if (halves.length === 1 ? missing !== 0 : missing < 1) {
        return undefined;
    }
    return [...headNumbers, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tailNumbers];
}

/** The word with only its first `bits` (0-32) bits kept. */
function keepBits(word: number, bits: number): number {
    if (bits <= 0) {
        return 0;
    }
    if (bits >= 32) {
        return word;
    }
    const span = 2 ** (32 - bits);
    return Math.floor(word / span) * span;
}

/** Parses `a.b.c.d/n` or an IPv6 `x::/n` (a bare address is a /32 or /128). Undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
    const trimmed = text.trim();
    const slash = trimmed.indexOf("/");
    const addressText = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
    const prefixText = slash >= 0 ? trimmed.slice(slash + 1) : undefined;
    const version: 4 | 6 = addressText.includes(":") ? 6 : 4;
    const bits = version === 4 ? 32 : 128;
    let words: number[];
    if (version === 4) {
        const v4 = parseIpv4(addressText);
        if (v4 === undefined) {
            return undefined;
        }
        words = [v4];
    } else {
        const groups = parseIpv6(addressText);
        if (!groups) {
            return undefined;
        }
        words = [0, 1, 2, 3].map(i => groups[2 * i] * 65536 + groups[2 * i + 1]);
    }
    let prefix = bits;
    if (prefixText !== undefined) {
        if (!DIGITS.test(prefixText) || Number(prefixText) > bits) {
            return undefined;
        }
        prefix = Number(prefixText);
    }
    return { version, words: words.map((w, i) => keepBits(w, prefix - 32 * i)), prefix };
}

/** Whether the CIDR is the whole address space (0.0.0.0/0, ::/0 or any other /0). */
export function isWorld(cidr: Cidr): boolean {
    return cidr.prefix === 0;
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    if (outer.version !== inner.version || inner.prefix < outer.prefix) {
        return false;
    }
    return outer.words.every((word, i) => keepBits(inner.words[i], outer.prefix - 32 * i) === word);
}

/** A canonical text of the network (host bits cleared), to compare two CIDRs written differently. */
export function cidrKey(cidr: Cidr): string {
    return `${cidr.version}:${cidr.words.join(".")}/${cidr.prefix}`;
}

// ---- The union of many sources: an internet-wide source split into pieces is still the world. ----

const IPV4_LAST = (1n << 32n) - 1n;

/**
 * IPv4 ranges that are not the public internet (RFC 6890 special-purpose blocks): "this network" 0/8, private
 * 10/8, 172.16/12 and 192.168/16, shared address space 100.64/10, loopback 127/8, link-local 169.254/16, and
 * multicast and reserved 224/3. A set of sources that covers every other address reaches the whole internet,
 * however it is split (0.0.0.0/1 + 128.0.0.0/1, or every public /8).
 * Source: RFC 6890, "Special-Purpose IP Address Registries" (https://www.rfc-editor.org/rfc/rfc6890, BCP 153),
 * and the IANA IPv4 Special-Purpose Address Registry it restructured
 * (https://www.iana.org/assignments/iana-ipv4-special-registry/), read 2026-12-03 in copies of the registry table:
 * 0.0.0.0/8 "This host on this network", 10/8, 172.16/12, 192.168/16 "Private-Use", 100.64/10 "Shared Address
 * Space", 127/8 "Loopback", 169.254/16 "Link Local", 240/4 "Reserved". Multicast 224/4 is IANA's multicast
 * space (RFC 5771), not a 6890 entry. Smaller non-global blocks (192.0.2/24 and the other documentation and
 * benchmarking ranges) are left as "public": a union must cover them too, so the pack errs on not calling a
 * near-world union the world.
 */
const NOT_PUBLIC_V4 = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.168.0.0/16", "224.0.0.0/3"];

/**
 * IPv6 global unicast, 2000::/3: sources covering all of it reach the whole IPv6 internet. The IANA IPv6 Address
 * Space registry (https://www.iana.org/assignments/ipv6-address-space/, read 2026-12-03 in a copy) lists
 * "2000::/3 Global Unicast [RFC4291]" and "IANA unicast address assignments are currently limited to the IPv6
 * unicast address range of 2000::/3".
 */
const PUBLIC_V6 = "2000::/3";

function v4Range(cidr: Cidr): [bigint, bigint] {
    const start = BigInt(cidr.words[0]);
    return [start, start + (1n << BigInt(32 - cidr.prefix)) - 1n];
}

function v6Range(cidr: Cidr): [bigint, bigint] {
    let start = 0n;
    for (const word of cidr.words) {
        start = (start << 32n) + BigInt(word);
    }
    return [start, start + (1n << BigInt(128 - cidr.prefix)) - 1n];
}

/** Whether the union of `ranges` covers [from, to]: sort, then sweep once (n log n in the number of sources). */
function covers(ranges: Array<[bigint, bigint]>, from: bigint, to: bigint): boolean {
    const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let next = from;
    for (const [start, end] of sorted) {
        if (start > next) {
            return false;
        }
        if (end >= next) {
            if (end >= to) {
                return true;
            }
            next = end + 1n;
        }
    }
    return false;
}

/**
 * Whether a set of source CIDRs, taken together, reaches the whole internet: every public IPv4 address, or
 * every global unicast IPv6 address. A single /0 does; so do two /1 halves or all public blocks listed one by
 * one. Private and special-purpose ranges count as covered, since they are not the internet.
 */
export function coversPublicInternet(sources: readonly Cidr[]): boolean {
    const v4 = sources.filter(c => c.version === 4).map(v4Range);
    if (v4.length > 0) {
        const reserved = NOT_PUBLIC_V4.map(text => v4Range(parseCidr(text)!));
        if (covers([...v4, ...reserved], 0n, IPV4_LAST)) {
            return true;
        }
    }
    const v6 = sources.filter(c => c.version === 6).map(v6Range);
    if (v6.length > 0) {
        const [from, to] = v6Range(parseCidr(PUBLIC_V6)!);
        if (covers(v6, from, to)) {
            return true;
        }
    }
    return false;
}
