// Network facts about Amazon MQ brokers: the ports each engine listens on, what "the world" is, IP
// protocols as security group rules spell them, and CIDR parsing/containment for allow-lists.
// Pure functions, no regular expressions that can backtrack.
import type { Engine } from "./broker";

export interface BrokerPort {
    port: number;
    label: string;
}

/**
 * The TCP ports clients reach a broker on (Amazon MQ developer guide, "Configuring security groups"):
 * ActiveMQ OpenWire 61617, AMQP 5671, STOMP 61614, MQTT 8883, WSS 61619 and the web console 8162;
 * RabbitMQ AMQPS 5671 and the management console/API on 443 and 15671.
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
    /** The network address as a 32- or 128-bit integer. */
    address: bigint;
    prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4) {
        return undefined;
    }
    let value = 0n;
    for (const part of parts) {
        if (part.length === 0 || part.length > 3 || !/^[0-9]+$/.test(part)) {
            return undefined;
        }
        const n = Number(part);
        if (n > 255) {
            return undefined;
        }
        value = (value << 8n) | BigInt(n);
    }
    return value;
}

function parseIpv6(text: string): bigint | undefined {
    if (text.length === 0 || text.length > 45) {
        return undefined;
    }
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groupsOf = (s: string): string[] | undefined => (s === "" ? [] : s.split(":"));
    let head = groupsOf(halves[0]);
    let tail = halves.length === 2 ? groupsOf(halves[1]) : [];
    if (!head || !tail) {
        return undefined;
    }
    // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
    const last = (halves.length === 2 ? tail : head);
    if (last.length > 0 && last[last.length - 1].includes(".")) {
        const v4 = parseIpv4(last[last.length - 1]);
        if (v4 === undefined) {
            return undefined;
        }
        const replaced = [...last.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
        if (halves.length === 2) {
            tail = replaced;
        } else {
            head = replaced;
        }
    }
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) {
        return undefined;
    }
    const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    let value = 0n;
    for (const group of groups) {
        if (group.length === 0 || group.length > 4 || !/^[0-9a-fA-F]+$/.test(group)) {
            return undefined;
        }
        value = (value << 16n) | BigInt(parseInt(group, 16));
    }
    return value;
}

/** Parses `a.b.c.d/n` or an IPv6 `x::/n` (a bare address is a /32 or /128). Undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
    const trimmed = text.trim();
    const slash = trimmed.indexOf("/");
    const addressText = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
    const prefixText = slash >= 0 ? trimmed.slice(slash + 1) : undefined;
    const version: 4 | 6 = addressText.includes(":") ? 6 : 4;
    const bits = version === 4 ? 32 : 128;
    const parsed = version === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
    if (parsed === undefined) {
        return undefined;
    }
    let prefix = bits;
    if (prefixText !== undefined) {
        if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
            return undefined;
        }
        prefix = Number(prefixText);
    }
    const hostBits = BigInt(bits - prefix);
    const address = (parsed >> hostBits) << hostBits;
    return { version, address, prefix };
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
    const bits = outer.version === 4 ? 32 : 128;
    const hostBits = BigInt(bits - outer.prefix);
    return (inner.address >> hostBits) === (outer.address >> hostBits);
}
