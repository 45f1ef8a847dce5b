import * as assert from "assert";
import { mqStackNetworkExposure as policy } from "../../policies/mq-stack-network-exposure";
import { analyzeStack, StackResource, unknown } from "../support/runtime";
import { broker, resource, TYPES } from "../support/stacks";

type Engine = "ActiveMQ" | "RabbitMQ";

function tcp(port: number, cidr: string, to = port): Record<string, unknown> {
    return { protocol: "tcp", fromPort: port, toPort: to, cidrBlocks: [cidr] };
}

function group(name: string, ingress: Record<string, unknown>[] = []): StackResource {
    return resource(TYPES.securityGroup, name, { name, vpcId: "vpc-0abc", ingress, egress: [] });
}

/** A broker using one security group, with the group's inline ingress and any separate rules. */
function guarded(ingress: Record<string, unknown>[], engine: Engine = "ActiveMQ", rules: Array<(sg: StackResource) => StackResource> = []): StackResource[] {
    const sg = group("mq-sg", ingress);
    return [sg, ...rules.map(r => r(sg)), broker("orders-broker", {}, { securityGroups: [sg] }, engine)];
}

function sgRule(name: string, props: Record<string, unknown>) {
    return (sg: StackResource) => resource(TYPES.securityGroupRule, name, { securityGroupId: unknown.string, ...props }, { securityGroupId: [sg] });
}

function ingressRule(name: string, props: Record<string, unknown>) {
    return (sg: StackResource) => resource(TYPES.ingressRule, name, { securityGroupId: unknown.string, ...props }, { securityGroupId: [sg] });
}

function body(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-stack-network-exposure", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        const stack = guarded([tcp(61617, "10.0.0.0/16"), tcp(8162, "10.1.0.0/16")], "ActiveMQ",
            [sgRule("mq-stomp", { type: "ingress", ...tcp(61614, "10.0.0.0/8") })]);
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        const stack = guarded([tcp(5671, "10.0.0.0/16")], "RabbitMQ",
            [ingressRule("mq-console", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8" })]);
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("flags an inline rule opening the OpenWire port to 0.0.0.0/0, on the group's URN", async () => {
        const stack = guarded([tcp(61617, "0.0.0.0/0")]);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[0].urn);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(body(violations[0].message),
            /^ingress\[0\] of security group mq-sg opens ActiveMQ port 61617 \(OpenWire\) to 0\.0\.0\.0\/0 \(ingress\[0\]\.cidrBlocks\), exposing broker orders-broker; remove the rule/);
    });

    it("judges ports per engine: 8162 is ActiveMQ's console, 443 and 15671 RabbitMQ's", async () => {
        assert.strictEqual((await analyzeStack(policy, guarded([tcp(8162, "0.0.0.0/0")], "ActiveMQ"))).length, 1);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(8162, "0.0.0.0/0")], "RabbitMQ")), []);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(443, "0.0.0.0/0")], "ActiveMQ")), []);
        const rabbit = await analyzeStack(policy, guarded([tcp(443, "0.0.0.0/0"), tcp(15671, "::/0")], "RabbitMQ"));
        assert.strictEqual(rabbit.length, 2);
        assert.match(rabbit[1].message, /opens RabbitMQ port 15671 \(management API\) to ::\/0/);
    });

    it("compares the engine case-insensitively", async () => {
        const sg = group("mq-sg", [tcp(8162, "0.0.0.0/0")]);
        const stack = [sg, broker("orders-broker", { engineType: "ACTIVEMQ" }, { securityGroups: [sg] })];
        assert.strictEqual((await analyzeStack(policy, stack)).length, 1);
    });

    it("lists every broker port a range opens, with protocol given as a number", async () => {
        const violations = await analyzeStack(policy, guarded([{ protocol: "6", fromPort: 61600, toPort: 61700, ipv6CidrBlocks: ["::/0"] }]));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /port 61617 \(OpenWire\), 61614 \(STOMP\), 61619 \(WSS\) to ::\/0 \(ingress\[0\]\.ipv6CidrBlocks\)/);
    });

    it("flags an all-port or all-protocol rule whatever the engine, and ignores udp and icmp", async () => {
        for (const engine of ["ActiveMQ", "RabbitMQ"] as Engine[]) {
            const allPorts = await analyzeStack(policy, guarded([tcp(0, "0.0.0.0/0", 65535)], engine));
            assert.match(allPorts[0].message, /allows every port \(0-65535\) from 0\.0\.0\.0\/0/);
            const allProtocols = await analyzeStack(policy, guarded([{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }], engine));
            assert.match(allProtocols[0].message, /allows every protocol and port from 0\.0\.0\.0\/0/);
        }
        assert.deepStrictEqual(await analyzeStack(policy, guarded([{ protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] }])), []);
    });

    it("flags a separate aws.ec2.SecurityGroupRule of type ingress on the rule's URN, and ignores egress", async () => {
        const stack = guarded([], "RabbitMQ", [
            sgRule("mq-public", { type: "INGRESS", ...tcp(5671, "0.0.0.0/0") }),
            sgRule("mq-out", { type: "egress", ...tcp(5671, "0.0.0.0/0") }),
        ]);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[1].urn);
        assert.match(violations[0].message, /security group rule mq-public opens RabbitMQ port 5671 \(AMQPS\) to 0\.0\.0\.0\/0 \(cidrBlocks\)/);
    });

    it("flags an aws.vpc.SecurityGroupIngressRule allowing every protocol from ::/0 on its own URN", async () => {
        const stack = guarded([], "ActiveMQ", [ingressRule("mq-any", { ipProtocol: "-1", cidrIpv6: "::/0" })]);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[1].urn);
        assert.match(violations[0].message, /security group ingress rule mq-any allows every protocol and port from ::\/0 \(cidrIpv6\)/);
    });

    it("reports a separate rule once when the refreshed group also lists it inline", async () => {
        const stack = guarded([tcp(61617, "0.0.0.0/0")], "ActiveMQ", [sgRule("mq-public", { type: "ingress", ...tcp(61617, "0.0.0.0/0") })]);
        const violations = await analyzeStack(policy, stack);
        assert.deepStrictEqual(violations.map(v => v.urn), [stack[1].urn]);
    });

    it("ignores rules of groups the broker does not use", async () => {
        const other = group("other-sg", [tcp(61617, "0.0.0.0/0")]);
        const stack = [...guarded([]), other, sgRule("other-rule", { type: "ingress", ...tcp(61617, "0.0.0.0/0") })(other)];
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("reports a group shared by two brokers once, naming both", async () => {
        const sg = group("shared-sg", [tcp(5671, "0.0.0.0/0")]);
        const stack = [sg, broker("a-broker", {}, { securityGroups: [sg] }), broker("b-broker", {}, { securityGroups: [sg] })];
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /exposing broker a-broker, b-broker/);
    });

    it("flags a broker without securityGroups (absent or empty), because it uses the VPC's default group", async () => {
        for (const securityGroups of [undefined, []]) {
            const stack = [broker("orders-broker", { securityGroups })];
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, stack[0].urn);
            assert.match(violations[0].message, /securityGroups is not set, so the broker uses the VPC's default security group/);
        }
    });

    it("does not ask a public RabbitMQ broker for security groups, which AWS rejects", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [broker("orders-broker", { securityGroups: undefined, publiclyAccessible: true }, {}, "RabbitMQ")]), []);
        assert.strictEqual((await analyzeStack(policy, [broker("orders-broker", { securityGroups: undefined }, {}, "RabbitMQ")])).length, 1);
    });

    it("does not judge groups outside the stack", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [broker("orders-broker", { securityGroups: ["sg-0123456789abcdef0"] })]), []);
    });

    it("reports nothing for unknown groups, protocols, ports or CIDRs during preview of a new stack", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [broker("orders-broker", { securityGroups: unknown.array })]), []);
        const sg = group("mq-sg", [tcp(61617, unknown.string)]);
        const preview = [sg, broker("orders-broker", { securityGroups: [unknown.string], engineType: "ActiveMQ" }, { securityGroups: [sg] })];
        assert.deepStrictEqual(await analyzeStack(policy, preview), []);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([{ protocol: unknown.string, fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }])), []);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([{ protocol: "tcp", fromPort: unknown.number, toPort: 61617, cidrBlocks: ["0.0.0.0/0"] }])), []);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([], "ActiveMQ", [sgRule("r", { type: unknown.string, ...tcp(61617, "0.0.0.0/0") })])), []);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/0")]).map(r =>
            r.type === TYPES.broker ? { ...r, props: { ...r.props, engineType: unknown.string } } : r)), []);
        assert.deepStrictEqual(await analyzeStack(policy, [group("mq-sg"), broker("b", {}, {})].map(r =>
            r.type === TYPES.securityGroup ? { ...r, props: { ingress: unknown.array } } : r)), []);
    });

    it("still judges a known world CIDR beside an unknown one, and all protocols with unknown ports", async () => {
        assert.strictEqual((await analyzeStack(policy, guarded([{ protocol: "tcp", fromPort: 61617, toPort: 61617, cidrBlocks: [unknown.string, "0.0.0.0/0"] }]))).length, 1);
        assert.strictEqual((await analyzeStack(policy, guarded([{ protocol: "all", fromPort: unknown.number, toPort: unknown.number, cidrBlocks: ["0.0.0.0/0"] }]))).length, 1);
    });

    it("reads wrongly typed rules without throwing", async () => {
        const stack = guarded([{ protocol: 6, fromPort: "61617", toPort: "61617", cidrBlocks: "0.0.0.0/0" }, null as unknown as Record<string, unknown>,
            { protocol: "tcp", fromPort: 61617, toPort: 61617, cidrBlocks: ["not-a-cidr", 7] }]);
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
        const numeric = guarded([{ protocol: 6, fromPort: "61617", toPort: "61617", cidrBlocks: ["0.0.0.0/0"] }]);
        assert.strictEqual((await analyzeStack(policy, numeric)).length, 1);
    });

    it("with allowedIngressCidrs, flags broker ports reachable from a CIDR outside the allow-list", async () => {
        const config = { allowedIngressCidrs: ["10.0.0.0/8", "2001:db8::/32"] };
        assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "10.20.0.0/16"), tcp(61617, "2001:db8:1::/48")]), { config }), []);
        const outside = await analyzeStack(policy, guarded([tcp(61617, "192.168.0.0/16")]), { config });
        assert.strictEqual(outside.length, 1);
        assert.match(outside[0].message, /to 192\.168\.0\.0\/16 .* CIDRs inside 10\.0\.0\.0\/8, 2001:db8::\/32/);
        assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "192.168.0.0/16")])), [], "only the world by default");
        assert.strictEqual((await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/0")]), { config })).length, 1);
    });

    it("reports an allowedIngressCidrs entry that is not a CIDR, or is the whole internet, as a config error", async () => {
        const invalid = await analyzeStack(policy, guarded([]), { config: { allowedIngressCidrs: ["10.0.0.0/33"] } });
        assert.strictEqual(invalid.length, 1);
        assert.match(invalid[0].message, /config of mq-stack-network-exposure is invalid: allowedIngressCidrs: "10\.0\.0\.0\/33" is not a CIDR/);
        const world = await analyzeStack(policy, guarded([]), { config: { allowedIngressCidrs: ["::/0"] } });
        assert.match(world[0].message, /allows the whole internet/);
        await assert.rejects(analyzeStack(policy, guarded([]), { config: { allowedIngressCidrs: "10.0.0.0/8" } }),
            /mq-stack-network-exposure: allowedIngressCidrs: Invalid type\. Expected: array/);
    });

    it("skips an excluded broker or rule, and reports advisory on a matching stack tag", async () => {
        const stack = guarded([], "ActiveMQ", [sgRule("mq-public", { type: "ingress", ...tcp(61617, "0.0.0.0/0") })]);
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { exclude: ["orders-broker"] } }), []);
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { exclude: ["mq-public"] } }), []);
        const config = { advisoryStackTags: { environment: ["dev"] } };
        assert.strictEqual((await analyzeStack(policy, stack, { config, stackTags: { environment: "dev" } }))[0].enforcementLevel, "advisory");
    });

    it("judges a stack of 10,000 resources and 1,000 brokers, finding exactly the open rules", async () => {
        const stack: StackResource[] = [];
        const bad = new Set<string>();
        const shared = group("shared-sg", [tcp(61617, "10.0.0.0/8")]);
        stack.push(shared);
        for (let i = 0; i < 1000; i++) {
            const sg = group(`sg-${i}`, [tcp(5671, "10.0.0.0/16")]);
            const open = i % 10 === 0;
            const rule = sgRule(`rule-${i}`, { type: "ingress", ...tcp(61617, open ? "0.0.0.0/0" : "10.0.0.0/16") })(sg);
            const vpcRule = ingressRule(`vpc-rule-${i}`, { ipProtocol: "tcp", fromPort: 8162, toPort: 8162, cidrIpv4: "10.0.0.0/16" })(sg);
            if (open) {
                bad.add(rule.urn);
            }
            stack.push(sg, rule, vpcRule);
            for (let j = 0; j < 5; j++) {
                stack.push(resource(TYPES.subnet, `filler-${i}-${j}`, { cidrBlock: "10.0.0.0/24" }));
            }
            stack.push(broker(`broker-${i}`, {}, { securityGroups: [sg, shared] }));
        }
        stack.pop();
        stack.push(broker("broker-999", { securityGroups: undefined }));
        bad.add(stack[stack.length - 1].urn);
        assert.strictEqual(stack.length, 9_001);
        for (let k = 0; k < 999; k++) {
            stack.push(resource(TYPES.vpc, `vpc-${k}`, { cidrBlock: "10.0.0.0/16" }));
        }
        const violations = await analyzeStack(policy, stack);
        assert.deepStrictEqual(new Set(violations.map(v => v.urn)), bad);
        assert.strictEqual(violations.length, 101);
    });
    describe("the union of sources: the world split into pieces is still the world", () => {
        it("flags 0.0.0.0/1 and 128.0.0.0/1 on a broker port, on the broker's URN, naming the pieces", async () => {
            const stack = guarded([tcp(61617, "0.0.0.0/1"), tcp(61617, "128.0.0.0/1")]);
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, stack[1].urn);
            assert.match(body(violations[0].message), /^the security groups of this broker together open ActiveMQ port 61617 \(OpenWire\) to the whole internet: their sources 0\.0\.0\.0\/1 \(ingress\[0\]\.cidrBlocks\), 128\.0\.0\.0\/1 \(ingress\[1\]\.cidrBlocks\) add up to every public address, though none of them is 0\.0\.0\.0\/0 or ::\/0; remove the rule/);
        });

        it("flags pieces spread over two groups and a separate rule, and every public /8 listed one by one (RabbitMQ)", async () => {
            const a = group("sg-a", [tcp(5671, "0.0.0.0/1")]);
            const b = group("sg-b", []);
            const rule = resource(TYPES.securityGroupRule, "upper-half", { type: "ingress", ...tcp(5671, "128.0.0.0/1") }, { securityGroupId: [b] });
            const violations = await analyzeStack(policy, [a, b, rule, broker("orders-broker", {}, { securityGroups: [a, b] }, "RabbitMQ")]);
            assert.strictEqual(violations.length, 1);
            assert.match(body(violations[0].message), /together open RabbitMQ port 5671 \(AMQPS\) to the whole internet/);
            const publicBlocks = Array.from({ length: 224 }, (_, i) => i).filter(i => ![0, 10, 127].includes(i)).map(i => `${i}.0.0.0/8`);
            const many = await analyzeStack(policy, guarded([{ protocol: "tcp", fromPort: 5671, toPort: 5671, cidrBlocks: publicBlocks }], "RabbitMQ"));
            assert.strictEqual(many.length, 1);
            assert.match(body(many[0].message), /their sources 1\.0\.0\.0\/8 \(ingress\[0\]\.cidrBlocks\), 2\.0\.0\.0\/8 \(ingress\[0\]\.cidrBlocks\), 3\.0\.0\.0\/8 \(ingress\[0\]\.cidrBlocks\) and 218 more add up to every public address/);
            assert.ok(body(many[0].message).length < 1000);
        });

        it("flags IPv6 pieces that cover all global unicast addresses (2000::/4 + 3000::/4)", async () => {
            const violations = await analyzeStack(policy, guarded([{ protocol: "tcp", fromPort: 8162, toPort: 8162, ipv6CidrBlocks: ["2000::/4", "3000::/4"] }]));
            assert.strictEqual(violations.length, 1);
            assert.match(body(violations[0].message), /together open ActiveMQ port 8162 \(web console\) to the whole internet/);
        });

        it("passes pieces that leave a public range out, pieces on different ports, and private ranges only", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/1"), tcp(61617, "128.0.0.0/2")])), []);
            assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/1"), tcp(61614, "128.0.0.0/1")])), []);
            assert.deepStrictEqual(await analyzeStack(policy, guarded([tcp(61617, "10.0.0.0/8"), tcp(61617, "172.16.0.0/12"), tcp(61617, "192.168.0.0/16")])), []);
            assert.deepStrictEqual(await analyzeStack(policy, guarded([{ protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }])), []);
        });

        it("reports a single /0 once, on its rule, not again as a union", async () => {
            const violations = await analyzeStack(policy, guarded([tcp(61617, "0.0.0.0/0"), tcp(61617, "0.0.0.0/1")]));
            assert.strictEqual(violations.length, 1);
            assert.match(body(violations[0].message), /^ingress\[0\] of security group mq-sg opens ActiveMQ port 61617/);
        });

        it("judges the known pieces while other sources, ports or the engine are unknown", async () => {
            const known = guarded([tcp(61617, "0.0.0.0/1"), tcp(61617, "128.0.0.0/1"), { protocol: "tcp", fromPort: 61617, toPort: 61617, cidrBlocks: [unknown.string] }]);
            assert.strictEqual((await analyzeStack(policy, known)).length, 1);
            const unknownPort = guarded([tcp(61617, "0.0.0.0/1"), { protocol: "tcp", fromPort: unknown.number, toPort: unknown.number, cidrBlocks: ["128.0.0.0/1"] }]);
            assert.deepStrictEqual(await analyzeStack(policy, unknownPort), []);
            const sg = group("mq-sg", [tcp(61617, "0.0.0.0/1"), tcp(61617, "128.0.0.0/1")]);
            assert.deepStrictEqual(await analyzeStack(policy, [sg, broker("orders-broker", { engineType: unknown.string }, { securityGroups: [sg] })]), []);
        });
    });
});
