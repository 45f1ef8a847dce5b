import * as assert from "assert";
import { isSecretObject } from "../../engine/properties";
import { mqBrokerAutoMinorVersionUpgrade as policy } from "../../policies/mq-broker-auto-minor-version-upgrade";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { mqBrokerLogging } from "../../policies/mq-broker-logging";
import { nativeBroker, onNativeBroker } from "../support/native";
import { analyze, remediate, secret, testPassword, unknown } from "../support/runtime";

describe("mq-broker-auto-minor-version-upgrade", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
    });

    it("flags autoMinorVersionUpgrade: false as mandatory, naming the property and the in-place fix", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /autoMinorVersionUpgrade is false; set autoMinorVersionUpgrade: true \(an in-place update\)/);
    });

    it("flags an absent autoMinorVersionUpgrade, because the provider default is false", async () => {
        const violations = await analyze(policy, withChange(compliantRabbitMq(), { autoMinorVersionUpgrade: undefined }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /autoMinorVersionUpgrade is not set, and the provider default is false/);
    });

    it("says Amazon MQ requires it on ActiveMQ 5.18 and later", async () => {
        const [violation] = await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false }));
        assert.match(violation.message, /Amazon MQ requires it for ActiveMQ 5\.18 and later/);
    });

    it("says Amazon MQ requires it on RabbitMQ 3.13 and later, whatever the case of engineType", async () => {
        const [violation] = await analyze(policy, withChange(compliantRabbitMq(), { autoMinorVersionUpgrade: false, engineType: "rabbitMQ", engineVersion: "4.2" }));
        assert.match(violation.message, /Amazon MQ requires it for RabbitMQ 3\.13 and later/);
    });

    it("does not claim an AWS requirement for an older engine version", async () => {
        const [violation] = await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false, engineVersion: "5.17.6" }));
        assert.doesNotMatch(violation.message, /requires/);
    });

    it("flags autoMinorVersionUpgrade given as the string \"false\", which the provider accepts", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: "FALSE" }));
        assert.match(violations[0].message, /autoMinorVersionUpgrade is false/);
    });

    it("passes autoMinorVersionUpgrade given as the string \"true\"", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: "true" })), []);
    });

    it("flags a value of the wrong type without throwing", async () => {
        for (const value of [1, {}, ["true"]]) {
            const violations = await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: value }));
            assert.strictEqual(violations.length, 1, JSON.stringify(value));
            assert.match(violations[0].message, /autoMinorVersionUpgrade is not a boolean/);
        }
    });

    it("reports nothing while autoMinorVersionUpgrade is unknown during preview", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: unknown.boolean })), []);
    });

    it("still judges autoMinorVersionUpgrade when engineType and engineVersion are unknown", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), {
            autoMinorVersionUpgrade: false, engineType: unknown.string, engineVersion: unknown.string,
        }));
        assert.strictEqual(violations.length, 1);
        assert.doesNotMatch(violations[0].message, /requires/);
    });

    it("skips a broker named in exclude", async () => {
        const broker = withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy", config: { exclude: ["legacy"] } }), []);
    });

    it("reports advisory on a stack whose tags match advisoryStackTags", async () => {
        const broker = withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false });
        const violations = await analyze(policy, broker, { config: { advisoryStackTags: { env: ["dev"] } }, stackTags: { env: "dev" } });
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
    });

    it("rejects advisoryStackTags of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { advisoryStackTags: ["dev"] } }),
            /mq-broker-auto-minor-version-upgrade: advisoryStackTags: Invalid type\. Expected: object/);
    });

    describe("remediation", () => {
        it("sets autoMinorVersionUpgrade to true and keeps every other property", async () => {
            const broker = withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false });
            const result = await remediate(policy, broker, { enforcementLevel: "remediate" });
            assert.ok(result, "the broker was remediated");
            assert.strictEqual(result.autoMinorVersionUpgrade, true);
            assert.strictEqual(result.engineVersion, "5.18");
            assert.deepStrictEqual(result.subnetIds, broker.subnetIds);
        });

        it("sets it when it is absent", async () => {
            const result = await remediate(policy, withChange(compliantRabbitMq(), { autoMinorVersionUpgrade: undefined }));
            assert.strictEqual(result?.autoMinorVersionUpgrade, true);
        });

        it("keeps a secret password secret in the remediated broker", async () => {
            const password = testPassword("Wm4xTq8zRb2nLc6vKp0d");
            const broker = withChange(compliantActiveMq(), {
                autoMinorVersionUpgrade: false,
                users: [{ username: "orders-app", password: secret(password) }],
            });
            const result = await remediate(policy, broker, { enforcementLevel: "remediate" });
            const users = result?.users as Array<Record<string, unknown>>;
            assert.ok(isSecretObject(users[0].password), "the password is still a secret");
            assert.strictEqual((users[0].password as { value?: unknown }).value, password);
            assert.strictEqual(users[0].username, "orders-app");
        });

        it("keeps a secret autoMinorVersionUpgrade secret when it sets it (found by the property-based tests)", async () => {
            const result = await remediate(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: secret(false) }));
            assert.deepStrictEqual(result?.autoMinorVersionUpgrade, secret(true));
        });

        it("changes nothing on a compliant broker", async () => {
            assert.strictEqual(await remediate(policy, compliantActiveMq()), undefined);
        });

        it("leaves an unknown value alone", async () => {
            assert.strictEqual(await remediate(policy, withChange(compliantActiveMq(), { autoMinorVersionUpgrade: unknown.boolean })), undefined);
        });

        it("leaves an excluded broker alone", async () => {
            const broker = withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false });
            assert.strictEqual(await remediate(policy, broker, { name: "legacy", config: { exclude: ["legacy"] } }), undefined);
        });
    });

    describe("on aws-native, where an absent autoMinorVersionUpgrade means true (the API's default)", () => {
        it("passes an aws-native broker without autoMinorVersionUpgrade, which @pulumi/aws would flag", async () => {
            const broker = withChange(compliantActiveMq(), { autoMinorVersionUpgrade: undefined });
            assert.strictEqual((await analyze(policy, broker)).length, 1);
            assert.deepStrictEqual(await analyze(policy, nativeBroker(broker), onNativeBroker()), []);
            assert.strictEqual(await remediate(policy, nativeBroker(broker), onNativeBroker()), undefined);
        });

        it("flags an aws-native broker that sets autoMinorVersionUpgrade: false, and remediates it", async () => {
            const broker = nativeBroker(withChange(compliantRabbitMq(), { autoMinorVersionUpgrade: false }));
            const found = await analyze(policy, broker, onNativeBroker());
            assert.strictEqual(found.length, 1);
            assert.match(found[0].message, /autoMinorVersionUpgrade is false; set autoMinorVersionUpgrade: true/);
            assert.strictEqual((await remediate(policy, broker, onNativeBroker()))?.autoMinorVersionUpgrade, true);
        });

        it("does not write the filled-in default into the program's properties when another policy remediates", async () => {
            const broker = nativeBroker(withChange(compliantActiveMq(), { autoMinorVersionUpgrade: undefined, logs: undefined }));
            const fixed = await remediate(mqBrokerLogging, broker, onNativeBroker());
            assert.ok(fixed);
            assert.deepStrictEqual(fixed.logs, { general: true, audit: true });
            assert.ok(!("autoMinorVersionUpgrade" in fixed));
        });
    });
});
