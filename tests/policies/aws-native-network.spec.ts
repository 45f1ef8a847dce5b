// mq-stack-network-exposure on stacks declared (in whole or in part) with @pulumi/aws-native: brokers, security
// groups with inline `securityGroupIngress` entries, and separate `ec2.SecurityGroupIngress` rules, judged by the
// same rules as their @pulumi/aws equivalents and reported under the names the user edits in their provider.
//
// What the CloudFormation schemas (which aws-native follows) say about the fields read here, read 2026-12-03:
// - AWS::EC2::SecurityGroup Ingress (inline) and AWS::EC2::SecurityGroupIngress (separate), properties IpProtocol,
//   FromPort, ToPort, CidrIp, CidrIpv6
//   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-securitygroup-ingress.html,
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html,
//   and the same text in @pulumi/aws-native 1.79.0 types/input.d.ts and ec2/securityGroupIngress.d.ts):
//   "Use -1 to specify all protocols. When authorizing security group rules, specifying -1 or a protocol number
//   other than tcp, udp, icmp, or icmpv6 allows traffic on all ports, regardless of any port range you specify.
//   For tcp, udp, and icmp, you must specify a port range." FromPort/ToPort: "If the protocol is TCP or UDP, this
//   is the start [end] of the port range. If the protocol is ICMP or ICMPv6, this is the ICMP type [code] or -1".
// - So -1 as a port means "every ICMP type/code" only; for tcp EC2 rejects it ("TCP/UDP (from) port (-1) out of
//   range", https://github.com/aws/aws-cli/issues/1066, read 2026-12-03), and a tcp rule without ports is rejected
//   too (a range is required). Neither can open a broker port, so neither is a finding.
import * as assert from "assert";
import type * as native from "../../policies/lib/aws-native-sdk";
import type { Unwrap } from "@pulumi/pulumi";
import { mqStackNetworkExposure as policy } from "../../policies/mq-stack-network-exposure";
import { compliantActiveMq, compliantRabbitMq } from "../support/fixtures";
import { analyzeStack, StackResource, unknown } from "../support/runtime";
import { broker, resource, TYPES } from "../support/stacks";

type Engine = "ActiveMQ" | "RabbitMQ";
type Entry = Partial<Unwrap<native.types.input.ec2.SecurityGroupIngressArgs>> & Record<string, unknown>;
type IngressProps = Partial<Unwrap<native.ec2.SecurityGroupIngressArgs>> & Record<string, unknown>;
/** What a hostile or preview test hands in where an entry goes: wrong types and unknown sentinels included. */
type Loose = Record<string, unknown>;

const NATIVE = {
    broker: "aws-native:amazonmq:Broker",
    securityGroup: "aws-native:ec2:SecurityGroup",
    securityGroupIngress: "aws-native:ec2:SecurityGroupIngress",
} as const;

/** One inline `securityGroupIngress` entry (or separate rule) opening a TCP port (range) from one IPv4 CIDR. */
function tcp(port: number, cidrIp: string, to = port): Entry {
    return { ipProtocol: "tcp", fromPort: port, toPort: to, cidrIp };
}

/** An aws-native security group with inline ingress entries, as Cloud Control reports it. */
function nativeGroup(name: string, securityGroupIngress?: Array<Entry | Loose>): StackResource {
    const props: Record<string, unknown> = { groupDescription: `${name} clients`, vpcId: "vpc-0abc", groupId: `sg-${name}` };
    if (securityGroupIngress !== undefined) {
        props.securityGroupIngress = securityGroupIngress;
    }
    return resource(NATIVE.securityGroup, name, props);
}

/** A separate aws-native `ec2.SecurityGroupIngress` whose `groupId` comes from `group`. */
function nativeRule(name: string, props: IngressProps | Loose, group: StackResource): StackResource {
    return resource(NATIVE.securityGroupIngress, name, { groupId: unknown.string, ...props }, { groupId: [group] });
}

/** An aws-native broker (tags as `[{ key, value }]`) from the golden fixture, with changed outputs. */
function nativeBroker(name: string, change: Record<string, unknown> = {}, feeds: Record<string, StackResource[]> = {},
    engine: Engine = "ActiveMQ"): StackResource {
    const { tags, ...rest } = engine === "ActiveMQ" ? compliantActiveMq() : compliantRabbitMq();
    const props: Record<string, unknown> = {
        ...rest,
        tags: Object.entries(tags ?? {}).map(([key, value]) => ({ key, value })),
        brokerName: name,
        ...change,
    };
    for (const [key, value] of Object.entries(change)) {
        if (value === undefined) {
            delete props[key];
        }
    }
    return resource(NATIVE.broker, name, props, feeds);
}

/** A native broker using one native group, with the group's inline entries and any separate rules. */
function guarded(entries: Array<Entry | Loose>, engine: Engine = "ActiveMQ", rules: Array<[string, IngressProps | Loose]> = []): StackResource[] {
    const sg = nativeGroup("mq-sg", entries);
    return [sg, ...rules.map(([name, props]) => nativeRule(name, props, sg)), nativeBroker("orders-broker", {}, { securityGroups: [sg] }, engine)];
}

/** A native broker using one native group whose properties are exactly `props` (for unknown or odd shapes). */
function withGroupProps(props: Record<string, unknown>): StackResource[] {
    const sg = { ...nativeGroup("mq-sg"), props };
    return [sg, nativeBroker("orders-broker", {}, { securityGroups: [sg] })];
}

function body(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-stack-network-exposure with @pulumi/aws-native", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        const stack = guarded([tcp(61617, "10.0.0.0/16"), tcp(8162, "10.1.0.0/16")], "ActiveMQ",
            [["mq-stomp", tcp(61614, "10.0.0.0/8")]]);
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        const stack = guarded([tcp(5671, "10.0.0.0/16")], "RabbitMQ",
            [["mq-console", { ipProtocol: "6", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/32" }]]);
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("passes a group without securityGroupIngress (absent: no inbound rule)", async () => {
        const sg = nativeGroup("mq-sg");
        assert.deepStrictEqual(await analyzeStack(policy, [sg, nativeBroker("orders-broker", {}, { securityGroups: [sg] })]), []);
    });

    it("flags an inline entry opening OpenWire to 0.0.0.0/0 on the group's URN, naming securityGroupIngress[0].cidrIp", async () => {
        const stack = guarded([tcp(61617, "0.0.0.0/0")]);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[0].urn);
        assert.strictEqual(body(violations[0].message),
            "securityGroupIngress[0] of security group mq-sg opens ActiveMQ port 61617 (OpenWire) to 0.0.0.0/0 " +
            "(securityGroupIngress[0].cidrIp), exposing broker orders-broker; remove the rule, or limit it to the broker " +
            "ports your clients use from CIDRs other than 0.0.0.0/0 and ::/0 (or reference the clients' security group); " +
            "rules update in place.");
    });

    it("flags an inline cidrIpv6 ::/0 on a RabbitMQ port, naming securityGroupIngress[1].cidrIpv6", async () => {
        const violations = await analyzeStack(policy, guarded([tcp(5671, "10.0.0.0/8"),
            { ipProtocol: "tcp", fromPort: 15671, toPort: 15671, cidrIpv6: "::/0" }], "RabbitMQ"));
        assert.strictEqual(violations.length, 1);
        assert.match(body(violations[0].message),
            /^securityGroupIngress\[1\] of security group mq-sg opens RabbitMQ port 15671 \(management API\) to ::\/0 \(securityGroupIngress\[1\]\.cidrIpv6\)/);
        assert.doesNotMatch(violations[0].message, /cidrBlocks|ipv6CidrBlocks|ingress\[1\] of/);
    });

    it("reads ipProtocol \"6\" as tcp", async () => {
        const violations = await analyzeStack(policy, guarded([{ ipProtocol: "6", fromPort: 61600, toPort: 61700, cidrIp: "0.0.0.0/0" }]));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /opens ActiveMQ port 61617 \(OpenWire\), 61614 \(STOMP\), 61619 \(WSS\) to 0\.0\.0\.0\/0/);
    });

    it("flags ipProtocol \"-1\" as every protocol and port, with ports absent or -1, on both engines", async () => {
        for (const engine of ["ActiveMQ", "RabbitMQ"] as Engine[]) {
            for (const ports of [{}, { fromPort: -1, toPort: -1 }, { fromPort: 22, toPort: 22 }]) {
                const violations = await analyzeStack(policy, guarded([{ ipProtocol: "-1", cidrIp: "0.0.0.0/0", ...ports }], engine));
                assert.strictEqual(violations.length, 1, `${engine} ${JSON.stringify(ports)}`);
                assert.match(body(violations[0].message),
                    /^securityGroupIngress\[0\] of security group mq-sg allows every protocol and port from 0\.0\.0\.0\/0 \(securityGroupIngress\[0\]\.cidrIp\)/);
            }
        }
    });

    it("flags tcp over every port (0-65535), and passes tcp with ports -1 or absent, which EC2 rejects", async () => {
        const all = await analyzeStack(policy, guarded([tcp(0, "0.0.0.0/0", 65535)], "RabbitMQ"));
        assert.match(all[0].message, /securityGroupIngress\[0\] of security group mq-sg allows every port \(0-65535\) from 0\.0\.0\.0\/0/);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([{ ipProtocol: "tcp", fromPort: -1, toPort: -1, cidrIp: "0.0.0.0/0" }])), []);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([{ ipProtocol: "tcp", cidrIp: "0.0.0.0/0" }])), []);
    });

    it("ignores udp and icmp entries from the world", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, guarded([
            { ipProtocol: "udp", fromPort: 0, toPort: 65535, cidrIp: "0.0.0.0/0" },
            { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIp: "0.0.0.0/0" },
            { ipProtocol: "58", fromPort: -1, toPort: -1, cidrIpv6: "::/0" },
        ])), []);
    });

    it("flags a separate aws-native SecurityGroupIngress (groupId fed by the group) on its own URN, naming cidrIp", async () => {
        const stack = guarded([], "RabbitMQ", [["mq-public", tcp(5671, "0.0.0.0/0")]]);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[1].urn);
        assert.match(body(violations[0].message),
            /^security group ingress rule mq-public opens RabbitMQ port 5671 \(AMQPS\) to 0\.0\.0\.0\/0 \(cidrIp\), exposing broker orders-broker; remove the rule/);
        // Its source, protocol and ports are all replace-on-change in @pulumi/aws-native: the message does not promise an in-place update.
        assert.match(violations[0].message, /; an aws-native SecurityGroupIngress is replaced when its source, protocol or ports change \(the broker is not\)\.$/);
        assert.doesNotMatch(violations[0].message, /cidrIpv4/);
    });

    it("flags a separate SecurityGroupIngress allowing every protocol from ::/0, naming cidrIpv6", async () => {
        const stack = guarded([], "ActiveMQ", [["mq-any", { ipProtocol: "-1", cidrIpv6: "::/0" }]]);
        const violations = await analyzeStack(policy, stack);
        assert.deepStrictEqual(violations.map(v => v.urn), [stack[1].urn]);
        assert.match(body(violations[0].message), /^security group ingress rule mq-any allows every protocol and port from ::\/0 \(cidrIpv6\)/);
    });

    it("ignores separate rules of groups the broker does not use", async () => {
        const other = nativeGroup("other-sg", [tcp(61617, "0.0.0.0/0")]);
        const stack = [...guarded([]), other, nativeRule("other-rule", tcp(61617, "0.0.0.0/0"), other)];
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("reports a separate rule once when the refreshed group also lists it inline", async () => {
        const stack = guarded([tcp(61617, "0.0.0.0/0")], "ActiveMQ", [["mq-public", tcp(61617, "0.0.0.0/0")]]);
        assert.deepStrictEqual((await analyzeStack(policy, stack)).map(v => v.urn), [stack[1].urn]);
    });

    it("flags an aws-native broker without securityGroups, naming the aws-native group to create", async () => {
        for (const securityGroups of [undefined, []]) {
            const stack = [nativeBroker("orders-broker", { securityGroups })];
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, stack[0].urn);
            assert.match(body(violations[0].message),
                /^securityGroups is not set, so the broker uses the VPC's default security group, .* create an aws-native ec2\.SecurityGroup .* set securityGroups: \[group\.groupId\]/);
            assert.doesNotMatch(violations[0].message, /aws\.ec2\.SecurityGroup/);
        }
        assert.deepStrictEqual(await analyzeStack(policy, [nativeBroker("b", { securityGroups: undefined, publiclyAccessible: true }, {}, "RabbitMQ")]), []);
    });

    describe("across providers", () => {
        it("flags an aws broker using an aws-native group, with the group's aws-native names", async () => {
            const sg = nativeGroup("mq-sg", [tcp(8162, "0.0.0.0/0")]);
            const violations = await analyzeStack(policy, [sg, broker("orders-broker", {}, { securityGroups: [sg] })]);
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, sg.urn);
            assert.match(body(violations[0].message),
                /^securityGroupIngress\[0\] of security group mq-sg opens ActiveMQ port 8162 \(web console\) to 0\.0\.0\.0\/0 \(securityGroupIngress\[0\]\.cidrIp\), exposing broker orders-broker/);
        });

        it("flags an aws-native broker using an aws group, with the group's aws names", async () => {
            const sg = resource(TYPES.securityGroup, "mq-sg", { vpcId: "vpc-0abc", ingress: [{ protocol: "tcp", fromPort: 5671, toPort: 5671, cidrBlocks: ["0.0.0.0/0"] }] });
            const violations = await analyzeStack(policy, [sg, nativeBroker("orders-broker", {}, { securityGroups: [sg] }, "RabbitMQ")]);
            assert.strictEqual(violations.length, 1);
            assert.match(body(violations[0].message),
                /^ingress\[0\] of security group mq-sg opens RabbitMQ port 5671 \(AMQPS\) to 0\.0\.0\.0\/0 \(ingress\[0\]\.cidrBlocks\), exposing broker orders-broker/);
        });

        it("flags an aws.vpc.SecurityGroupIngressRule on an aws-native group, with its aws name", async () => {
            const sg = nativeGroup("mq-sg", []);
            const rule = resource(TYPES.ingressRule, "mq-any", { securityGroupId: unknown.string, ipProtocol: "tcp", fromPort: 61617, toPort: 61617, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [sg] });
            const violations = await analyzeStack(policy, [sg, rule, nativeBroker("orders-broker", {}, { securityGroups: [sg] })]);
            assert.deepStrictEqual(violations.map(v => v.urn), [rule.urn]);
            assert.match(body(violations[0].message), /\(cidrIpv4\)/);
        });

        it("reports one group shared by an aws and an aws-native broker once, naming both", async () => {
            const sg = nativeGroup("shared-sg", [tcp(5671, "0.0.0.0/0")]);
            const stack = [sg, broker("a-broker", {}, { securityGroups: [sg] }), nativeBroker("b-broker", {}, { securityGroups: [sg] })];
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1);
            assert.match(violations[0].message, /exposing broker a-broker, b-broker/);
        });
    });

    describe("the union of sources: the world split into pieces is still the world", () => {
        it("flags 0.0.0.0/1 inline + 128.0.0.0/1 in a separate rule on the broker's URN, naming both pieces", async () => {
            const stack = guarded([tcp(61617, "0.0.0.0/1")], "ActiveMQ", [["upper-half", tcp(61617, "128.0.0.0/1")]]);
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, stack[2].urn);
            assert.match(body(violations[0].message),
                /^the security groups of this broker together open ActiveMQ port 61617 \(OpenWire\) to the whole internet: their sources 128\.0\.0\.0\/1 \(cidrIp\), 0\.0\.0\.0\/1 \(securityGroupIngress\[0\]\.cidrIp\) add up to every public address/);
            assert.match(violations[0].message, /rules update in place, except an aws-native SecurityGroupIngress, which is replaced \(the broker is not\)\.$/);
        });

        it("flags pieces split across an aws group and an aws-native group of one broker (either provider's broker)", async () => {
            const awsGroup = resource(TYPES.securityGroup, "aws-sg", { ingress: [{ protocol: "tcp", fromPort: 5671, toPort: 5671, cidrBlocks: ["0.0.0.0/1"] }] });
            const nativeSg = nativeGroup("native-sg", [tcp(5671, "128.0.0.0/1")]);
            for (const b of [broker("orders-broker", {}, { securityGroups: [awsGroup, nativeSg] }, "RabbitMQ"),
                nativeBroker("orders-broker", {}, { securityGroups: [awsGroup, nativeSg] }, "RabbitMQ")]) {
                const violations = await analyzeStack(policy, [awsGroup, nativeSg, b]);
                assert.strictEqual(violations.length, 1, b.type);
                assert.strictEqual(violations[0].urn, b.urn);
                assert.match(body(violations[0].message),
                    /together open RabbitMQ port 5671 \(AMQPS\) to the whole internet: their sources 0\.0\.0\.0\/1 \(ingress\[0\]\.cidrBlocks\), 128\.0\.0\.0\/1 \(securityGroupIngress\[0\]\.cidrIp\)/);
            }
        });

        it("flags IPv6 pieces (2000::/4 + 3000::/4) across an inline entry and a separate rule", async () => {
            const stack = guarded([{ ipProtocol: "tcp", fromPort: 8162, toPort: 8162, cidrIpv6: "2000::/4" }], "ActiveMQ",
                [["upper", { ipProtocol: "tcp", fromPort: 8162, toPort: 8162, cidrIpv6: "3000::/4" }]]);
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1);
            assert.match(body(violations[0].message), /together open ActiveMQ port 8162 \(web console\) to the whole internet/);
        });

        it("passes pieces that leave a public range out or sit on different ports", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/1")], "ActiveMQ", [["r", tcp(61617, "128.0.0.0/2")]])), []);
            assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/1")], "ActiveMQ", [["r", tcp(61614, "128.0.0.0/1")]])), []);
        });
    });

    it("with allowedIngressCidrs, flags a source outside the allow-list, by its aws-native name", async () => {
        const config = { allowedIngressCidrs: ["10.0.0.0/8"] };
        assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "10.20.0.0/16")]), { config }), []);
        const outside = await analyzeStack(policy, guarded([], "ActiveMQ", [["partner", tcp(61617, "192.168.0.0/16")]]), { config });
        assert.strictEqual(outside.length, 1);
        assert.match(outside[0].message, /to 192\.168\.0\.0\/16 \(cidrIp\).* CIDRs inside 10\.0\.0\.0\/8/);
    });

    it("reports nothing while groups, entries, protocols, ports, CIDRs or the engine are unknown (preview)", async () => {
        const none = async (stack: StackResource[], why: string) => assert.deepStrictEqual(await analyzeStack(policy, stack), [], why);
        await none([nativeBroker("orders-broker", { securityGroups: unknown.array })], "securityGroups unknown");
        await none(withGroupProps({ securityGroupIngress: unknown.array }), "securityGroupIngress unknown");
        const sg = nativeGroup("mq-sg", [tcp(61617, unknown.string)]);
        await none([sg, nativeBroker("b", { securityGroups: [unknown.string] }, { securityGroups: [sg] })], "cidrIp unknown");
        await none(guarded([{ ipProtocol: unknown.string, fromPort: 0, toPort: 65535, cidrIp: "0.0.0.0/0" }]), "ipProtocol unknown");
        await none(guarded([{ ipProtocol: "tcp", fromPort: unknown.number, toPort: 61617, cidrIp: "0.0.0.0/0" }]), "fromPort unknown");
        await none(guarded([], "ActiveMQ", [["r", { ipProtocol: "tcp", fromPort: 61617, toPort: 61617, cidrIp: unknown.string }]]), "rule cidrIp unknown");
        await none(guarded([tcp(61617, "0.0.0.0/0")]).map(r =>
            r.type === NATIVE.broker ? { ...r, props: { ...r.props, engineType: unknown.string } } : r), "engine unknown");
    });

    it("still judges what is known beside unknowns: -1 with unknown ports, a world entry beside an unknown one", async () => {
        assert.strictEqual((await analyzeStack(policy, guarded([{ ipProtocol: "-1", fromPort: unknown.number, toPort: unknown.number, cidrIp: "0.0.0.0/0" }]))).length, 1);
        assert.strictEqual((await analyzeStack(policy, guarded([tcp(61617, unknown.string), tcp(61617, "0.0.0.0/0")]))).length, 1);
        assert.strictEqual((await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/1"), tcp(61617, unknown.string)], "ActiveMQ",
            [["upper", tcp(61617, "128.0.0.0/1")]]))).length, 1);
    });

    it("reads wrongly typed entries without throwing", async () => {
        const odd = guarded([{ ipProtocol: 6, fromPort: "61617", toPort: "61617", cidrIp: ["0.0.0.0/0"] }, null as unknown as Loose,
            { ipProtocol: "tcp", fromPort: 61617, toPort: 61617, cidrIp: "not-a-cidr" }, "tcp" as unknown as Loose]);
        assert.deepStrictEqual(await analyzeStack(policy, odd), []);
        const stringPorts = guarded([{ ipProtocol: 6, fromPort: "61617", toPort: "61617", cidrIp: "0.0.0.0/0" }]);
        assert.strictEqual((await analyzeStack(policy, stringPorts)).length, 1);
        assert.deepStrictEqual(await analyzeStack(policy, withGroupProps({ securityGroupIngress: tcp(61617, "0.0.0.0/0") })), []);
        assert.deepStrictEqual(await analyzeStack(policy, withGroupProps({ securityGroupIngress: "0.0.0.0/0" })), []);
    });

    it("judges a mixed stack of 1,000 brokers (half aws-native) and their groups and rules, finding exactly the open rules", async () => {
        const stack: StackResource[] = [];
        const bad = new Set<string>();
        for (let i = 0; i < 1000; i++) {
            const isNativeBroker = i % 2 === 0;
            const sg = nativeGroup(`sg-${i}`, [tcp(5671, "10.0.0.0/16")]);
            const open = i % 10 === 0;
            const rule = nativeRule(`rule-${i}`, tcp(61617, open ? "0.0.0.0/0" : "10.0.0.0/16"), sg);
            if (open) {
                bad.add(rule.urn);
            }
            const b = isNativeBroker ? nativeBroker(`broker-${i}`, {}, { securityGroups: [sg] }) : broker(`broker-${i}`, {}, { securityGroups: [sg] });
            stack.push(sg, rule, b);
        }
        const started = process.hrtime.bigint();
        const violations = await analyzeStack(policy, stack);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        assert.deepStrictEqual(new Set(violations.map(v => v.urn)), bad);
        assert.strictEqual(violations.length, 100);
        assert.ok(violations.every(v => /\(cidrIp\), exposing broker broker-\d+; remove the rule.*; an aws-native SecurityGroupIngress is replaced/.test(v.message)), violations[0].message);
        assert.ok(ms < 20_000, `${ms} ms`);
    });
});
