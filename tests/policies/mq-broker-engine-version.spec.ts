import * as assert from "assert";
import { compareVersions, parseVersion } from "../../policies/lib/versions";
import { mqBrokerEngineVersion as policy } from "../../policies/mq-broker-engine-version";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { analyze, unknown } from "../support/runtime";

describe("mq-broker-engine-version", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
    });

    it("passes newer supported versions: ActiveMQ 5.19 and RabbitMQ 4.2", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.19" })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "4.2" })), []);
    });

    it("flags ActiveMQ 5.17.6 as older than the supported minimum 5.18, as mandatory", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.17.6" }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /engineVersion "5\.17\.6" is older than 5\.18, the oldest ActiveMQ version accepted/);
        assert.match(violations[0].message, /set engineVersion: "5\.18" or later/);
    });

    it("flags RabbitMQ 3.12 as older than the supported minimum 3.13", async () => {
        const violations = await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "3.12" }));
        assert.match(violations[0].message, /engineVersion "3\.12" is older than 3\.13, the oldest RabbitMQ version accepted/);
    });

    it("compares versions numerically, not as text (3.9 is older than 3.13)", async () => {
        const violations = await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "3.9.27" }));
        assert.match(violations[0].message, /is older than 3\.13/);
    });

    it("flags a patch version on RabbitMQ 3.13 as the deploy-time error it is", async () => {
        const violations = await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "3.13.7" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /engineVersion "3\.13\.7" names a patch version, which Amazon MQ rejects at deploy time for RabbitMQ 3\.13 and later/);
        assert.match(violations[0].message, /set engineVersion: "3\.13" \(major\.minor only\) with autoMinorVersionUpgrade: true/);
    });

    it("flags a patch version on ActiveMQ 5.18 and on RabbitMQ 4.2", async () => {
        const active = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.18.4" }));
        assert.match(active[0].message, /rejects at deploy time for ActiveMQ 5\.18 and later; set engineVersion: "5\.18"/);
        const rabbit = await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "4.2.1" }));
        assert.match(rabbit[0].message, /set engineVersion: "4\.2"/);
    });

    it("reads engineType in any case", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineType: "ACTIVEMQ", engineVersion: "5.16.7" }));
        assert.match(violations[0].message, /the oldest ActiveMQ version accepted/);
        const rabbit = await analyze(policy, withChange(compliantRabbitMq(), { engineType: "rabbitmq", engineVersion: "3.11.28" }));
        assert.match(rabbit[0].message, /the oldest RabbitMQ version accepted/);
    });

    it("judges an ActiveMQ broker against the ActiveMQ versions, even with a RabbitMQ-like version", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "3.13" }));
        assert.match(violations[0].message, /engineVersion "3\.13" is not an ActiveMQ version Amazon MQ has offered/);
    });

    describe("versions Amazon MQ has offered (a dated table, overridable)", () => {
        it("passes every supported line of both engines", async () => {
            for (const engineVersion of ["5.18", "5.19"]) {
                assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion })), [], engineVersion);
            }
            for (const engineVersion of ["3.13", "4.2"]) {
                assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { engineVersion })), [], engineVersion);
            }
        });

        it("flags a version that never existed (a typo) on either engine, at preview instead of at deploy", async () => {
            for (const [base, engineVersion, engine] of [[compliantActiveMq, "5.81", "ActiveMQ"], [compliantRabbitMq, "3.31", "RabbitMQ"], [compliantRabbitMq, "4.0", "RabbitMQ"], [compliantActiveMq, "6.0", "ActiveMQ"]] as const) {
                const violations = await analyze(policy, withChange(base(), { engineVersion }));
                assert.strictEqual(violations.length, 1, engineVersion);
                assert.match(violations[0].message, new RegExp(`engineVersion "${engineVersion.replace(".", "\\.")}" is not an ${engine} version Amazon MQ has offered \\(.*; offeredVersions, from the Amazon MQ version calendar as read on 2026-12-03\\); check it for a typo`));
            }
        });

        it("takes an engine's lines from offeredVersions when given, keys read case-insensitively; other engines keep the table", async () => {
            const config = { offeredVersions: { activemq: ["5.18", "5.19", "5.20"] } };
            assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.20" }), { config }), []);
            assert.strictEqual((await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.20" }))).length, 1, "not in the default table");
            assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "4.2" }), { config }), []);
        });

        it("rejects offeredVersions naming an unknown engine or a line that is not major.minor", async () => {
            assert.match(policy.validateConfig({ offeredVersions: { Kafka: ["3.6"] } })[0], /^offeredVersions names an unknown engine "Kafka"; use ActiveMQ or RabbitMQ$/);
            await assert.rejects(analyze(policy, compliantActiveMq(), { config: { offeredVersions: { ActiveMQ: ["5.18.1"] } } }),
                /mq-broker-engine-version: offeredVersions\.ActiveMQ\.0: Does not match pattern/);
        });

        it("reports nothing while engineType or engineVersion is unknown, and nothing for an absent engineVersion", async () => {
            assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.81", engineType: unknown.string })), []);
            assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: unknown.string })), []);
            assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: undefined })), []);
        });
    });

    it("flags an engineVersion that is not a version number, naming the expected form", async () => {
        for (const value of ["latest", "5", "v5.18", "5.18.x", ""]) {
            const violations = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: value }));
            assert.strictEqual(violations.length, 1, value);
            assert.match(violations[0].message, /is not a version number; set major\.minor, such as "5\.18" \(ActiveMQ\) or "3\.13" \(RabbitMQ\)/, value);
        }
    });

    it("does not quote a long or odd engineVersion in the message", async () => {
        const odd = "5.18<script>" + "x".repeat(500);
        const [violation] = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: odd }));
        assert.ok(!violation.message.includes("<script>"));
        assert.match(violation.message, /^[^\n]*\nengineVersion is not a version number/);
    });

    it("flags blanks around the version, which AWS does not accept", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: " 5.18 " }));
        assert.match(violations[0].message, /engineVersion " 5\.18 " is not a version number/);
    });

    it("passes an absent engineVersion: the provider requires it and rejects the program itself", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: undefined })), []);
    });

    it("flags an engineVersion of the wrong type without throwing", async () => {
        for (const value of [{}, ["5.18"], true]) {
            const violations = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: value }));
            assert.strictEqual(violations.length, 1, JSON.stringify(value));
            assert.match(violations[0].message, /engineVersion is not a string/);
        }
    });

    it("reports nothing while engineVersion is unknown during preview", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineVersion: unknown.string })), []);
    });

    it("reports nothing on an old version while engineType is unknown, but still flags an unparseable one", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineType: unknown.string, engineVersion: "5.15.0" })), []);
        const violations = await analyze(policy, withChange(compliantActiveMq(), { engineType: unknown.string, engineVersion: "latest" }));
        assert.strictEqual(violations.length, 1);
    });

    it("reports nothing on an old version for an unrecognized or absent engineType", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineType: "Kafka", engineVersion: "2.8" })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineType: undefined, engineVersion: "5.15.0" })), []);
    });

    describe("config minimumVersions", () => {
        it("raises a minimum, with engine names read case-insensitively", async () => {
            const config = { minimumVersions: { activemq: "5.19", RABBITMQ: "4.2" } };
            const active = await analyze(policy, compliantActiveMq(), { config });
            assert.match(active[0].message, /engineVersion "5\.18" is older than 5\.19, the oldest ActiveMQ version accepted \(minimumVersions/);
            const rabbit = await analyze(policy, compliantRabbitMq(), { config });
            assert.match(rabbit[0].message, /older than 4\.2/);
        });

        it("keeps the default for an engine the config leaves out", async () => {
            const config = { minimumVersions: { RabbitMQ: "3.12" } };
            assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { engineVersion: "3.12.13" }), { config }), []);
            const active = await analyze(policy, withChange(compliantActiveMq(), { engineVersion: "5.17.6" }), { config });
            assert.match(active[0].message, /older than 5\.18/);
        });

        it("accepts a major.minor version against a patch-level minimum (Amazon MQ keeps the patch current)", async () => {
            const config = { minimumVersions: { ActiveMQ: "5.18.3" } };
            assert.deepStrictEqual(await analyze(policy, compliantActiveMq(), { config }), []);
        });

        it("rejects a minimum that is not a version, with a config error naming the key", async () => {
            const violations = await analyze(policy, compliantActiveMq(), { config: { minimumVersions: { ActiveMQ: "newest" } } });
            assert.strictEqual(violations.length, 1);
            assert.match(violations[0].message, /The policy config of mq-broker-engine-version is invalid: minimumVersions\.ActiveMQ is "newest", not a version/);
            assert.deepStrictEqual(policy.validateConfig({ minimumVersions: { ActiveMQ: "newest" } }).length, 1);
        });

        it("rejects an unknown engine name and an engine given twice", () => {
            assert.match(policy.validateConfig({ minimumVersions: { Kafka: "3.6" } })[0], /unknown engine "Kafka"; use ActiveMQ or RabbitMQ/);
            assert.match(policy.validateConfig({ minimumVersions: { ActiveMQ: "5.18", activemq: "5.19" } })[0], /gives ActiveMQ twice/);
        });

        it("rejects minimumVersions of the wrong type with a schema error", async () => {
            await assert.rejects(analyze(policy, compliantActiveMq(), { config: { minimumVersions: "5.18" } }),
                /mq-broker-engine-version: minimumVersions: Invalid type\. Expected: object/);
            await assert.rejects(analyze(policy, compliantActiveMq(), { config: { minimumVersions: { ActiveMQ: 5.18 } } }),
                /mq-broker-engine-version: minimumVersions\.ActiveMQ: Invalid type\. Expected: string/);
        });
    });

    it("skips a broker named in exclude and reports advisory on a matching stack", async () => {
        const broker = withChange(compliantActiveMq(), { engineVersion: "5.15.16" });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy", config: { exclude: ["legacy"] } }), []);
        const advisory = await analyze(policy, broker, { config: { advisoryStackTags: { env: ["dev"] } }, stackTags: { env: "dev" } });
        assert.strictEqual(advisory[0].enforcementLevel, "advisory");
    });

    describe("version helpers", () => {
        it("parses X.Y and X.Y.Z and nothing else", () => {
            assert.deepStrictEqual(parseVersion("3.13"), { major: 3, minor: 13 });
            assert.deepStrictEqual(parseVersion("5.17.6"), { major: 5, minor: 17, patch: 6 });
            assert.strictEqual(parseVersion("5.17.6.1"), undefined);
            assert.strictEqual(parseVersion("1".repeat(100)), undefined);
        });

        it("orders versions by number", () => {
            assert.ok(compareVersions(parseVersion("3.9")!, parseVersion("3.13")!) < 0);
            assert.ok(compareVersions(parseVersion("4.2")!, parseVersion("3.13")!) > 0);
            assert.ok(compareVersions(parseVersion("5.17.6")!, parseVersion("5.17.10")!) < 0);
            assert.strictEqual(compareVersions(parseVersion("5.18")!, parseVersion("5.18.3")!), 0);
        });
    });
});
