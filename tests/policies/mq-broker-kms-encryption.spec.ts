import * as assert from "assert";
import { mqBrokerKmsEncryption as policy } from "../../policies/mq-broker-kms-encryption";
import { compliantActiveMq, compliantRabbitMq, CUSTOMER_KEY_ARN, withChange } from "../support/fixtures";
import { analyze, CallOptions, unknown } from "../support/runtime";

const activeMq = compliantActiveMq;
const rabbitMq = compliantRabbitMq;
const OTHER_ACCOUNT_KEY = "arn:aws:kms:us-east-1:444455556666:key/abcd1234-ab12-cd34-ef56-abcdef123456";

async function messages(broker: Record<string, unknown>, options: CallOptions = {}): Promise<string[]> {
    return (await analyze(policy, broker, options)).map(v => v.message);
}

describe("mq-broker-kms-encryption", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMq()), []);
    });

    it("flags a broker without encryptionOptions, which gets the AWS owned key, when customer-managed is required", async () => {
        const violations = await analyze(policy, withChange(activeMq(), { encryptionOptions: undefined }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /encryptionOptions uses the AWS owned key .*but minimumKeyManagement is customer-managed; set encryptionOptions: \{ useAwsOwnedKey: false, kmsKeyId:/);
        assert.match(violations[0].message, /Pulumi replaces it/);
    });

    it("flags a RabbitMQ broker on the AWS owned key, because both engines accept a KMS key", async () => {
        const found = await messages(withChange(rabbitMq(), { encryptionOptions: { useAwsOwnedKey: true } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /AWS owned key/);
    });

    it("flags useAwsOwnedKey: false without kmsKeyId, which is the AWS managed key aws/mq", async () => {
        const found = await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /uses the AWS managed key aws\/mq .*but minimumKeyManagement is customer-managed/);
    });

    it("treats a kmsKeyId naming alias/aws/mq as the AWS managed key, not a customer managed one", async () => {
        for (const kmsKeyId of ["alias/aws/mq", "arn:aws:kms:us-east-1:111122223333:alias/aws/mq"]) {
            const found = await messages(withChange(rabbitMq(), { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId } }));
            assert.strictEqual(found.length, 1, kmsKeyId);
            assert.match(found[0], /AWS managed key aws\/mq/);
        }
    });

    it("flags a kmsKeyId left unused because useAwsOwnedKey is absent and defaults to true", async () => {
        const found = await messages(withChange(activeMq(), { encryptionOptions: { kmsKeyId: CUSTOMER_KEY_ARN } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /kmsKeyId is set but useAwsOwnedKey is true .*set encryptionOptions.useAwsOwnedKey: false/);
    });

    it("with minimumKeyManagement aws-managed, passes aws/mq and flags the AWS owned key", async () => {
        const config = { minimumKeyManagement: "aws-managed" };
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false } }), { config }), []);
        assert.deepStrictEqual(await messages(activeMq(), { config }), []);
        const found = await messages(withChange(activeMq(), { encryptionOptions: undefined }), { config });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /minimumKeyManagement is aws-managed; set encryptionOptions.useAwsOwnedKey: false/);
    });

    it("with minimumKeyManagement aws-owned, passes a broker without encryptionOptions", async () => {
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { encryptionOptions: undefined }), { config: { minimumKeyManagement: "aws-owned" } }), []);
    });

    it("reads encryptionOptions given as a one-element list and useAwsOwnedKey given as a string", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: [{ useAwsOwnedKey: "false", kmsKeyId: CUSTOMER_KEY_ARN }] })), []);
        assert.strictEqual((await messages(withChange(activeMq(), { encryptionOptions: [{ useAwsOwnedKey: "TRUE" }] }))).length, 1);
    });

    it("reports nothing while encryptionOptions or kmsKeyId is unknown and could be compliant", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: unknown.object })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: [unknown.object] })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: unknown.string } })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: unknown.boolean, kmsKeyId: CUSTOMER_KEY_ARN } })), []);
    });

    it("flags an unknown useAwsOwnedKey without kmsKeyId, which is below customer-managed either way", async () => {
        const found = await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: unknown.boolean } }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /selects an aws-owned or an aws-managed key whatever its unknown values turn out to be/);
    });

    it("flags a kmsKeyId that matches none of allowedKmsKeyArns, naming the property and the patterns", async () => {
        const config = { allowedKmsKeyArns: ["arn:aws:kms:*:111122223333:key/*"] };
        assert.deepStrictEqual(await messages(activeMq(), { config }), []);
        const found = await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: OTHER_ACCOUNT_KEY } }), { config });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /encryptionOptions.kmsKeyId arn:aws:kms:us-east-1:444455556666:key\/\S+ does not match allowedKmsKeyArns \(arn:aws:kms:\*:111122223333:key\/\*\)/);
    });

    it("shows a huge kmsKeyId cut short, never the whole value (found by the property-based tests)", async () => {
        const config = { allowedKmsKeyArns: ["arn:aws:kms:*:111122223333:key/*"] };
        const found = await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: `alias/${"x".repeat(100_000)}` } }), { config });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /encryptionOptions.kmsKeyId alias\/x{74}… \(100006 characters\) does not match allowedKmsKeyArns/);
        assert.ok(found[0].length < 1000);
    });

    it("flags a bare key ID against allowedKmsKeyArns, asking for the full ARN", async () => {
        const config = { allowedKmsKeyArns: ["arn:aws:kms:*:111122223333:key/*"] };
        const found = await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" } }), { config });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /use the full ARN of an approved key/);
    });

    it("does not apply allowedKmsKeyArns to an unknown kmsKeyId or a broker without one", async () => {
        const config = { allowedKmsKeyArns: ["arn:aws:kms:*:111122223333:key/*"], minimumKeyManagement: "aws-managed" };
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: unknown.string } }), { config }), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: false } }), { config }), []);
    });

    it("reports the config error for an allowedKmsKeyArns entry that is not an ARN pattern", async () => {
        const found = await messages(activeMq(), { config: { allowedKmsKeyArns: ["*"] } });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /The policy config of mq-broker-kms-encryption is invalid: allowedKmsKeyArns\[0\] must be a KMS key ARN or ARN pattern starting with `arn:`/);
        assert.deepStrictEqual(policy.validateConfig({ allowedKmsKeyArns: ["arn:aws:kms:*"] }), []);
    });

    it("rejects a minimumKeyManagement outside the three key classes with a schema error", async () => {
        await assert.rejects(analyze(policy, activeMq(), { config: { minimumKeyManagement: "hsm" } }),
            /mq-broker-kms-encryption: minimumKeyManagement: minimumKeyManagement must be one of the following: "aws-owned", "aws-managed", "customer-managed"/);
    });

    it("never throws on wrong types and reads them as absent", async () => {
        const found = await messages(withChange(activeMq(), { encryptionOptions: "customer" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /AWS owned key/);
        const odd = await messages(withChange(activeMq(), { encryptionOptions: { useAwsOwnedKey: 0, kmsKeyId: { arn: CUSTOMER_KEY_ARN } } }));
        assert.strictEqual(odd.length, 1, odd.join("\n"));
        assert.doesNotMatch(odd[0], /could not evaluate/);
    });

    it("applies to both engines, whatever the case of engineType", async () => {
        const broker = withChange(rabbitMq(), { engineType: "rabbitmq", encryptionOptions: undefined });
        assert.strictEqual((await messages(broker)).length, 1);
    });
});
