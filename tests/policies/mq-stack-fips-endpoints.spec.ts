import * as assert from "assert";
import {
    CLOUD_CONTROL_FIPS_REGIONS, cloudControlEndpoints, MQ_FIPS_REGIONS, mqStackFipsEndpoints as policy,
} from "../../policies/mq-stack-fips-endpoints";
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

    describe("aws-native brokers: the provider's endpoints.cloudcontrol", () => {
        /** An aws-native provider as the SDK attaches it: explicit (`new awsnative.Provider`) or the default one. */
        function nativeProvider(props: Record<string, unknown>, name = "fips-native"): NonNullable<StackResource["provider"]> {
            return { urn: `urn:pulumi:prod::messaging::pulumi:providers:aws-native::${name}`, type: "pulumi:providers:aws-native", name, props };
        }

        /** An aws-native broker (tags as `[{ key, value }]`) managed by an aws-native provider with these inputs. */
        function nativeManaged(props: Record<string, unknown> | undefined, engine: Engine = "ActiveMQ", name = "orders"): StackResource {
            const b = broker(name, {}, {}, engine);
            const tags = Object.entries((b.props.tags ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value }));
            const native: StackResource = { ...b, type: "aws-native:amazonmq:Broker", urn: `urn:pulumi:prod::messaging::aws-native:amazonmq:Broker::${name}`, props: { ...b.props, tags } };
            return props === undefined ? native : { ...native, provider: nativeProvider(props) };
        }

        const EAST = "https://cloudcontrolapi-fips.us-east-1.amazonaws.com";
        /** As `new awsnative.Provider("fips", { region, endpoints: [{ cloudcontrol }] })` stores it: JSON text of a list. */
        const NATIVE_FIPS = { region: "us-east-1", endpoints: JSON.stringify([{ cloudcontrol: EAST }]) };

        it("passes for a compliant ActiveMQ broker", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged(NATIVE_FIPS)], on), []);
        });

        it("passes for a compliant RabbitMQ broker (dual-stack .api.aws endpoint, trailing slash, any case)", async () => {
            const endpoints = JSON.stringify([{ cloudcontrol: " HTTPS://cloudcontrolapi-fips.us-west-2.API.AWS/ " }]);
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: "us-west-2", endpoints }, "RabbitMQ")], on), []);
        });

        it("reads endpoints as the default provider holds it (JSON text of one object from aws-native:endpoints) and as a decoded object or list", async () => {
            const defaultProvider = { ...nativeManaged(undefined), provider: nativeProvider({ region: "us-gov-west-1", endpoints: JSON.stringify({ cloudcontrol: "https://cloudcontrolapi-fips.us-gov-west-1.amazonaws.com" }), version: "1.79.0" }, "default_1_79_0") };
            assert.deepStrictEqual(await analyzeStack(policy, [defaultProvider], on), []);
            for (const endpoints of [{ cloudcontrol: EAST, sts: "https://sts.us-east-1.amazonaws.com" }, [{ ec2: "https://ec2.us-east-1.amazonaws.com" }, { cloudcontrol: EAST }]]) {
                assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: "us-east-1", endpoints })], on), [], JSON.stringify(endpoints));
            }
        });

        it("is disabled by default, like the aws side", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: "us-east-1" })]), []);
        });

        it("flags a provider without endpoints (the default provider too), on the broker's URN, saying what it cannot assure", async () => {
            for (const provider of [nativeProvider({ region: "us-east-1" }), nativeProvider({ region: "us-east-1", version: "1.79.0" }, "default_1_79_0")]) {
                const stack = [{ ...nativeManaged(undefined), provider }];
                const violations = await analyzeStack(policy, stack, on);
                assert.strictEqual(violations.length, 1, provider.name);
                assert.strictEqual(violations[0].urn, stack[0].urn);
                assert.strictEqual(body(violations[0].message),
                    `the aws-native provider ${provider.name} that manages this broker does not set endpoints.cloudcontrol, so the Cloud ` +
                    "Control API calls that create and change the broker go to the standard endpoint, not a FIPS 140 one (aws-native " +
                    "has no useFipsEndpoint); set endpoints.cloudcontrol to https://cloudcontrolapi-fips.us-east-1.amazonaws.com (or " +
                    "the .api.aws form) on the provider (for the default provider, `pulumi config set --path " +
                    "aws-native:endpoints.cloudcontrol https://cloudcontrolapi-fips.us-east-1.amazonaws.com`). This assures FIPS 140 " +
                    "TLS from the program to AWS; Cloud Control's own calls to Amazon MQ happen inside AWS, where no setting shows " +
                    "them. A provider setting updates no broker.");
                assert.ok(violations[0].message.length < 1000);
            }
        });

        it("flags endpoints that set other services only, or a cloudcontrol that is not a string", async () => {
            for (const endpoints of [JSON.stringify([{ sts: "https://sts-fips.us-east-1.amazonaws.com" }]), JSON.stringify([]), "{}", [{ cloudcontrol: 443 }], "not json"]) {
                const violations = await analyzeStack(policy, [nativeManaged({ region: "us-east-1", endpoints }, "RabbitMQ")], on);
                assert.strictEqual(violations.length, 1, JSON.stringify(endpoints));
                assert.match(body(violations[0].message), /does not set endpoints\.cloudcontrol/);
            }
        });

        it("flags a cloudcontrol endpoint that is not the FIPS one of the provider's region, without echoing the URL", async () => {
            const wrong = ["https://cloudcontrolapi.us-east-1.amazonaws.com", "http://cloudcontrolapi-fips.us-east-1.amazonaws.com",
                "https://cloudcontrolapi-fips.us-east-2.amazonaws.com", "https://user:hunter2@cloudcontrolapi-fips.us-east-1.amazonaws.com",
                "cloudcontrolapi-fips.us-east-1.amazonaws.com", "https://cloudcontrolapi-fips.us-east-1.amazonaws.com.evil.example"];
            for (const cloudcontrol of wrong) {
                const violations = await analyzeStack(policy, [nativeManaged({ region: "us-east-1", endpoints: JSON.stringify({ cloudcontrol }) })], on);
                assert.strictEqual(violations.length, 1, cloudcontrol);
                assert.match(body(violations[0].message),
                    /^the aws-native provider fips-native that manages this broker sets endpoints\.cloudcontrol to a URL that is not the Cloud Control FIPS endpoint of region us-east-1, so the calls that create and change the broker do not use a FIPS 140 endpoint; set endpoints\.cloudcontrol to https:\/\/cloudcontrolapi-fips\.us-east-1\.amazonaws\.com/);
                assert.ok(!violations[0].message.includes("hunter2") && !violations[0].message.includes("evil"), cloudcontrol);
            }
            const twoBlocks = JSON.stringify([{ cloudcontrol: EAST }, { cloudcontrol: "https://cloudcontrolapi.us-east-1.amazonaws.com" }]);
            assert.strictEqual((await analyzeStack(policy, [nativeManaged({ region: "us-east-1", endpoints: twoBlocks })], on)).length, 1,
                "every cloudcontrol entry must be FIPS");
        });

        it("flags a region where Cloud Control has no FIPS endpoint, whatever endpoints says", async () => {
            for (const props of [{ region: "eu-west-1" }, { region: "EU-WEST-1", endpoints: JSON.stringify({ cloudcontrol: "https://cloudcontrolapi-fips.eu-west-1.amazonaws.com" }) }]) {
                const violations = await analyzeStack(policy, [nativeManaged(props)], on);
                assert.strictEqual(violations.length, 1);
                assert.match(body(violations[0].message),
                    /^the aws-native provider fips-native that manages this broker is in region eu-west-1, where the Cloud Control API, through which aws-native creates and changes the broker, has no FIPS endpoint \(cloudcontrolapi-fips endpoints: us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1, us-gov-east-1, us-gov-west-1\)/);
            }
        });

        it("passes the FIPS endpoint of every listed Cloud Control region, and judges Cloud Control's list, not Amazon MQ's fipsRegions", async () => {
            for (const region of CLOUD_CONTROL_FIPS_REGIONS) {
                const endpoints = JSON.stringify({ cloudcontrol: `https://cloudcontrolapi-fips.${region}.amazonaws.com` });
                assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region, endpoints })], on), [], region);
            }
            const canada = { region: "ca-central-1", endpoints: JSON.stringify({ cloudcontrol: "https://cloudcontrolapi-fips.ca-central-1.amazonaws.com" }) };
            assert.ok(!MQ_FIPS_REGIONS.includes("ca-central-1"));
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged(canada)], { ...on, config: { fipsRegions: ["us-east-1"] } }), []);
        });

        it("without a region (from the environment), accepts a FIPS endpoint of any listed region and flags anything else", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ endpoints: JSON.stringify({ cloudcontrol: EAST }) })], on), []);
            const violations = await analyzeStack(policy, [nativeManaged({ endpoints: JSON.stringify({ cloudcontrol: "https://cloudcontrolapi.us-east-1.amazonaws.com" }) })], on);
            assert.match(body(violations[0].message), /is not a Cloud Control FIPS endpoint, .* set endpoints\.cloudcontrol to https:\/\/cloudcontrolapi-fips\.<region>\.amazonaws\.com/);
            assert.strictEqual((await analyzeStack(policy, [nativeManaged({})], on)).length, 1);
        });

        it("reports nothing while endpoints or its cloudcontrol is unknown (preview); an unknown region does not hide a missing endpoint", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: "us-east-1", endpoints: unknown.array })], on), []);
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: "us-east-1", endpoints: [{ cloudcontrol: unknown.string }] })], on), []);
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: unknown.string, endpoints: JSON.stringify({ cloudcontrol: EAST }) })], on), []);
            assert.strictEqual((await analyzeStack(policy, [nativeManaged({ region: unknown.string })], on)).length, 1);
        });

        it("judges each broker by its own package's provider: an aws-native broker under an aws provider, or the reverse, is not judged", async () => {
            const underAws = { ...nativeManaged(undefined), provider: awsProvider({ region: "us-east-1" }) };
            assert.deepStrictEqual(await analyzeStack(policy, [underAws, nativeManaged(undefined, "ActiveMQ", "bare")], on), []);
            const aws = managed({ region: "us-east-1" }, "ActiveMQ", "aws-broker");
            const native = nativeManaged({ region: "us-east-1" }, "RabbitMQ", "native-broker");
            const fipsBoth = [managed(FIPS, "ActiveMQ", "aws-ok"), nativeManaged(NATIVE_FIPS, "ActiveMQ", "native-ok")];
            const violations = await analyzeStack(policy, [aws, native, ...fipsBoth], on);
            assert.deepStrictEqual(violations.map(v => v.urn), [aws.urn, native.urn]);
            assert.match(body(violations[0].message), /^the aws provider fips-east .* does not set useFipsEndpoint/);
            assert.match(body(violations[1].message), /^the aws-native provider fips-native .* does not set endpoints\.cloudcontrol/);
        });

        it("reads hostile endpoints without throwing and keeps the message bounded", async () => {
            const huge = { region: "us-east-1", endpoints: "[" + "{}".repeat(100_000) };
            assert.strictEqual((await analyzeStack(policy, [nativeManaged(huge)], on)).length, 1);
            const long = { ...nativeManaged(undefined), provider: nativeProvider({ region: "r".repeat(100_000) }, "p".repeat(100_000)) };
            const [violation] = await analyzeStack(policy, [long], on);
            assert.ok(body(violation.message).length < 1000);
            for (const endpoints of [null, 7, true, [null, "x", 3], { cloudcontrol: null }]) {
                assert.deepStrictEqual(cloudControlEndpoints(endpoints), [], JSON.stringify(endpoints));
            }
        });

        it("skips an excluded aws-native broker", async () => {
            assert.deepStrictEqual(await analyzeStack(policy, [nativeManaged({ region: "us-east-1" })], { ...on, config: { exclude: ["orders"] } }), []);
        });
    });
});
