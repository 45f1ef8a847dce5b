import * as assert from "assert";
import { mqBrokerRequiredTags as policy } from "../../policies/mq-broker-required-tags";
import { BrokerInputs, compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { nativeBroker, onNativeBroker } from "../support/native";
import { analyze, unknown } from "../support/runtime";

const required = { requiredTagKeys: ["team", "environment"] };

/**
 * A broker as the policy sees it after pulumi-aws's Check, which adds `tagsAll` (`tags` merged with the
 * provider's `defaultTags`) to the inputs. A program cannot set it, so it is not a typed broker input.
 */
function withTagsAll(broker: BrokerInputs, tagsAll: unknown): BrokerInputs {
    return { ...broker, tagsAll };
}

describe("mq-broker-required-tags", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq(), { config: required }), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq(), { config: required }), []);
    });

    it("flags a broker without tags as advisory (Security Hub MQ.4 without requiredTagKeys)", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { tags: undefined }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, /tags is empty or absent \(keys starting with aws: do not count\); add at least one tag/);
    });

    it("flags an empty tags map on RabbitMQ too", async () => {
        assert.strictEqual((await analyze(policy, withChange(compliantRabbitMq(), { tags: {} }))).length, 1);
    });

    it("ignores aws: system tag keys, whatever their case", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { tags: { "aws:cloudformation:stack-name": "x", "AWS:Owner": "y" } }));
        assert.strictEqual(violations.length, 1);
    });

    it("flags each missing required key, with a hint for a key of another case", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { tags: { Team: "payments" } }), { config: required });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /tags lacks the required keys team \(found Team; tag keys are case-sensitive\), environment; add them to tags or the provider's defaultTags \(requiredTagKeys: team, environment\)\./);
    });

    it("flags a single missing required key", async () => {
        const violations = await analyze(policy, withChange(compliantRabbitMq(), { tags: { team: "payments" } }), { config: required });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /tags lacks the required key environment; add it/);
    });

    it("flags a broker without tags against requiredTagKeys", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { tags: undefined }), { config: required });
        assert.match(violations[0].message, /required keys team, environment/);
    });

    it("does not count a key whose value is null", async () => {
        const violations = await analyze(policy, withChange(compliantActiveMq(), { tags: { team: "payments", environment: null } }), { config: required });
        assert.match(violations[0].message, /required key environment;/);
    });

    it("counts known keys of a tags map whose values are unknown during preview", async () => {
        const tags = { team: unknown.string, environment: unknown.string };
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { tags })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { tags }), { config: required }), []);
        const missing = await analyze(policy, withChange(compliantActiveMq(), { tags: { team: unknown.string } }), { config: required });
        assert.match(missing[0].message, /required key environment;/);
    });

    it("reports nothing while the whole tags map is unknown during preview", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { tags: unknown.object })), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { tags: unknown.object }), { config: required }), []);
    });

    it("counts keys from the provider's defaultTags that pulumi-aws merges into tagsAll", async () => {
        const broker = withTagsAll(withChange(compliantActiveMq(), { tags: { team: "payments" } }), { team: "payments", environment: "prod" });
        assert.deepStrictEqual(await analyze(policy, broker, { config: required }), []);
        assert.deepStrictEqual(await analyze(policy, withTagsAll(withChange(compliantActiveMq(), { tags: undefined }), { environment: "prod" })), []);
    });

    it("reports no missing key while tagsAll is unknown, since defaultTags may supply it", async () => {
        const broker = withTagsAll(withChange(compliantActiveMq(), { tags: { team: "payments" } }), unknown.object);
        assert.deepStrictEqual(await analyze(policy, broker, { config: required }), []);
        assert.deepStrictEqual(await analyze(policy, withChange(broker, { tags: undefined })), []);
    });

    it("still flags missing keys when tagsAll is known and lacks them", async () => {
        const broker = withTagsAll(withChange(compliantActiveMq(), { tags: { team: "payments" } }), { team: "payments" });
        assert.strictEqual((await analyze(policy, broker, { config: required })).length, 1);
    });

    it("reads tags of the wrong type as absent without throwing", async () => {
        for (const tags of ["team=payments", ["team"], 42, true]) {
            const violations = await analyze(policy, withChange(compliantActiveMq(), { tags }));
            assert.strictEqual(violations.length, 1, JSON.stringify(tags));
            assert.match(violations[0].message, /tags is empty or absent/);
        }
    });

    it("rejects a requiredTagKeys entry with the reserved aws: prefix as a config error", async () => {
        const violations = await analyze(policy, compliantActiveMq(), { config: { requiredTagKeys: ["team", "AWS:createdBy"] } });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /The policy config of mq-broker-required-tags is invalid: requiredTagKeys entry "AWS:createdBy" uses the aws: prefix/);
    });

    it("rejects requiredTagKeys of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { requiredTagKeys: "team" } }),
            /mq-broker-required-tags: requiredTagKeys: Invalid type\. Expected: array/);
        await assert.rejects(analyze(policy, compliantActiveMq(), { config: { requiredTagKeys: [""] } }),
            /mq-broker-required-tags: requiredTagKeys\.0: String length must be greater than or equal to 1/);
    });

    it("skips a broker named in exclude, and reports advisory on stacks matching advisoryStackTags", async () => {
        const broker = withChange(compliantActiveMq(), { tags: undefined });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "scratch", config: { exclude: ["scratch"] } }), []);
        const mandatory = await analyze(policy, broker, { enforcementLevel: "mandatory", config: { advisoryStackTags: { env: ["dev"] } }, stackTags: { env: "dev" } });
        assert.strictEqual(mandatory[0].enforcementLevel, "advisory");
    });
    describe("as an aws-native broker (aws-native:amazonmq:Broker, tags as a list of { key, value })", () => {
        const onNative = onNativeBroker();
        const nativeWith = (tags: unknown) => ({ ...nativeBroker(compliantActiveMq()), tags });

        it("passes the golden brokers in aws-native's shape", async () => {
            assert.deepStrictEqual(await analyze(policy, nativeBroker(compliantActiveMq()), { ...onNative, config: required }), []);
            assert.deepStrictEqual(await analyze(policy, nativeBroker(compliantRabbitMq()), { ...onNative, config: required }), []);
        });

        // aws-native's provider merges its own defaultTags into `tags` during Check (MergeDefaultTags,
        // pulumi-aws-native provider/pkg/default_tags/merging.go and provider.go, read 2026-12-03): `tags` already
        // holds them, and "the provider's defaultTags" names a real setting of the aws-native provider too.
        it("flags a missing required key with the same message as aws", async () => {
            const violations = await analyze(policy, nativeWith([{ key: "team", value: "payments" }]), { ...onNative, config: required });
            assert.strictEqual(violations.length, 1);
            assert.match(violations[0].message, /tags lacks the required key environment; add it to tags or the provider's defaultTags/);
            assert.deepStrictEqual(violations, await analyze(policy, withChange(compliantActiveMq(), { tags: { team: "payments" } }), { config: required }));
        });

        it("flags an empty or absent list, and one with only aws: keys", async () => {
            for (const tags of [[], undefined, [{ key: "aws:cloudformation:stack-name", value: "orders" }]]) {
                const violations = await analyze(policy, nativeWith(tags), onNative);
                assert.strictEqual(violations.length, 1, JSON.stringify(tags));
                assert.match(violations[0].message, /tags is empty or absent/);
                assert.ok(!/tagsAll/.test(violations[0].message));
            }
        });

        it("counts a key whose value is unknown during preview", async () => {
            const tags = [{ key: "team", value: unknown.string }, { key: "environment", value: unknown.string }];
            assert.deepStrictEqual(await analyze(policy, nativeWith(tags), { ...onNative, config: required }), []);
        });

        it("reports no missing key while a tag's key (or a whole entry) is unknown, since it may be the required one", async () => {
            const tags = [{ key: "team", value: "payments" }, { key: unknown.string, value: "prod" }];
            assert.deepStrictEqual(await analyze(policy, nativeWith(tags), { ...onNative, config: required }), []);
            assert.deepStrictEqual(await analyze(policy, nativeWith([unknown.object]), onNative), []);
            assert.deepStrictEqual(await analyze(policy, nativeWith(unknown.array), { ...onNative, config: required }), []);
        });

        it("does not read a stray tagsAll (aws-native has none) as tags the broker carries", async () => {
            const broker = { ...nativeWith([{ key: "team", value: "payments" }]), tagsAll: { team: "payments", environment: "prod" } };
            const violations = await analyze(policy, broker, { ...onNative, config: required });
            assert.strictEqual(violations.length, 1);
            assert.match(violations[0].message, /required key environment;/);
        });

        it("reads tags of the wrong type (a string, entries without a key, a number) as absent without throwing", async () => {
            for (const tags of ["team=payments", [{ name: "team" }], 42]) {
                assert.strictEqual((await analyze(policy, nativeWith(tags), onNative)).length, 1, JSON.stringify(tags));
            }
        });
    });
});
