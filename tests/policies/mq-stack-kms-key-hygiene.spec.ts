import * as assert from "assert";
import { mqStackKmsKeyHygiene as policy } from "../../policies/mq-stack-kms-key-hygiene";
import { analyzeStack, StackResource, unknown } from "../support/runtime";
import { broker, goodKeyProps, resource, TYPES } from "../support/stacks";

function keyed(keyChange: Record<string, unknown>, engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ"): StackResource[] {
    const props = { ...goodKeyProps(), ...keyChange };
    for (const [k, v] of Object.entries(keyChange)) {
        if (v === undefined) {
            delete props[k];
        }
    }
    const key = resource(TYPES.key, "orders-key", props);
    return [key, broker("orders-broker", {}, { encryptionOptions: [key] }, engine)];
}

describe("mq-stack-kms-key-hygiene", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, keyed({})), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, keyed({}, "RabbitMQ")), []);
    });

    it("passes when usage, spec, enablement and deletion window are absent, because their defaults are compliant", async () => {
        const stack = keyed({ keyUsage: undefined, customerMasterKeySpec: undefined, isEnabled: undefined, deletionWindowInDays: undefined });
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("flags a key without rotation on the key's URN, naming the broker it encrypts", async () => {
        const stack = keyed({ enableKeyRotation: false });
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[0].urn);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /enableKeyRotation is false; set enableKeyRotation: true/);
        assert.match(violations[0].message, /encrypts broker orders-broker/);
    });

    it("flags a key whose enableKeyRotation is absent, because the provider default is false", async () => {
        const violations = await analyzeStack(policy, keyed({ enableKeyRotation: undefined }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /enableKeyRotation is not set \(the default is false\)/);
    });

    it("flags a disabled key", async () => {
        const violations = await analyzeStack(policy, keyed({ isEnabled: false }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /isEnabled is false; .*set isEnabled: true/);
    });

    it("flags a deletion window shorter than 30 days", async () => {
        const violations = await analyzeStack(policy, keyed({ deletionWindowInDays: 7 }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /deletionWindowInDays is 7; set it to at least 30/);
    });

    it("flags an asymmetric key with that single reason, whatever else is wrong", async () => {
        const violations = await analyzeStack(policy, keyed({ customerMasterKeySpec: "RSA_2048", enableKeyRotation: false }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /customerMasterKeySpec is RSA_2048; Amazon MQ encrypts only with symmetric/);
    });

    it("flags a signing key, comparing keyUsage case-insensitively", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, keyed({ keyUsage: "encrypt_decrypt" })), []);
        const violations = await analyzeStack(policy, keyed({ keyUsage: "sign_verify" }));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /keyUsage is SIGN_VERIFY/);
    });

    it("shows a huge keyUsage and a huge broker resource name cut short (found by the property-based tests)", async () => {
        const key = resource(TYPES.key, "orders-key", { ...goodKeyProps(), keyUsage: "s".repeat(100_000) });
        const violations = await analyzeStack(policy, [key, broker("b".repeat(100_000), {}, { encryptionOptions: [key] })]);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /keyUsage is S{80}… \(100000 characters\); Amazon MQ encrypts/);
        assert.match(violations[0].message, /encrypts broker b{200}… \(100000 characters\)\.\)/);
        assert.ok(violations[0].message.length < 2000);
    });

    it("lists every independent fix for one key", async () => {
        const violations = await analyzeStack(policy, keyed({ isEnabled: false, enableKeyRotation: false, deletionWindowInDays: 10 }));
        assert.deepStrictEqual(violations.map(v => v.message.split("\n")[1].match(/^\w+/)?.[0]), ["isEnabled", "enableKeyRotation", "deletionWindowInDays"]);
    });

    it("judges a key reached through an alias", async () => {
        const key = resource(TYPES.key, "orders-key", { ...goodKeyProps(), enableKeyRotation: false });
        const alias = resource(TYPES.alias, "orders-key-alias", { name: "alias/orders", targetKeyId: "1234abcd" }, { targetKeyId: [key] });
        const violations = await analyzeStack(policy, [key, alias, broker("orders-broker", {}, { encryptionOptions: [alias] })]);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, key.urn);
    });

    it("reports a key shared by two brokers once, naming both", async () => {
        const key = resource(TYPES.key, "shared-key", { ...goodKeyProps(), enableKeyRotation: false });
        const stack = [key, broker("a-broker", {}, { encryptionOptions: [key] }), broker("b-broker", {}, { encryptionOptions: [key] }, "RabbitMQ")];
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /encrypts broker a-broker, b-broker/);
    });

    it("does not judge a key outside the stack or a key that feeds another input", async () => {
        const key = resource(TYPES.key, "other-key", { ...goodKeyProps(), enableKeyRotation: false });
        assert.deepStrictEqual(await analyzeStack(policy, [key, broker("orders-broker")]), []);
        assert.deepStrictEqual(await analyzeStack(policy, [key, broker("orders-broker", {}, { tags: [key] })]), []);
    });

    it("reports nothing for unknown key outputs during preview of a new stack, but still judges known ones", async () => {
        const stack = keyed({
            enableKeyRotation: unknown.boolean, isEnabled: unknown.boolean, keyUsage: unknown.string,
            customerMasterKeySpec: unknown.string, deletionWindowInDays: unknown.number, arn: unknown.string,
        });
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
        const mixed = keyed({ enableKeyRotation: unknown.boolean, deletionWindowInDays: 7, arn: unknown.string });
        const violations = await analyzeStack(policy, mixed);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /deletionWindowInDays is 7/);
    });

    it("reads wrong types without throwing: a string number is a number, other shapes are the default", async () => {
        assert.match((await analyzeStack(policy, keyed({ deletionWindowInDays: "7" })))[0].message, /deletionWindowInDays is 7/);
        assert.deepStrictEqual(await analyzeStack(policy, keyed({ deletionWindowInDays: { days: 7 }, isEnabled: ["no"], keyUsage: { usage: "SIGN_VERIFY" } })), []);
    });

    it("accepts a shorter deletion window when minimumDeletionWindowDays allows it", async () => {
        const stack = keyed({ deletionWindowInDays: 14 });
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { minimumDeletionWindowDays: 14 } }), []);
        assert.strictEqual((await analyzeStack(policy, stack, { config: { minimumDeletionWindowDays: 15 } })).length, 1);
    });

    it("rejects a minimumDeletionWindowDays outside what KMS accepts with a schema error", async () => {
        await assert.rejects(analyzeStack(policy, keyed({}), { config: { minimumDeletionWindowDays: 45 } }),
            /mq-stack-kms-key-hygiene: minimumDeletionWindowDays: Must be less than or equal to 30/);
        await assert.rejects(analyzeStack(policy, keyed({}), { config: { minimumDeletionWindowDays: "30" } }),
            /minimumDeletionWindowDays: Invalid type\. Expected: integer, given: string/);
    });

    it("skips a broker named in exclude, and a key excluded by URN glob", async () => {
        const stack = keyed({ enableKeyRotation: false });
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { exclude: ["orders-broker"] } }), []);
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { exclude: ["urn:pulumi:prod::*::aws:kms/key:Key::orders-*"] } }), []);
        assert.strictEqual((await analyzeStack(policy, stack, { config: { exclude: ["other-*"] } })).length, 1);
    });

    it("reports advisory on a stack whose tags match advisoryStackTags", async () => {
        const stack = keyed({ enableKeyRotation: false });
        const config = { advisoryStackTags: { environment: ["dev"] } };
        assert.strictEqual((await analyzeStack(policy, stack, { config, stackTags: { environment: "dev" } }))[0].enforcementLevel, "advisory");
        assert.strictEqual((await analyzeStack(policy, stack, { config, stackTags: { environment: "prod" } }))[0].enforcementLevel, "mandatory");
    });

    it("judges a stack of 10,000 resources and 1,000 brokers, finding exactly the bad keys", async () => {
        const stack: StackResource[] = [];
        const bad = new Set<string>();
        for (let i = 0; i < 1000; i++) {
            const rotation = i % 10 !== 0;
            const key = resource(TYPES.key, `key-${i}`, { ...goodKeyProps(), enableKeyRotation: rotation });
            if (!rotation) {
                bad.add(key.urn);
            }
            const alias = resource(TYPES.alias, `alias-${i}`, { targetKeyId: "k" }, { targetKeyId: [key] });
            stack.push(key, alias);
            for (let j = 0; j < 7; j++) {
                stack.push(resource(TYPES.subnet, `filler-${i}-${j}`, { cidrBlock: "10.0.0.0/24" }));
            }
            stack.push(broker(`broker-${i}`, {}, { encryptionOptions: [i % 2 === 0 ? key : alias] }));
        }
        assert.strictEqual(stack.length, 10_000);
        const violations = await analyzeStack(policy, stack);
        assert.deepStrictEqual(new Set(violations.map(v => v.urn)), bad);
        assert.strictEqual(violations.length, 100);
    });
});
