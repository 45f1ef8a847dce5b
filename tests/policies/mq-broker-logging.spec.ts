import * as assert from "assert";
import { mqBrokerLogging as policy } from "../../policies/mq-broker-logging";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { analyze, remediate, secret, unknown } from "../support/runtime";

const activeMq = compliantActiveMq;
const rabbitMq = compliantRabbitMq;

async function messages(broker: Record<string, unknown>): Promise<string[]> {
    return (await analyze(policy, broker)).map(v => v.message);
}

/** The properties a remediation may not touch: everything but logs. */
function withoutLogs(props: Record<string, unknown>): Record<string, unknown> {
    const { logs: _logs, ...rest } = props;
    return rest;
}

describe("mq-broker-logging", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMq()), []);
    });

    it("flags an ActiveMQ broker without logs for both general and audit logs, because both default to false", async () => {
        const violations = await analyze(policy, withChange(activeMq(), { logs: undefined }));
        assert.strictEqual(violations.length, 2);
        assert.ok(violations.every(v => v.enforcementLevel === "mandatory"));
        assert.match(violations[0].message, /logs.general is not true.*set logs.general: true/);
        assert.match(violations[1].message, /logs.audit is not true.*set logs.audit: true/);
    });

    it("flags a RabbitMQ broker without logs for general logs only, never asking for audit logs", async () => {
        const found = await messages(withChange(rabbitMq(), { logs: undefined }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /logs.general is not true/);
        assert.doesNotMatch(found[0], /logs\.audit/);
    });

    it("flags general logs turned off", async () => {
        const found = await messages(withChange(activeMq(), { logs: { general: false, audit: true } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /logs.general is not true/);
    });

    it("flags audit logs turned off on ActiveMQ", async () => {
        const found = await messages(withChange(activeMq(), { logs: { general: true, audit: false } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /logs.audit is not true/);
    });

    it("flags audit: true on RabbitMQ as the deploy-time error it is, as a boolean or the string \"true\"", async () => {
        for (const audit of [true, "true"]) {
            const found = await messages(withChange(rabbitMq(), { logs: { general: true, audit } }));
            assert.strictEqual(found.length, 1, String(audit));
            assert.match(found[0], /logs.audit is true, which RabbitMQ rejects at deploy time \(audit logs are ActiveMQ only\); remove logs.audit or set it to false/);
        }
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { logs: { general: true, audit: false } })), []);
    });

    it("flags a logs block without general, because general defaults to false", async () => {
        const found = await messages(withChange(rabbitMq(), { logs: {} }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /logs.general is not true/);
        assert.strictEqual((await messages(withChange(activeMq(), { logs: { audit: true } }))).length, 1);
    });

    it("accepts audit and general given as strings, and logs given as a one-element list", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { logs: { general: "TRUE", audit: "true" } })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { logs: [{ general: true, audit: true }] })), []);
        assert.strictEqual((await messages(withChange(activeMq(), { logs: [{ general: true, audit: "false" }] }))).length, 1);
    });

    it("compares engineType case-insensitively", async () => {
        assert.strictEqual((await messages(withChange(activeMq(), { engineType: "ACTIVEMQ", logs: { general: true } }))).length, 1);
        assert.strictEqual((await messages(withChange(rabbitMq(), { engineType: "rabbitmq", logs: { general: true, audit: true } }))).length, 1);
    });

    it("reports nothing while logs is unknown, and judges each known field while the other is unknown", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { logs: unknown.object })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { logs: [unknown.object] })), []);
        const generalUnknown = await messages(withChange(activeMq(), { logs: { general: unknown.boolean, audit: false } }));
        assert.strictEqual(generalUnknown.length, 1);
        assert.match(generalUnknown[0], /logs.audit/);
        const auditUnknown = await messages(withChange(activeMq(), { logs: { general: false, audit: unknown.boolean } }));
        assert.strictEqual(auditUnknown.length, 1);
        assert.match(auditUnknown[0], /logs.general/);
    });

    it("judges general logs but not audit logs while the engine is unknown", async () => {
        const found = await messages(withChange(activeMq(), { engineType: unknown.string, logs: { general: false, audit: false } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /logs.general/);
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { engineType: unknown.string, logs: { general: true, audit: true } })), []);
    });

    it("never throws on wrong types and reads them as absent", async () => {
        const found = await messages(withChange(activeMq(), { logs: "all" }));
        assert.strictEqual(found.length, 2);
        const odd = await messages(withChange(activeMq(), { logs: { general: 1, audit: ["yes"] } }));
        assert.strictEqual(odd.length, 2, odd.join("\n"));
        assert.ok(odd.every(m => !/could not evaluate/.test(m)));
    });

    it("skips an excluded broker and reports advisory on a stack tagged for it", async () => {
        const broker = withChange(activeMq(), { logs: undefined });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy", config: { exclude: ["legacy"] } }), []);
        const onDev = await analyze(policy, broker, { config: { advisoryStackTags: { environment: ["dev"] } }, stackTags: { environment: "dev" } });
        assert.deepStrictEqual(onDev.map(v => v.enforcementLevel), ["advisory", "advisory"]);
    });

    it("rejects an exclude list of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, activeMq(), { config: { exclude: [""] } }), /mq-broker-logging: exclude\.0: String length must be greater than or equal to 1/);
    });

    describe("remediation", () => {
        it("turns on general and audit logs on ActiveMQ and changes nothing else", async () => {
            const broker = withChange(activeMq(), { logs: { general: false, audit: false } });
            const fixed = await remediate(policy, broker, { enforcementLevel: "remediate" });
            assert.ok(fixed);
            assert.deepStrictEqual(fixed.logs, { general: true, audit: true });
            assert.deepStrictEqual(withoutLogs(fixed), withoutLogs(broker));
            assert.deepStrictEqual(await analyze(policy, fixed), []);
        });

        it("adds the logs block when it is absent, with audit logs only on ActiveMQ", async () => {
            const active = await remediate(policy, withChange(activeMq(), { logs: undefined }));
            assert.deepStrictEqual(active?.logs, { general: true, audit: true });
            const rabbit = await remediate(policy, withChange(rabbitMq(), { logs: undefined }));
            assert.deepStrictEqual(rabbit?.logs, { general: true });
        });

        it("fixes logs given as a one-element list in place", async () => {
            const fixed = await remediate(policy, withChange(activeMq(), { logs: [{ general: false }] }));
            assert.deepStrictEqual(fixed?.logs, [{ general: true, audit: true }]);
        });

        it("keeps secret inputs secret", async () => {
            const broker = withChange(activeMq(), { logs: undefined, users: secret(activeMq().users) });
            const fixed = await remediate(policy, broker);
            assert.ok(fixed);
            assert.deepStrictEqual(fixed.users, broker.users);
        });

        it("keeps a secret logs block or log setting secret when it remediates it (found by the property-based tests)", async () => {
            const fields = await remediate(policy, withChange(activeMq(), { logs: { general: secret(false), audit: secret("false") } }));
            assert.deepStrictEqual(fields?.logs, { general: secret(true), audit: secret(true) });
            const block = await remediate(policy, withChange(activeMq(), { logs: secret({ general: false }) }));
            assert.deepStrictEqual(block?.logs, secret({ general: true, audit: true }));
            const listed = await remediate(policy, withChange(activeMq(), { logs: [secret({ general: false, audit: true })] }));
            assert.deepStrictEqual(listed?.logs, [secret({ general: true, audit: true })]);
            const empty = await remediate(policy, withChange(rabbitMq(), { logs: secret(null) }));
            assert.deepStrictEqual(empty?.logs, secret({ general: true }));
        });

        it("returns nothing for a compliant broker, an unknown logs block or a wrongly typed one", async () => {
            assert.strictEqual(await remediate(policy, activeMq()), undefined);
            assert.strictEqual(await remediate(policy, rabbitMq()), undefined);
            assert.strictEqual(await remediate(policy, withChange(activeMq(), { logs: unknown.object })), undefined);
            assert.strictEqual(await remediate(policy, withChange(activeMq(), { logs: "all" })), undefined);
        });

        it("leaves unknown fields and RabbitMQ's audit setting alone", async () => {
            const partial = await remediate(policy, withChange(activeMq(), { logs: { general: unknown.boolean, audit: false } }));
            assert.deepStrictEqual(partial?.logs, { general: unknown.boolean, audit: true });
            assert.strictEqual(await remediate(policy, withChange(rabbitMq(), { logs: { general: true, audit: true } })), undefined);
        });

        it("does not remediate an excluded broker or one on an advisory-tagged stack", async () => {
            const broker = withChange(activeMq(), { logs: undefined });
            assert.strictEqual(await remediate(policy, broker, { name: "legacy", config: { exclude: ["legacy"] } }), undefined);
            assert.strictEqual(await remediate(policy, broker, { config: { advisoryStackTags: { environment: ["dev"] } }, stackTags: { environment: "dev" } }), undefined);
        });
    });
});
