import * as assert from "assert";
import { mqBrokerDurableStorage as policy } from "../../policies/mq-broker-durable-storage";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { analyze, notApplicableReason, unknown } from "../support/runtime";

/** The case the AWS Config rule covers: single-instance ActiveMQ on mq.m5, here on EBS. */
const singleOnEbs = () => withChange(compliantActiveMq(), {
    deploymentMode: "SINGLE_INSTANCE",
    subnetIds: ["subnet-0a1b2c3d4e5f60001"],
    storageType: "ebs",
});

describe("mq-broker-durable-storage", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
    });

    it("passes for a single-instance ActiveMQ broker on mq.m5 with storageType efs", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { storageType: "efs" })), []);
    });

    it("passes when storageType is absent or empty, because ActiveMQ defaults to efs", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { storageType: undefined })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { storageType: "" })), []);
    });

    it("flags a single-instance ActiveMQ broker on mq.m5 with ebs as advisory, naming the fix and the replacement", async () => {
        const violations = await analyze(policy, singleOnEbs());
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, /storageType is ebs on a single-instance ActiveMQ broker \(mq\.m5\.large\); set storageType: efs \(the ActiveMQ default\)/);
        assert.match(violations[0].message, /cannot change on an existing broker: this needs a replacement broker/);
    });

    it("flags it when deploymentMode is absent, because the default is SINGLE_INSTANCE", async () => {
        assert.strictEqual((await analyze(policy, withChange(singleOnEbs(), { deploymentMode: undefined }))).length, 1);
    });

    it("compares engineType, deploymentMode, storageType and the instance type case-insensitively", async () => {
        const mixed = withChange(singleOnEbs(), { engineType: "activemq", deploymentMode: "single_instance", storageType: "EBS", hostInstanceType: "MQ.M5.XLarge" });
        const violations = await analyze(policy, mixed);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /storageType is EBS .*\(MQ\.M5\.XLarge\)/);
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { storageType: "EFS" })), []);
    });

    it("echoes a huge storageType and instance type as a short prefix with an ellipsis, never cutting a surrogate pair", async () => {
        const violations = await analyze(policy, withChange(singleOnEbs(), { storageType: "x".repeat(100_000) }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /storageType is x{20}… \(100000 characters\) on a single-instance ActiveMQ broker/);
        assert.ok(violations[0].message.length < 1000);
        const astral = await analyze(policy, withChange(singleOnEbs(), { storageType: `${"e".repeat(19)}😀${"e".repeat(1000)}` }));
        assert.match(astral[0].message, /storageType is e{19}… \(1021 characters\)/, "the pair is dropped whole, not halved");
        const family = await analyze(policy, withChange(singleOnEbs(), { hostInstanceType: `mq.m5.${"l".repeat(100_000)}` }));
        assert.strictEqual(family.length, 1);
        assert.ok(family[0].message.length < 1000);
    });

    it("flags any storageType other than efs, as the AWS Config rule does", async () => {
        assert.strictEqual((await analyze(policy, withChange(singleOnEbs(), { storageType: "gp3" }))).length, 1);
    });

    it("does not apply to RabbitMQ, which supports EBS only", async () => {
        const rabbit = withChange(compliantRabbitMq(), { deploymentMode: "SINGLE_INSTANCE", storageType: "ebs" });
        assert.deepStrictEqual(await analyze(policy, rabbit), []);
        assert.deepStrictEqual(await analyze(policy, withChange(rabbit, { storageType: undefined })), []);
    });

    it("tells the engine it is not applicable to RabbitMQ, rather than passing silently", async () => {
        assert.strictEqual(await notApplicableReason(policy, withChange(compliantRabbitMq(), { engineType: "rabbitmq" })),
            "RabbitMQ brokers store messages on EBS only");
        assert.strictEqual(await notApplicableReason(policy, singleOnEbs()), undefined);
    });

    it("does not apply to active/standby brokers (mq-broker-high-availability checks their storage)", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { deploymentMode: "ACTIVE_STANDBY_MULTI_AZ" })), []);
    });

    it("does not apply outside the mq.m5 family", async () => {
        for (const hostInstanceType of ["mq.t3.micro", "mq.t2.micro", "mq.m4.large"]) {
            assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { hostInstanceType })), [], hostInstanceType);
        }
    });

    it("reports nothing while any property it needs is unknown during preview", async () => {
        for (const change of [
            { engineType: unknown.string },
            { deploymentMode: unknown.string },
            { hostInstanceType: unknown.string },
            { storageType: unknown.string },
        ]) {
            assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), change)), [], Object.keys(change)[0]);
        }
    });

    it("reports nothing when engineType or hostInstanceType is absent (the provider requires both)", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { engineType: undefined })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), { hostInstanceType: undefined })), []);
    });

    it("never throws on wrong types, reading a non-string value as absent", async () => {
        for (const change of [{ storageType: true }, { storageType: ["ebs"] }, { hostInstanceType: 5 }, { engineType: null }]) {
            assert.deepStrictEqual(await analyze(policy, withChange(singleOnEbs(), change)), [], JSON.stringify(change));
        }
        // A deploymentMode of the wrong type reads as absent: SINGLE_INSTANCE, so the ebs finding stands.
        assert.strictEqual((await analyze(policy, withChange(singleOnEbs(), { deploymentMode: { mode: "CLUSTER" } }))).length, 1);
    });

    it("skips a broker named in exclude", async () => {
        assert.deepStrictEqual(await analyze(policy, singleOnEbs(), { name: "cache-broker", config: { exclude: ["cache-broker"] } }), []);
    });

    it("rejects an exclude list of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { exclude: "cache-broker" } }), /mq-broker-durable-storage: exclude: Invalid type\. Expected: array, given: string/);
    });
});
