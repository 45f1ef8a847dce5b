import * as assert from "assert";
import { mqStackMultiAzSubnets as policy } from "../../policies/mq-stack-multi-az-subnets";
import { analyzeStack, StackResource, unknown } from "../support/runtime";
import { broker, resource, TYPES } from "../support/stacks";

type Engine = "ActiveMQ" | "RabbitMQ";

function subnet(name: string, availabilityZone: unknown, availabilityZoneId: unknown = undefined): StackResource {
    const props: Record<string, unknown> = { cidrBlock: "10.0.1.0/24", vpcId: "vpc-0abc", availabilityZone };
    if (availabilityZoneId !== undefined) {
        props.availabilityZoneId = availabilityZoneId;
    }
    return resource(TYPES.subnet, name, props);
}

/** An HA broker over the given subnets, subnetIds listing one entry per subnet plus any outside ones. */
function spread(zones: unknown[], engine: Engine = "ActiveMQ", outside: string[] = [], change: Record<string, unknown> = {}): StackResource[] {
    const subnets = zones.map((z, i) => subnet(`private-${i}`, z));
    const subnetIds = [...subnets.map(() => unknown.string), ...outside];
    return [...subnets, broker("orders-broker", { subnetIds, ...change }, { subnetIds: subnets }, engine)];
}

function body(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-stack-multi-az-subnets", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a", "us-east-1b"])), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a", "us-east-1b", "us-east-1c"], "RabbitMQ")), []);
    });

    it("flags an active/standby broker whose two subnets share a zone, on the broker's URN", async () => {
        const stack = spread(["us-east-1a", "us-east-1a"]);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[2].urn);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(body(violations[0].message),
            /^subnets private-0 and private-1 both lie in availability zone us-east-1a; an active\/standby broker \(ACTIVE_STANDBY_MULTI_AZ\) runs its two instances in two different availability zones/);
        assert.match(violations[0].message, /Changing subnetIds replaces the broker/);
    });

    it("flags a RabbitMQ cluster with two of its subnets in one zone", async () => {
        const violations = await analyzeStack(policy, spread(["us-east-1a", "us-east-1b", "us-east-1b"], "RabbitMQ"));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /private-1 and private-2 both lie in availability zone us-east-1b; a cluster broker \(CLUSTER_MULTI_AZ\)/);
    });

    it("flags a private RabbitMQ cluster with a single subnet, stating the real risk (its client endpoint's zone), as the policy's choice", async () => {
        const violations = await analyzeStack(policy, spread(["us-east-1a"], "RabbitMQ"));
        assert.strictEqual(violations.length, 1);
        const message = body(violations[0].message);
        assert.match(message, /^subnetIds has only subnet private-0, in us-east-1a; AWS accepts one subnet for a private cluster broker \(CLUSTER_MULTI_AZ\) and still runs its three nodes in different zones/);
        assert.match(message, /Amazon MQ creates the broker's VPC endpoint, through which clients connect, only in the subnets given: if that subnet's zone fails, clients cannot reach the surviving nodes\. This policy flags it by choice/);
        assert.doesNotMatch(message, /spreads its nodes over the zones of its subnets/, "no claim that the nodes follow the subnets");
    });

    it("flags an active/standby broker with a single subnet when that is its whole subnetIds", async () => {
        const violations = await analyzeStack(policy, spread(["us-east-1a"], "ActiveMQ"));
        assert.strictEqual(violations.length, 1);
        assert.match(body(violations[0].message), /^subnetIds has only subnet private-0, in us-east-1a; an active\/standby broker/);
    });

    it("passes a private RabbitMQ cluster with subnets in two zones, and one whose single zone is unknown (preview)", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a", "us-east-1b"], "RabbitMQ")), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread([unknown.string], "RabbitMQ")), []);
    });

    it("shows a huge zone name cut short", async () => {
        const violations = await analyzeStack(policy, spread(["z".repeat(100_000)], "RabbitMQ"));
        assert.strictEqual(violations.length, 1);
        assert.ok(body(violations[0].message).length < 1000);
        assert.match(body(violations[0].message), /in z{40}… \(100000 characters\)/);
    });

    it("compares zone IDs when names are not set, and deploymentMode case-insensitively", async () => {
        const a = subnet("private-a", undefined, "use1-az1");
        const b = subnet("private-b", undefined, "use1-az1");
        const stack = [a, b, broker("orders-broker", { deploymentMode: "active_standby_multi_az" }, { subnetIds: [a, b] })];
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /both lie in zone ID use1-az1/);
    });

    it("does not judge single-instance brokers, or an absent deploymentMode (SINGLE_INSTANCE)", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a", "us-east-1a"], "ActiveMQ", [], { deploymentMode: "SINGLE_INSTANCE" })), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a", "us-east-1a"], "ActiveMQ", [], { deploymentMode: undefined })), []);
    });

    it("does not judge subnets outside the stack, but still flags two stack subnets in one zone", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [broker("orders-broker")]), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a"], "ActiveMQ", ["subnet-0a1b2c3d4e5f60002"])), []);
        assert.strictEqual((await analyzeStack(policy, spread(["us-east-1a", "us-east-1a"], "RabbitMQ", ["subnet-0a1b2c3d4e5f60003"]))).length, 1);
    });

    it("reports nothing for unknown zones or mode during preview of a new stack", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, spread([unknown.string, unknown.string])), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread([unknown.string, "us-east-1a"])), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread([unknown.string], "RabbitMQ")), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a", "us-east-1a"], "ActiveMQ", [], { deploymentMode: unknown.string })), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a"], "ActiveMQ", [], { subnetIds: unknown.array })), []);
    });

    it("still flags a shared zone when the subnetIds list itself is unknown", async () => {
        assert.strictEqual((await analyzeStack(policy, spread(["us-east-1a", "us-east-1a"], "ActiveMQ", [], { subnetIds: unknown.array }))).length, 1);
    });

    it("reads wrongly typed zones and subnetIds without throwing", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, spread([7, { zone: "a" }])), []);
        assert.deepStrictEqual(await analyzeStack(policy, spread(["us-east-1a"], "ActiveMQ", [], { subnetIds: "subnet-1" })), []);
    });

    it("ignores other resources that feed subnetIds", async () => {
        const vpc = resource(TYPES.vpc, "vpc", { cidrBlock: "10.0.0.0/16" });
        const a = subnet("private-a", "us-east-1a");
        const b = subnet("private-b", "us-east-1b");
        assert.deepStrictEqual(await analyzeStack(policy, [vpc, a, b, broker("orders-broker", {}, { subnetIds: [vpc, a, b] })]), []);
    });

    it("skips a broker named in exclude and reports advisory on a matching stack tag", async () => {
        const stack = spread(["us-east-1a", "us-east-1a"]);
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { exclude: ["orders-*"] } }), []);
        const config = { advisoryStackTags: { environment: ["dev"] } };
        assert.strictEqual((await analyzeStack(policy, stack, { config, stackTags: { environment: "dev" } }))[0].enforcementLevel, "advisory");
        await assert.rejects(analyzeStack(policy, stack, { config: { exclude: [""] } }), /mq-stack-multi-az-subnets: exclude\.0: String length must be greater than or equal to 1/);
    });

    it("judges a stack of 10,000 resources and 1,000 brokers, finding exactly the brokers in one zone", async () => {
        const stack: StackResource[] = [];
        const bad = new Set<string>();
        const shared = [subnet("shared-a", "us-east-1a"), subnet("shared-b", "us-east-1b"), subnet("shared-c", "us-east-1c")];
        stack.push(...shared);
        for (let i = 0; i < 1000; i++) {
            const oneZone = i % 10 === 0;
            const a = subnet(`a-${i}`, "us-east-1a");
            const b = subnet(`b-${i}`, oneZone ? "us-east-1a" : "us-east-1b");
            stack.push(a, b);
            for (let j = 0; j < 7; j++) {
                stack.push(resource(TYPES.vpc, `filler-${i}-${j}`, { cidrBlock: "10.0.0.0/16" }));
            }
            const engine: Engine = i % 2 ? "ActiveMQ" : "RabbitMQ";
            const feeds = engine === "ActiveMQ" ? [a, b] : [a, b, shared[2]];
            const brk = broker(`broker-${i}`, { subnetIds: feeds.map(() => unknown.string) }, { subnetIds: feeds }, engine);
            if (oneZone) {
                bad.add(brk.urn);
            }
            stack.push(brk);
        }
        stack.splice(5, 3); // three of broker-0's fillers, to make 10,000
        assert.strictEqual(stack.length, 10_000);
        const violations = await analyzeStack(policy, stack);
        assert.deepStrictEqual(new Set(violations.map(v => v.urn)), bad);
        assert.strictEqual(violations.length, 100);
    });
});
