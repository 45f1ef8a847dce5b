// The stack policies on aws-native (`@pulumi/aws-native`) brokers and dependencies: each judged by the same
// rule as its aws equivalent, in stacks of one provider or mixed, with unknowns (preview) and absent
// properties, and with messages that name the property the user edits in their own provider.
import * as assert from "assert";
import { mqStackBrokerConfiguration } from "../../policies/mq-stack-broker-configuration";
import { mqStackKmsKeyHygiene } from "../../policies/mq-stack-kms-key-hygiene";
import { mqStackMultiAzSubnets } from "../../policies/mq-stack-multi-az-subnets";
import { mqStackSecretBackedUsers } from "../../policies/mq-stack-secret-backed-users";
import { mqStackUniqueBrokerNames } from "../../policies/mq-stack-unique-broker-names";
import { passwords } from "../support/fixtures";
import { analyzeStack, testPassword, unknown } from "../support/runtime";
import {
    base64, brokerOf, configurationStack, inRegion, keyStack, nativeBroker, nativeKey, nativeSecret, nativeSubnet,
    Provider, resource, secretStack, subnetStack, TYPES,
} from "../support/stacks";

/** The policy's own message (the SDK puts the description on the first line). */
function own(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

const MIXES: ReadonlyArray<{ broker: Provider; dependency: Provider }> = [
    { broker: "aws-native", dependency: "aws-native" },
    { broker: "aws", dependency: "aws-native" },
    { broker: "aws-native", dependency: "aws" },
];

describe("aws-native: mq-stack-kms-key-hygiene", () => {
    const policy = mqStackKmsKeyHygiene;

    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, keyStack()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, keyStack({}, { engine: "RabbitMQ" })), []);
    });

    it("passes for compliant keys in every mix of providers, directly and through an alias", async () => {
        for (const { broker, dependency } of MIXES) {
            for (const alias of [false, true]) {
                assert.deepStrictEqual(await analyzeStack(policy, keyStack({}, { broker, key: dependency, alias })), [], `${broker} broker, ${dependency} key, alias ${alias}`);
            }
        }
    });

    it("passes an aws-native key whose enabled, keySpec, keyUsage and pendingWindowInDays are absent, because CloudFormation's defaults are compliant", async () => {
        const stack = keyStack({ enabled: undefined, keySpec: undefined, keyUsage: undefined, pendingWindowInDays: undefined });
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("flags an aws-native key whose enableKeyRotation is absent (the CloudFormation default is no rotation), on the key's URN", async () => {
        const stack = keyStack({ enableKeyRotation: undefined });
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[0].urn);
        assert.match(own(violations[0].message), /^enableKeyRotation is not set \(the default is false\); set enableKeyRotation: true/);
    });

    it("flags a disabled aws-native key naming enabled, never isEnabled", async () => {
        const violations = await analyzeStack(policy, keyStack({ enabled: false }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^enabled is false; .*set enabled: true or remove it/);
        assert.doesNotMatch(violations[0].message, /isEnabled/);
    });

    it("flags a short pendingWindowInDays naming it, never deletionWindowInDays", async () => {
        const violations = await analyzeStack(policy, keyStack({ pendingWindowInDays: 7 }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^pendingWindowInDays is 7; set it to at least 30 \(KMS accepts 7-30\)/);
        assert.doesNotMatch(violations[0].message, /deletionWindowInDays/);
    });

    it("flags an asymmetric aws-native key by keySpec alone, and its fix names keySpec, not customerMasterKeySpec", async () => {
        const violations = await analyzeStack(policy, keyStack({ keySpec: "RSA_2048", enableKeyRotation: false }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^keySpec is RSA_2048; Amazon MQ encrypts only with symmetric encryption keys: use a key with keyUsage ENCRYPT_DECRYPT and keySpec SYMMETRIC_DEFAULT/);
        assert.doesNotMatch(violations[0].message, /customerMasterKeySpec|deletionWindowInDays|isEnabled/);
    });

    it("flags an aws-native signing key by keyUsage", async () => {
        const violations = await analyzeStack(policy, keyStack({ keyUsage: "SIGN_VERIFY" }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^keyUsage is SIGN_VERIFY; .*keySpec SYMMETRIC_DEFAULT/);
    });

    it("lists every independent fix for one aws-native key under its own property names", async () => {
        const violations = await analyzeStack(policy, keyStack({ enabled: false, enableKeyRotation: false, pendingWindowInDays: 10 }));
        assert.deepStrictEqual(violations.map(v => own(v.message).match(/^\w+/)?.[0]), ["enabled", "enableKeyRotation", "pendingWindowInDays"]);
    });

    it("judges an aws-native key reached through an aws-native alias (targetKeyId), and names the broker of either provider", async () => {
        for (const broker of ["aws", "aws-native"] as const) {
            const stack = keyStack({ pendingWindowInDays: 7 }, { broker, alias: true });
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1, broker);
            assert.strictEqual(violations[0].urn, stack[0].urn);
            assert.match(own(violations[0].message), /^pendingWindowInDays is 7;.*\(The key encrypts broker orders-broker\.\)$/s);
        }
    });

    it("keeps the aws names for an aws key that encrypts an aws-native broker", async () => {
        const violations = await analyzeStack(policy, keyStack({ deletionWindowInDays: 7, isEnabled: false }, { key: "aws" }));
        assert.deepStrictEqual(violations.map(v => own(v.message).match(/^\w+/)?.[0]), ["isEnabled", "deletionWindowInDays"]);
        assert.match(own(violations[1].message), /^deletionWindowInDays is 7; set it to at least 30/);
    });

    it("reports one finding per key when an aws and an aws-native broker share an aws-native key, naming both", async () => {
        const key = nativeKey("shared-key", { enableKeyRotation: false });
        const stack = [key, brokerOf("aws", "a-broker", {}, { encryptionOptions: [key] }), brokerOf("aws-native", "b-broker", {}, { encryptionOptions: [key] }, "RabbitMQ")];
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /encrypts broker a-broker, b-broker/);
    });

    it("reports nothing for unknown aws-native key outputs during preview, but still judges the known ones", async () => {
        const allUnknown = keyStack({
            enabled: unknown.boolean, enableKeyRotation: unknown.boolean, keySpec: unknown.string, keyUsage: unknown.string,
            pendingWindowInDays: unknown.number, arn: unknown.string, keyId: unknown.string,
        }, { alias: true });
        assert.deepStrictEqual(await analyzeStack(policy, allUnknown), []);
        const violations = await analyzeStack(policy, keyStack({ enableKeyRotation: unknown.boolean, pendingWindowInDays: 8 }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^pendingWindowInDays is 8/);
    });

    it("does not judge an aws-native key that feeds another input of the broker, or none", async () => {
        const key = nativeKey("other-key", { enableKeyRotation: false });
        assert.deepStrictEqual(await analyzeStack(policy, [key, nativeBroker("orders-broker", {}, { tags: [key] })]), []);
        assert.deepStrictEqual(await analyzeStack(policy, [key, nativeBroker("orders-broker")]), []);
    });
});

describe("aws-native: mq-stack-multi-az-subnets", () => {
    const policy = mqStackMultiAzSubnets;

    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, subnetStack(["us-east-1a", "us-east-1b"])), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, subnetStack(["us-east-1a", "us-east-1b", "us-east-1c"], { engine: "RabbitMQ" })), []);
    });

    it("flags two aws-native subnets in one zone in every mix of providers, on the broker's URN", async () => {
        for (const { broker, dependency } of MIXES) {
            const stack = subnetStack(["us-east-1a", "us-east-1a"], { broker, subnets: dependency });
            const violations = await analyzeStack(policy, stack);
            assert.strictEqual(violations.length, 1, `${broker} broker, ${dependency} subnets`);
            assert.strictEqual(violations[0].urn, stack[2].urn);
            assert.match(own(violations[0].message), /^subnets mq-0 and mq-1 both lie in availability zone us-east-1a; an active\/standby broker/);
        }
    });

    it("compares aws-native zone IDs when zone names are absent", async () => {
        const violations = await analyzeStack(policy, subnetStack(["use1-az1", "use1-az1"], { zoneProperty: "availabilityZoneId", engine: "RabbitMQ" }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^subnets mq-0 and mq-1 both lie in zone ID use1-az1; a cluster broker \(CLUSTER_MULTI_AZ\)/);
        assert.deepStrictEqual(await analyzeStack(policy, subnetStack(["use1-az1", "use1-az2"], { zoneProperty: "availabilityZoneId" })), []);
    });

    it("flags an aws-native active/standby broker whose whole subnetIds is one aws-native subnet", async () => {
        const subnet = nativeSubnet("mq-0", "us-east-1a");
        const violations = await analyzeStack(policy, [subnet, nativeBroker("orders-broker", { subnetIds: ["subnet-mq-0"] }, { subnetIds: [subnet] })]);
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^subnetIds has only subnet mq-0, in us-east-1a/);
    });

    it("reports nothing for aws-native subnets whose zones are unknown (preview) or absent, or a single-instance aws-native broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, subnetStack([unknown.string, unknown.string])), []);
        assert.deepStrictEqual(await analyzeStack(policy, subnetStack([undefined, undefined])), []);
        assert.deepStrictEqual(await analyzeStack(policy, subnetStack(["us-east-1a", unknown.string])), []);
        const single = subnetStack(["us-east-1a", "us-east-1a"]);
        single[2] = nativeBroker("orders-broker", { deploymentMode: "SINGLE_INSTANCE" }, { subnetIds: single.slice(0, 2) });
        assert.deepStrictEqual(await analyzeStack(policy, single), []);
    });

    it("does not judge an aws-native broker whose deploymentMode is absent (SINGLE_INSTANCE), whatever its subnets", async () => {
        const stack = subnetStack(["us-east-1a", "us-east-1a"]);
        stack[2] = nativeBroker("orders-broker", { deploymentMode: undefined }, { subnetIds: stack.slice(0, 2) });
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });
});

describe("aws-native: mq-stack-unique-broker-names", () => {
    const policy = mqStackUniqueBrokerNames;

    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [nativeBroker("orders"), nativeBroker("billing")]), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, [nativeBroker("orders", {}, {}, "RabbitMQ"), brokerOf("aws", "billing")]), []);
    });

    it("flags an aws and an aws-native broker sharing a brokerName in the same region, each on its own URN", async () => {
        const aws = inRegion(brokerOf("aws", "orders-a", { brokerName: "orders" }), "us-east-1");
        const native = inRegion(nativeBroker("orders-b", { brokerName: "orders" }), "us-east-1");
        const violations = await analyzeStack(policy, [aws, native]);
        assert.deepStrictEqual(violations.map(v => v.urn), [aws.urn, native.urn]);
        assert.match(own(violations[0].message), /^brokerName "orders" is also used by broker orders-b in this stack/);
        assert.match(own(violations[1].message), /^brokerName "orders" is also used by broker orders-a in this stack/);
    });

    it("reads the region of a pulumi:providers:aws-native provider: different regions pass, the same region (any case) or an unknown one clashes", async () => {
        const aws = inRegion(brokerOf("aws", "orders-a", { brokerName: "orders" }), "us-east-1");
        const elsewhere = inRegion(nativeBroker("orders-b", { brokerName: "orders" }), "eu-west-1");
        assert.strictEqual(elsewhere.provider?.type, "pulumi:providers:aws-native");
        assert.deepStrictEqual(await analyzeStack(policy, [aws, elsewhere]), []);
        const sameRegion = inRegion(nativeBroker("orders-b", { brokerName: "orders" }), "US-EAST-1");
        assert.strictEqual((await analyzeStack(policy, [aws, sameRegion])).length, 2);
        const unknownRegion = inRegion(nativeBroker("orders-b", { brokerName: "orders" }), unknown.string);
        assert.strictEqual((await analyzeStack(policy, [aws, unknownRegion])).length, 2);
        // The default aws-native provider (no region input: aws-native:region config) may be any region.
        assert.strictEqual((await analyzeStack(policy, [aws, nativeBroker("orders-b", { brokerName: "orders" })])).length, 2);
    });

    it("does not compare aws-native brokers without a brokerName (auto-named, unique) or whose name is unknown during preview", async () => {
        const stack = [
            nativeBroker("orders-a", { brokerName: undefined }),
            nativeBroker("orders-b", { brokerName: undefined }),
            nativeBroker("orders-c", { brokerName: unknown.string }),
            brokerOf("aws", "orders-d", { brokerName: unknown.string }),
        ];
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });
});

describe("aws-native: mq-stack-secret-backed-users", () => {
    const policy = mqStackSecretBackedUsers;
    const LDAP_PASSWORD = testPassword("Wq4zRt8yUi2oPa6sDf3g");

    function assertNoPassword(message: string): void {
        for (const password of [...Object.values(passwords), LDAP_PASSWORD]) {
            assert.ok(!message.includes(password), "a message must never show a password");
        }
    }

    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, secretStack()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, secretStack({}, { engine: "RabbitMQ" })), []);
    });

    it("counts an aws-native secret with generateSecretString or secretString as a source, for brokers of either provider", async () => {
        for (const broker of ["aws", "aws-native"] as const) {
            assert.deepStrictEqual(await analyzeStack(policy, secretStack({}, { broker })), [], `${broker} broker, generated`);
            const stored = secretStack({ generateSecretString: undefined, secretString: unknown.string }, { broker });
            assert.deepStrictEqual(await analyzeStack(policy, stored), [], `${broker} broker, secretString`);
        }
    });

    it("counts a secret source of either provider one hop behind an aws-native secret (RandomPassword into secretString)", async () => {
        const pw = resource(TYPES.randomPassword, "orders-pw", { length: 32, special: false, result: unknown.string });
        const secret = nativeSecret("orders-app-password", { generateSecretString: undefined, secretString: unknown.string }, { secretString: [pw] });
        assert.deepStrictEqual(await analyzeStack(policy, [pw, secret, nativeBroker("orders-broker", {}, { users: [secret] })]), []);
    });

    it("passes during preview, when the aws-native secret's value and the passwords are unknown", async () => {
        const stack = secretStack({ generateSecretString: unknown.object, secretString: unknown.string },
            { brokerChange: { users: [{ username: "orders-app", password: unknown.string }] } });
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
    });

    it("flags a literal password typed into an aws-native broker, on its URN, naming the aws-native secret among the sources and showing aws-native code", async () => {
        const stack = secretStack(null);
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[0].urn);
        const message = own(violations[0].message);
        assert.match(message, /^users: the password of users\[0\] \(orders-admin\), users\[1\] \(orders-app\) is hard-coded or unmanaged; no secret source/);
        assert.match(message, /accepted: .*aws:ssm\/parameter:Parameter, aws-native:secretsmanager:Secret; an SSM parameter only as type SecureString, an aws-native secret only with generateSecretString or secretString\)/);
        assert.match(message, /new awsNative\.secretsmanager\.Secret\("orders-app-password", \{ secretString: pw\.result \}\)/);
        assert.match(message, /users: \[\{ username: "orders-app", password: pw\.result \}\]/);
        assert.doesNotMatch(message, /aws\.secretsmanager\.SecretVersion/);
        assertNoPassword(violations[0].message);
        assert.ok(violations[0].message.length < 1200);
    });

    it("still flags a literal password when an aws-native secret is in the stack but feeds another input of the broker", async () => {
        const violations = await analyzeStack(policy, secretStack({}, { feeds: "tags" }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^users: the password of .* is hard-coded or unmanaged/);
        assertNoPassword(violations[0].message);
    });

    it("flags an empty aws-native secret (neither generateSecretString nor secretString): a literal beside it is hard-coded, an unseen password names why", async () => {
        const empty = { generateSecretString: undefined, secretString: undefined };
        for (const broker of ["aws", "aws-native"] as const) {
            const literal = await analyzeStack(policy, secretStack(empty, { broker }));
            assert.strictEqual(literal.length, 1, broker);
            assert.match(own(literal[0].message), /^users: the password of .* is hard-coded or unmanaged/);
            assertNoPassword(literal[0].message);
        }
        const unseen = await analyzeStack(policy, secretStack({ ...empty, secretString: "" },
            { brokerChange: { users: [{ username: "orders-app", password: unknown.string }] } }));
        assert.strictEqual(unseen.length, 1);
        assert.match(own(unseen[0].message), /^users: the password of users\[0\] \(orders-app\) comes from orders-app-password \(aws-native:secretsmanager:Secret, empty\), which is not a secret source; .*an aws-native secret only with generateSecretString or secretString\)/);
    });

    it("flags a literal LDAP service account password on an aws-native broker and accepts one fed by an aws-native secret", async () => {
        const ldap = { hosts: ["ldap.example.com"], serviceAccountUsername: "svc-mq", serviceAccountPassword: LDAP_PASSWORD };
        const fed = secretStack({}, { brokerChange: { ldapServerMetadata: ldap }, feeds: "users" });
        const violations = await analyzeStack(policy, fed);
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^ldapServerMetadata: the password of ldapServerMetadata\.serviceAccountPassword is hard-coded or unmanaged/);
        assert.match(own(violations[0].message), /ldapServerMetadata: \{ serviceAccountPassword: pw\.result \}/);
        assertNoPassword(violations[0].message);
        const secret = nativeSecret("ldap-password");
        const both = secretStack({}, { brokerChange: { ldapServerMetadata: ldap } });
        both[1] = nativeBroker("orders-broker", { ldapServerMetadata: ldap }, { users: [both[0]], ldapServerMetadata: [secret] });
        assert.deepStrictEqual(await analyzeStack(policy, [secret, ...both]), []);
    });

    it("keeps the aws message for an aws broker fed by nothing, and names the aws-native secret to an aws broker fed by an empty one", async () => {
        const violations = await analyzeStack(policy, secretStack(null, { broker: "aws" }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /\(accepted: random:index\/randomPassword:RandomPassword, aws:secretsmanager\/secretVersion:SecretVersion, aws:ssm\/parameter:Parameter; an SSM parameter only as type SecureString\)\. Generate/);
        assert.match(own(violations[0].message), /aws\.secretsmanager\.SecretVersion\("orders-app-password"/);
        assert.doesNotMatch(violations[0].message, /aws-native/);
        const mixed = await analyzeStack(policy, secretStack({ generateSecretString: undefined }, { broker: "aws" }));
        assert.strictEqual(mixed.length, 1);
        assert.match(own(mixed[0].message), /aws-native:secretsmanager:Secret; an SSM parameter only as type SecureString, an aws-native secret only with generateSecretString or secretString\)\. Generate the password and keep it in Secrets Manager, then/);
    });

    it("reports nothing for an aws-native broker whose users are absent, or whose users list is unknown", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, secretStack(null, { brokerChange: { users: undefined } })), []);
        assert.deepStrictEqual(await analyzeStack(policy, secretStack(null, { brokerChange: { users: unknown.array } })), []);
    });

    it("treats an aws-native secret holding a literal secretString as an aws SecretVersion holding one: a source, by the same rule", async () => {
        const literal = testPassword("Typed-In-Secret-4r");
        const stack = secretStack({ generateSecretString: undefined, secretString: literal },
            { brokerChange: { users: [{ username: "orders-app", password: literal }] } });
        const version = resource(TYPES.secretVersion, "orders-app-password", { secretString: literal });
        const awsStack = [version, nativeBroker("orders-broker", { users: [{ username: "orders-app", password: literal }] }, { users: [version] })];
        assert.deepStrictEqual(await analyzeStack(policy, stack), []);
        assert.deepStrictEqual(await analyzeStack(policy, awsStack), []);
    });

    it("keeps an aws-native broker's message under 1,000 characters with hostile usernames and feeder names", async () => {
        const long = "x".repeat(5_000);
        const feeders = [0, 1, 2, 3].map(i => nativeSecret(`${long}${i}`, { generateSecretString: undefined }));
        const users = [0, 1, 2, 3].map(i => ({ username: `${long}${i}`, password: i % 2 === 0 ? unknown.string : testPassword(`Hostile-Pw-${i}-9q`) }));
        const ldap = { hosts: [long], serviceAccountUsername: long, serviceAccountPassword: unknown.string };
        const b = nativeBroker("b".repeat(5_000), { users, ldapServerMetadata: ldap }, { users: feeders, ldapServerMetadata: feeders });
        const violations = await analyzeStack(policy, [...feeders, b]);
        assert.strictEqual(violations.length, 2);
        for (const v of violations) {
            assert.ok(own(v.message).length <= 1000, `${own(v.message).length}: ${own(v.message).slice(0, 300)}`);
        }
    });
});

describe("aws-native: mq-stack-broker-configuration", () => {
    const policy = mqStackBrokerConfiguration;
    const CREDENTIALED_XML = (password: string) => '<broker xmlns="http://activemq.apache.org/schema/core"><networkConnectors>' +
        `<networkConnector name="bridge" uri="static:(ssl://bridge:${password}@b-1.example.com:61617)"/></networkConnectors></broker>`;

    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack({}, { engine: "RabbitMQ", brokerChange: { authenticationStrategy: undefined } })), []);
    });

    it("passes matching configurations in every mix of providers, fed or found by id", async () => {
        for (const { broker, dependency } of MIXES) {
            for (const fed of [true, false]) {
                assert.deepStrictEqual(await analyzeStack(policy, configurationStack({}, { broker, configuration: dependency, fed })), [], `${broker} broker, ${dependency} configuration, fed ${fed}`);
            }
        }
    });

    it("flags an engine mismatch with an aws-native configuration in every mix of providers, on the broker's URN, found through the dependency or by awsId", async () => {
        for (const { broker, dependency } of MIXES) {
            for (const fed of [true, false]) {
                const stack = configurationStack({ engineType: dependency === "aws" ? "RabbitMQ" : "RABBITMQ" }, { broker, configuration: dependency, fed });
                const violations = await analyzeStack(policy, stack);
                // The mismatch first; the ActiveMQ XML data then also reads as invalid RabbitMQ settings.
                assert.strictEqual(violations.length, 2, `${broker} broker, ${dependency} configuration, fed ${fed}`);
                assert.deepStrictEqual(violations.map(v => v.urn), [stack[1].urn, stack[1].urn]);
                assert.match(own(violations[0].message), /^configuration orders-config is for RabbitMQ but this broker's engineType is ActiveMQ; .*use one of engineType ActiveMQ\.$/);
                assert.match(own(violations[1].message), /^configuration orders-config, used by this broker: data has lines that are not RabbitMQ/);
            }
        }
    });

    it("flags an engine version line and an authenticationStrategy mismatch of an aws-native configuration, absent strategy meaning simple", async () => {
        const version = await analyzeStack(policy, configurationStack({ engineVersion: "5.17" }));
        assert.strictEqual(version.length, 1);
        assert.match(own(version[0].message), /^configuration orders-config is for engine version 5\.17 but this broker runs 5\.18/);
        const strategy = await analyzeStack(policy, configurationStack({ authenticationStrategy: "LDAP" }));
        assert.strictEqual(strategy.length, 1);
        assert.match(own(strategy[0].message), /^configuration orders-config has authenticationStrategy ldap but this broker has simple/);
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack({ authenticationStrategy: undefined })), []);
    });

    it("reports on the aws-native broker the credentials embedded in its aws-native configuration's base64 data, never the secret", async () => {
        const secret = testPassword("Native-Embedded-Pw7");
        const stack = configurationStack({ data: base64(CREDENTIALED_XML(secret)) });
        const violations = await analyzeStack(policy, stack);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, stack[1].urn);
        assert.match(own(violations[0].message), /^configuration orders-config, used by this broker: data embeds credentials at line 1, attribute uri of <networkConnector>/);
        assert.ok(!violations[0].message.includes(secret) && !violations[0].message.includes(base64(secret)));
    });

    it("reports each broker of either provider that uses one aws-native configuration with invalid data", async () => {
        const [config, nativeUser] = configurationStack({ data: base64("<broker><jaasAuthenticationPlugin/></broker>") });
        const awsUser = brokerOf("aws", "billing-broker", { configuration: { id: config.props.awsId, revision: 1 } });
        const violations = await analyzeStack(policy, [config, nativeUser, awsUser]);
        assert.deepStrictEqual(violations.map(v => v.urn), [nativeUser.urn, awsUser.urn]);
        for (const v of violations) {
            assert.match(own(v.message), /^configuration orders-config, used by this broker: data uses elements Amazon MQ does not permit: <jaasAuthenticationPlugin>/);
        }
    });

    it("reports nothing while an aws-native configuration's outputs or the broker's reference are unknown (preview), but judges known content", async () => {
        const previewed = { engineType: unknown.string, engineVersion: unknown.string, authenticationStrategy: unknown.string, data: unknown.string, awsId: unknown.string, revision: unknown.string };
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack(previewed, { brokerChange: { configuration: { id: unknown.string, revision: unknown.number } } })), []);
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack({}, { brokerChange: { configuration: unknown.object } })), []);
        const secret = testPassword("Native-Preview-Pw5");
        const known = await analyzeStack(policy, configurationStack({ awsId: unknown.string, data: base64(CREDENTIALED_XML(secret)) },
            { brokerChange: { configuration: { id: unknown.string, revision: unknown.number } } }));
        assert.strictEqual(known.length, 1);
        assert.match(own(known[0].message), /used by this broker: data embeds credentials/);
    });

    it("judges the match but not the content of an aws-native configuration whose data is absent", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack({ data: undefined })), []);
        const violations = await analyzeStack(policy, configurationStack({ data: undefined, engineVersion: "5.17" }));
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^configuration orders-config is for engine version 5\.17/);
    });

    it("reports nothing for an aws-native broker without configuration, or whose configuration is outside the stack", async () => {
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack({ engineType: "RABBITMQ" }, { brokerChange: { configuration: undefined }, fed: false })), []);
        assert.deepStrictEqual(await analyzeStack(policy, configurationStack({ engineType: "RABBITMQ" }, { brokerChange: { configuration: { id: "c-elsewhere", revision: 1 } }, fed: false })), []);
    });
});
