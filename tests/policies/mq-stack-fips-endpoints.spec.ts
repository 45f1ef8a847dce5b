import * as assert from "assert";
import { MQ_FIPS_REGIONS, mqStackFipsEndpoints as policy } from "../../policies/mq-stack-fips-endpoints";
import { analyzeStack, StackResource, unknown } from "../support/runtime";
import { broker, resource, TYPES } from "../support/stacks";

type Engine = "ActiveMQ" | "RabbitMQ";

/** An aws provider resource as the SDK attaches it: explicit (`new aws.Provider`) or the default one. */
function awsProvider(props: Record<string, unknown>, name = "fips-east"): NonNullable<StackResource["provider"]> {
    return { urn: `urn:pulumi:prod::messaging::pulumi:providers:aws::${name}`, type: "pulumi:providers:aws", name, props };
}

/** A broker managed by a provider with these inputs. */
function managed(props: Record<string, unknown> | undefined, engine: Engine = "ActiveMQ", name = "orders"): StackResource {
    const b = broker(name, {}, {}, engine);
    return props === undefined ? b : { ...b, provider: awsProvider(props) };
}

const FIPS = { region: "us-east-1", useFipsEndpoint: true };

/** The policy is disabled by default: the tests turn it on, as an organization that needs FIPS would. */
const on = { enforcementLevel: "mandatory" };

function body(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-stack-fips-endpoints", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [managed(FIPS)], on), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [managed({ region: "us-west-2", useFipsEndpoint: true }, "RabbitMQ")], on), []);
    });

    it("is disabled by default (opt-in for FedRAMP and FIPS shops)", async () => {
        assert.strictEqual(policy.enforcementLevel, "disabled");
        assert.deepStrictEqual(await analyzeStack(policy, [managed({ region: "us-east-1" })]), []);
    });

    it("accepts the string \"true\", as provider inputs in a stack's state hold it, in any case", async () => {
        for (const useFipsEndpoint of ["true", "TRUE", " true "]) {
            assert.deepStrictEqual(await analyzeStack(policy, [managed({ region: "us-east-2", useFipsEndpoint })], on), [], useFipsEndpoint);
        }
    });

    it("flags a broker whose provider does not set useFipsEndpoint (false by default), on the broker's URN", async () => {
        const stack = [managed({ region: "us-east-1" })];
        const violations = await analyzeStack(policy, stack, on);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[0].urn);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(body(violations[0].message), /^the aws provider fips-east that manages this broker does not set useFipsEndpoint \(false by default\), so Amazon MQ API calls do not use a FIPS 140 endpoint; set useFipsEndpoint: true on the provider \(for the default provider, `pulumi config set aws:useFipsEndpoint true`\)/);
    });

    it("flags useFipsEndpoint false, as a boolean or as the string \"false\", on both engines", async () => {
        for (const [useFipsEndpoint, engine] of [[false, "ActiveMQ"], ["false", "RabbitMQ"]] as const) {
            const violations = await analyzeStack(policy, [managed({ region: "us-east-1", useFipsEndpoint }, engine)], on);
            assert.strictEqual(violations.length, 1, String(useFipsEndpoint));
            assert.match(body(violations[0].message), /sets useFipsEndpoint: false, so Amazon MQ API calls do not use a FIPS 140 endpoint/);
        }
    });

    it("flags a value that is neither true nor false, which the provider does not read as true", async () => {
        assert.strictEqual((await analyzeStack(policy, [managed({ region: "us-east-1", useFipsEndpoint: "yes" })], on)).length, 1);
    });

    it("flags useFipsEndpoint true in a region where Amazon MQ has no FIPS endpoint", async () => {
        const violations = await analyzeStack(policy, [managed({ region: "eu-west-1", useFipsEndpoint: true })], on);
        assert.strictEqual(violations.length, 1);
        assert.match(body(violations[0].message), /sets useFipsEndpoint: true, but Amazon MQ has no FIPS endpoint in region eu-west-1 \(mq-fips endpoints: us-east-1, us-east-2, us-west-1, us-west-2\)/);
    });

    it("reads the region case-insensitively and passes every listed FIPS region", async () => {
        for (const region of [...MQ_FIPS_REGIONS, "US-WEST-2"]) {
            assert.deepStrictEqual(await analyzeStack(policy, [managed({ region, useFipsEndpoint: "true" })], on), [], region);
        }
    });

    it("takes the organization's list of FIPS regions from fipsRegions", async () => {
        const config = { fipsRegions: ["us-gov-west-1"] };
        assert.deepStrictEqual(await analyzeStack(policy, [managed({ region: "us-gov-west-1", useFipsEndpoint: true })], { ...on, config }), []);
        assert.strictEqual((await analyzeStack(policy, [managed(FIPS)], { ...on, config })).length, 1);
        await assert.rejects(analyzeStack(policy, [managed(FIPS)], { ...on, config: { fipsRegions: ["US East"] } }),
            /mq-stack-fips-endpoints: fipsRegions\.0: Does not match pattern/);
    });

    it("reports nothing while useFipsEndpoint or the region is unknown during preview", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [managed({ region: "us-east-1", useFipsEndpoint: unknown.boolean })], on), []);
        assert.deepStrictEqual(await analyzeStack(policy, [managed({ region: unknown.string, useFipsEndpoint: true })], on), []);
        assert.strictEqual((await analyzeStack(policy, [managed({ region: unknown.string })], on)).length, 1,
            "an unknown region does not hide a known missing useFipsEndpoint");
    });

    it("passes useFipsEndpoint true without a region (the region comes from the environment and cannot be checked)", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [managed({ useFipsEndpoint: true })], on), []);
    });

    it("does not judge a broker without a provider attached, or whose provider is not the aws provider", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [managed(undefined)], on), []);
        const other = { ...broker("orders"), provider: { ...awsProvider({ region: "eu-west-1" }), type: "pulumi:providers:aws-native" } };
        assert.deepStrictEqual(await analyzeStack(policy, [other], on), []);
    });

    it("judges each broker through its own provider, and does not apply to a stack without brokers", async () => {
        const fips = managed(FIPS, "ActiveMQ", "orders");
        const plain = { ...broker("billing"), provider: awsProvider({ region: "us-east-1" }, "default_7_48_0") };
        const violations = await analyzeStack(policy, [fips, plain, resource(TYPES.subnet, "s", { availabilityZone: "us-east-1a" })], on);
        assert.deepStrictEqual(violations.map(v => v.urn), [plain.urn]);
        assert.match(body(violations[0].message), /^the aws provider default_7_48_0 that manages this broker/);
        assert.deepStrictEqual(await analyzeStack(policy, [resource(TYPES.subnet, "s", {})], on), []);
    });

    it("shows a huge provider name or region cut short", async () => {
        const hugeName = { ...broker("orders"), provider: awsProvider({ region: "r".repeat(100_000), useFipsEndpoint: true }, "p".repeat(100_000)) };
        const [violation] = await analyzeStack(policy, [hugeName], on);
        assert.ok(body(violation.message).length < 1000);
        assert.match(body(violation.message), /provider p{60}… \(100000 characters\)/);
    });

    it("skips an excluded broker and reports advisory on a stack whose tags match advisoryStackTags", async () => {
        const stack = [managed({ region: "us-east-1" })];
        assert.deepStrictEqual(await analyzeStack(policy, stack, { ...on, config: { exclude: ["orders"] } }), []);
        const violations = await analyzeStack(policy, stack, { ...on, config: { advisoryStackTags: { environment: ["dev"] } }, stackTags: { environment: "dev" } });
        assert.deepStrictEqual(violations.map(v => v.enforcementLevel), ["advisory"]);
    });
});
