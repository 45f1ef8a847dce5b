import * as assert from "assert";
import { mqBrokerNoPublicAccess as policy } from "../../policies/mq-broker-no-public-access";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { analyze, unknown } from "../support/runtime";

describe("mq-broker-no-public-access", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
    });

    it("passes when publiclyAccessible is absent, because the default is private", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { publiclyAccessible: undefined })), []);
    });

    it("flags a public ActiveMQ broker as mandatory, naming the property and the replacement", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { publiclyAccessible: true }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /publiclyAccessible is true; set publiclyAccessible: false/);
        assert.match(violations[0].message, /replaces the broker/);
    });

    it("flags a public RabbitMQ broker", async () => {
        assert.strictEqual((await analyze(policy, withChange(compliantRabbitMq(), { publiclyAccessible: true }))).length, 1);
    });

    it("flags publiclyAccessible given as the string \"true\", which the provider accepts", async () => {
        assert.strictEqual((await analyze(policy, withChange(compliantActiveMq(), { publiclyAccessible: "TRUE" }))).length, 1);
    });

    it("reports nothing while publiclyAccessible is unknown during preview", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { publiclyAccessible: unknown.boolean })), []);
    });

    it("skips a broker named in exclude, by name or by URN glob", async () => {
        const broker = withChange(compliantActiveMq(), { publiclyAccessible: true });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy-broker", config: { exclude: ["legacy-broker"] } }), []);
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy-1", config: { exclude: ["urn:pulumi:prod::*::legacy-*"] } }), []);
        assert.strictEqual((await analyze(policy, broker, { name: "orders", config: { exclude: ["legacy-*"] } })).length, 1);
    });

    it("reports advisory on a stack whose tags match advisoryStackTags, and mandatory otherwise", async () => {
        const broker = withChange(compliantActiveMq(), { publiclyAccessible: true });
        const config = { advisoryStackTags: { environment: ["dev", "sandbox"] } };
        const onDev = await analyze(policy, broker, { config, stackTags: { environment: "dev" } });
        assert.strictEqual(onDev[0].enforcementLevel, "advisory");
        const onProd = await analyze(policy, broker, { config, stackTags: { environment: "prod" } });
        assert.strictEqual(onProd[0].enforcementLevel, "mandatory");
        const untagged = await analyze(policy, broker, { stackTags: { environment: "dev" } });
        assert.strictEqual(untagged[0].enforcementLevel, "mandatory", "advisoryStackTags is off by default");
    });

    it("ignores resources of other types", async () => {
        assert.deepStrictEqual(await analyze(policy, { publiclyAccessible: true }, { type: "aws:rds/instance:Instance" }), []);
    });

    it("rejects an exclude list of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { exclude: "legacy" } }), /mq-broker-no-public-access: exclude: Invalid type\. Expected: array, given: string/);
    });

    it("names the AWS Config rule that makes the same check (mq-no-public-access)", () => {
        assert.ok(policy.tags?.includes("AWS Config mq-no-public-access"));
    });
});
