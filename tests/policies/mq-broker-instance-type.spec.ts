import * as assert from "assert";
import { mqBrokerInstanceType as policy } from "../../policies/mq-broker-instance-type";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { analyze, unknown } from "../support/runtime";

const rabbit4 = () => withChange(compliantRabbitMq(), { engineVersion: "4.2", hostInstanceType: "mq.m7g.large" });

describe("mq-broker-instance-type", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
    });

    it("passes for RabbitMQ 4.2 on mq.m7g.large and RabbitMQ 3.13 on mq.m7g.large", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbit4()), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { hostInstanceType: "mq.m7g.large" })), []);
    });

    it("flags the legacy mq.t2.micro as advisory, naming the property and a production type", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.t2.micro" }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, /hostInstanceType is mq\.t2\.micro, which disallowedInstanceTypes excludes \(it is a previous-generation type\); set hostInstanceType to mq\.m5\.large or larger\./);
    });

    it("flags the legacy mq.m4.large", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.m4.large" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /mq\.m4\.large.*previous-generation/);
    });

    it("flags the test-only mq.t3.micro on ActiveMQ, suggesting an mq.m5 type", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.t3.micro" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /only for evaluation and testing.*mq\.m5\.large or larger/);
    });

    it("flags the test-only mq.m7g.medium on RabbitMQ, suggesting mq.m7g.large", async () => {
        const violations = await analyze(policy, withChange(rabbit4(), { hostInstanceType: "mq.m7g.medium" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is mq\.m7g\.medium.*evaluation and testing.*mq\.m7g\.large or larger\./);
    });

    it("compares instance types case-insensitively, and shows the value as written", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: " MQ.T3.Micro " }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is MQ\.T3\.Micro,/);
    });

    it("flags ActiveMQ on the mq.m7g family, which AWS rejects, suggesting mq.m5", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.m7g.large" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is mq\.m7g\.large, but ActiveMQ does not run on the mq\.m7g family.*mq\.m5\.large/);
    });

    it("reports only the engine mismatch when the type is also disallowed (one message per property)", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.m7g.medium" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /ActiveMQ does not run on the mq\.m7g family/);
    });

    it("detects the engine whatever its case", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineType: "ACTIVEMQ", hostInstanceType: "mq.m7g.large" }));
        assert.match(violations[0].message, /ActiveMQ does not run on the mq\.m7g family/);
        const rabbit = await analyze(policy, withChange(rabbit4(), { engineType: "rabbitmq", hostInstanceType: "mq.m5.large" }));
        assert.match(rabbit[0].message, /RabbitMQ 4\.2 \(4\.x\) runs only on the mq\.m7g family/);
    });

    it("flags RabbitMQ 4.x on mq.m5, which AWS rejects, suggesting mq.m7g", async () => {
        const violations = await analyze(policy, withChange(rabbit4(), { hostInstanceType: "mq.m5.large" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is mq\.m5\.large, but RabbitMQ 4\.2 \(4\.x\) runs only on the mq\.m7g family.*mq\.m7g\.large/);
    });

    it("reads the major version of a patch-level or numeric engineVersion", async () => {
        const patch = await analyze(policy, withChange(rabbit4(), { engineVersion: "4.2.1", hostInstanceType: "mq.m5.xlarge" }));
        assert.strictEqual(patch.length, 1);
        const numeric = await analyze(policy, withChange(rabbit4(), { engineVersion: 4.2, hostInstanceType: "mq.m5.xlarge" }));
        assert.strictEqual(numeric.length, 1);
    });

    it("does not apply the RabbitMQ 4.x rule to RabbitMQ 3.13 on mq.m5 or to ActiveMQ", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { hostInstanceType: "mq.m5.xlarge" })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "4.0" })), []);
    });

    it("skips only the RabbitMQ 4.x rule while engineVersion is unknown, absent or unparsable", async () => {
        for (const engineVersion of [unknown.string, undefined, "latest", ["4.2"]]) {
            assert.deepStrictEqual(await analyze(policy, withChange(rabbit4(), { engineVersion, hostInstanceType: "mq.m5.large" })), [], String(engineVersion));
        }
        const stillDisallowed = await analyze(policy, withChange(rabbit4(), { engineVersion: unknown.string, hostInstanceType: "mq.m7g.medium" }));
        assert.strictEqual(stillDisallowed.length, 1, "the disallow-list still applies");
    });

    it("still applies the disallow-list while engineType is unknown, suggesting a type for each engine", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineType: unknown.string, hostInstanceType: "mq.t3.micro" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /mq\.m5\.large or larger \(ActiveMQ\) or mq\.m7g\.large or larger \(RabbitMQ\)/);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineType: unknown.string, hostInstanceType: "mq.m7g.large" })), []);
    });

    it("reports nothing while hostInstanceType is unknown during preview", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: unknown.string })), []);
    });

    it("reports nothing when hostInstanceType is absent, empty or of the wrong type (the provider requires a string)", async () => {
        for (const hostInstanceType of [undefined, "", true, ["mq.t3.micro"], { type: "mq.t3.micro" }]) {
            assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType })), [], JSON.stringify(hostInstanceType));
        }
    });

    it("restricts brokers to allowedInstanceTypes, with case-insensitive `*` patterns", async () => {
        const config = { allowedInstanceTypes: ["MQ.M5.LARGE", "mq.m7g.*"] };
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq(), { config }), []);
        assert.deepStrictEqual(await analyze(policy, rabbit4(), { config }), []);
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.m5.xlarge" }), { config });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is mq\.m5\.xlarge, which is not in allowedInstanceTypes \(MQ\.M5\.LARGE, mq\.m7g\.\*\); set hostInstanceType to one of those\./);
    });

    it("shows a huge hostInstanceType cut short (found by the property-based tests)", async () => {
        const hostInstanceType = `mq.m7g.${"x".repeat(100_000)}`;
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is mq\.m7g\.x{73}… \(100007 characters\), but ActiveMQ does not run on the mq.m7g family/);
        assert.ok(violations[0].message.length < 1000);
    });

    it("allows the default-disallowed types once disallowedInstanceTypes is emptied", async () => {
        const broker = withChange(compliantActiveMq(), { hostInstanceType: "mq.t3.micro" });
        assert.deepStrictEqual(await analyze(policy, broker, { config: { disallowedInstanceTypes: [] } }), []);
        assert.deepStrictEqual(await analyze(policy, broker, { config: { allowedInstanceTypes: ["mq.t3.micro"], disallowedInstanceTypes: [] } }), []);
    });

    it("flags a type matched by a custom disallowedInstanceTypes pattern, naming the entry", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.m5.4xlarge" }), { config: { disallowedInstanceTypes: ["mq.m5.4*"] } });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /hostInstanceType is mq\.m5\.4xlarge, which disallowedInstanceTypes excludes \(entry mq\.m5\.4\*\)/);
    });

    it("keeps engine mismatches even for a type the allow-list names", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { hostInstanceType: "mq.m7g.large" }), { config: { allowedInstanceTypes: ["mq.m7g.large"] } });
        assert.match(violations[0].message, /ActiveMQ does not run on the mq\.m7g family/);
    });

    it("rejects a type that is both allowed and (by default) disallowed with a config error", async () => {
        const violations = await analyze(policy, compliantActiveMq(), { config: { allowedInstanceTypes: ["mq.m5.large", "mq.T3.micro"] } });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /The policy config of mq-broker-instance-type is invalid: "mq\.T3\.micro" is allowed by allowedInstanceTypes but disallowed by disallowedInstanceTypes entry "mq\.t3\.micro"/);
        assert.deepStrictEqual(policy.validateConfig({ allowedInstanceTypes: ["mq.m5.*"], disallowedInstanceTypes: ["mq.m5.4xlarge"] }), [],
            "a pattern may overlap a narrower disallowed entry");
    });

    it("rejects an entry without the mq. prefix, which would never match, with a config error", async () => {
        const errors = policy.validateConfig({ allowedInstanceTypes: ["m5.large"], disallowedInstanceTypes: ["t3.micro"] });
        assert.strictEqual(errors.length, 2);
        assert.match(errors[0], /allowedInstanceTypes entry "m5\.large" is not an Amazon MQ instance type; write mq\.<family>\.<size>/);
        assert.match(errors[1], /disallowedInstanceTypes entry "t3\.micro"/);
    });

    it("rejects settings of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { allowedInstanceTypes: "mq.m5.large" } }),
            /mq-broker-instance-type: allowedInstanceTypes: Invalid type\. Expected: array/);
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { disallowedInstanceTypes: [""] } }),
            /mq-broker-instance-type: disallowedInstanceTypes\.0: String length must be greater than or equal to 1/);
    });

    it("skips a broker named in exclude", async () => {
        const broker = withChange(compliantActiveMq(), { hostInstanceType: "mq.t2.micro" });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy-broker", config: { exclude: ["legacy-*"] } }), []);
    });
});
