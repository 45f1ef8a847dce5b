import * as assert from "assert";
import { assertLinearGrowth } from "../support/growth";
import { patternProblem } from "../../policies/lib/user-pattern";
import { findSensitiveData, looksGenerated, luhnValid } from "../../policies/lib/sensitive-data";
import { mqBrokerSafeNaming as policy } from "../../policies/mq-broker-safe-naming";
import { BrokerChange, BrokerInputs, compliantActiveMq, compliantRabbitMq, passwords, withChange } from "../support/fixtures";
import { nativeBroker, NativeBrokerInputs, onNativeBroker } from "../support/native";
import { analyze, CallOptions, secret, testPassword, unknown } from "../support/runtime";

/** The policy's own lines (without the description the SDK prepends). */
async function findings(broker: BrokerInputs | Record<string, unknown>, options: CallOptions = {}): Promise<string[]> {
    return (await analyze(policy, broker, options)).map(v => v.message.slice(v.message.indexOf("\n") + 1));
}

const active = (change: BrokerChange) => withChange(compliantActiveMq(), change);
const rabbit = (change: BrokerChange) => withChange(compliantRabbitMq(), change);

describe("mq-broker-safe-naming", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq()), []);
    });

    describe("personal and sensitive data", () => {
        it("flags an email address in brokerName as mandatory without printing it", async () => {
            const violations = await analyze(policy, active({ brokerName: "orders-jane.doe@example.com" }));
            const sensitive = violations.filter(v => /looks like an email address/.test(v.message));
            assert.strictEqual(sensitive.length, 1);
            assert.strictEqual(sensitive[0].enforcementLevel, "mandatory");
            assert.match(sensitive[0].message, /brokerName contains what looks like an email address; choose a name without personal or sensitive data/);
            assert.match(sensitive[0].message, /a new brokerName replaces the broker/);
            assert.ok(violations.every(v => !v.message.includes("jane") && !v.message.includes("example.com")));
        });

        it("flags a phone number in brokerName", async () => {
            const [message] = await findings(active({ brokerName: "orders-212-555-0142" }));
            assert.match(message, /^brokerName contains what looks like a phone number;/);
            assert.ok(!message.includes("555"));
        });

        it("flags an international phone number in a tag value", async () => {
            const [message] = await findings(active({ tags: { team: "payments", oncall: "+44 20 7946 0958" } }));
            assert.match(message, /^the value of tag "oncall" contains what looks like a phone number;/);
            assert.ok(!message.includes("7946"));
        });

        it("flags a Luhn-valid payment card number in brokerName, with or without separators", async () => {
            const [plain] = await findings(active({ brokerName: "orders-4111111111111111" }));
            assert.match(plain, /^brokerName contains what looks like a payment card number;/);
            assert.ok(!plain.includes("4111"));
            const [spaced] = await findings(active({ tags: { card: "4111 1111 1111 1111" } }));
            assert.match(spaced, /^the value of tag "card" contains what looks like a payment card number;/);
        });

        it("passes a 16-digit number that fails the Luhn check", async () => {
            assert.deepStrictEqual(await findings(active({ brokerName: "orders-4111111111111112" })), []);
        });

        it("flags a US Social Security number in brokerName", async () => {
            const [message] = await findings(active({ brokerName: "orders-123-45-6789" }));
            assert.match(message, /^brokerName contains what looks like a national ID number \(US Social Security number\);/);
            assert.ok(!message.includes("6789"));
        });

        it("flags a UK National Insurance number in a username", async () => {
            const [message] = await findings(active({ users: [{ username: "AB123456C", password: passwords.activeApp }] }));
            assert.match(message, /^users\[0\]\.username contains what looks like a national ID number \(UK National Insurance number\);/);
            assert.match(message, /use a username without personal or sensitive data/);
            assert.ok(!message.includes("AB123456C"));
        });

        it("flags a Canadian SIN and a Spanish DNI in tag values", async () => {
            const messages = await findings(active({ tags: { owner: "130-692-544", holder: "12345678Z" } }));
            assert.strictEqual(messages.length, 2);
            assert.ok(messages.some(m => /tag "owner" contains what looks like a national ID number \(Canadian Social Insurance number\)/.test(m)));
            assert.ok(messages.some(m => /tag "holder" contains what looks like a national ID number \(Spanish DNI\/NIE number\)/.test(m)));
            assert.ok(messages.every(m => !m.includes("692") && !m.includes("12345678")));
        });

        it("flags an AWS access key ID in a tag value", async () => {
            const [message] = await findings(active({ tags: { deployer: "AKIAIOSFODNN7EXAMPLE" } }));
            assert.match(message, /^the value of tag "deployer" contains what looks like an AWS access key ID; remove it from the tag/);
            assert.ok(!message.includes("AKIA"));
        });

        it("flags credentials in an LDAP host URL without printing the password", async () => {
            const password = testPassword("Lq7zVx2mWc9pRt4n");
            const broker = active({
                authenticationStrategy: "LDAP",
                ldapServerMetadata: { hosts: ["ldap.example.com", `ldaps://svc:${password}@ldap2.example.com`] },
            });
            const messages = await findings(broker);
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /^ldapServerMetadata\.hosts\[1\] contains what looks like credentials in a URL \(user:password@host\); list the LDAP server by host name only/);
            assert.ok(!messages[0].includes(password) && !messages[0].includes("svc"));
        });

        it("reads ldapServerMetadata given as a one-element list", async () => {
            const broker = active({ ldapServerMetadata: [{ hosts: ["admin:Secret-value@ldap.example.com"] }] });
            assert.match((await findings(broker))[0], /hosts\[0\] contains what looks like credentials in a URL/);
        });

        it("passes names and tag keys that only talk about secrets (data, not words: renaming a broker replaces it)", async () => {
            assert.deepStrictEqual(await findings(active({
                brokerName: "auth-token-events",
                users: [
                    { username: "credentials-rotation", password: passwords.activeAdmin },
                    { username: "access-key-audit", password: passwords.activeApp },
                ],
                tags: { PasswordRotationDays: "30", SecretsManagerArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-AbC123", team: "payments" },
            })), []);
            assert.deepStrictEqual(await findings(rabbit({ brokerName: "orders-password-broker", tags: { db_api_key: "yes", "api-token": "rotated" } })), []);
        });

        it("flags a value that looks like a generated secret in brokerName, a username and a tag, without quoting it", async () => {
            const token = testPassword("Vq7tRw2pLx9mZk4sNb6cWd3e");
            const messages = await findings(active({
                brokerName: `orders-${token}`,
                users: [{ username: `svc.${token}`, password: passwords.activeAdmin }, { username: "orders-app", password: passwords.activeApp }],
                tags: { team: "payments", deployKey: token },
            }));
            assert.deepStrictEqual(messages.map(m => m.split(";")[0]), [
                "brokerName contains what looks like a generated secret (a random, high-entropy value)",
                "users[0].username contains what looks like a generated secret (a random, high-entropy value)",
                "the value of tag \"deployKey\" contains what looks like a generated secret (a random, high-entropy value)",
            ]);
            assert.ok(messages.every(m => !m.includes(token.slice(0, 8))));
        });

        it("passes camelCase names with numbers, hex digests, UUIDs and resource IDs, which are not generated secrets", async () => {
            assert.deepStrictEqual(await findings(active({
                brokerName: "K8sClusterA1Prod2Eu3West1",
                tags: {
                    build: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    request: "1234abcd-12ab-34cd-56ef-1234567890ab",
                    instance: "i-0abc123def4567890",
                    app: "MyApp2Prod3Queue2024Main",
                    service: "OrdersBroker2024Production",
                },
            })), []);
        });

        it("flags a secret written into a tag value without printing it", async () => {
            const password = testPassword("Hb5kRw8tNz3qXm6y");
            const [message] = await findings(active({ tags: { note: `password=${password}` } }));
            assert.match(message, /^the value of tag "note" contains what looks like a secret written as name=value/);
            assert.ok(!message.includes(password));
        });

        it("passes ordinary words and values: secretary, tokenizer, a classification tag, account IDs, ARNs, dates", async () => {
            assert.deepStrictEqual(await findings(active({
                brokerName: "secretary-tokenizer",
                tags: {
                    classification: "secret",
                    account: "111122223333",
                    key: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    created: "2025-06-16T10:30:00Z",
                    version: "3.13.7",
                },
            })), []);
        });

        it("names a tag whose key is itself sensitive by its position only", async () => {
            const messages = await findings(active({ tags: { "jane.doe@example.com": "owner@example.com" } }));
            assert.strictEqual(messages.length, 2);
            assert.match(messages[0], /^the key of tag #1 contains what looks like an email address/);
            assert.match(messages[1], /^the value of tag #1 contains what looks like an email address/);
            assert.ok(messages.every(m => !m.includes("jane") && !m.includes("owner@")));
        });

        it("lists several kinds in one finding for one property", async () => {
            const [message] = await findings(active({ tags: { who: "jane@example.com +1 212 555 0142" } }));
            assert.match(message, /contains what looks like an email address and what looks like a phone number;/);
        });
    });

    describe("AWS naming rules", () => {
        it("flags a brokerName over 50 characters", async () => {
            const [message] = await findings(active({ brokerName: "o".repeat(51) }));
            assert.match(message, /^brokerName is 51 characters long; AWS accepts at most 50: shorten it; a new brokerName replaces the broker$/);
        });

        it("passes a brokerName of exactly 50 characters", async () => {
            assert.deepStrictEqual(await findings(active({ brokerName: "o".repeat(50) })), []);
        });

        it("flags characters AWS rejects in brokerName, quoting only the characters", async () => {
            const [message] = await findings(active({ brokerName: "orders.broker prod" }));
            assert.match(message, /^brokerName contains characters AWS rejects in broker names \("\.", " "\); use only letters, digits, - and _/);
        });

        it("flags an empty brokerName", async () => {
            assert.match((await findings(active({ brokerName: "" })))[0], /^brokerName is empty; set it to 1-50 letters, digits, - and _$/);
        });

        it("flags a username shorter than 2 or longer than 100 characters", async () => {
            const messages = await findings(active({
                users: [{ username: "a", password: passwords.activeAdmin }, { username: "u".repeat(101), password: passwords.activeApp }],
            }));
            assert.deepStrictEqual(messages, [
                "users[0].username is 1 characters long; AWS accepts 2-100",
                "users[1].username is 101 characters long; AWS accepts 2-100",
            ]);
        });

        it("flags characters Amazon MQ rejects in a username", async () => {
            const [message] = await findings(active({ users: [{ username: "orders app/1", password: passwords.activeApp }] }));
            assert.match(message, /^users\[0\]\.username contains characters Amazon MQ for ActiveMQ rejects \(" ", "\/"\); use only letters, digits, - \. _ and ~$/);
        });

        it("accepts ~ in an ActiveMQ username but flags it on RabbitMQ, whatever the case of engineType", async () => {
            const user = [{ username: "orders~app", password: passwords.rabbitApp }];
            assert.deepStrictEqual(await findings(active({ users: user })), []);
            const [message] = await findings(rabbit({ users: user, engineType: "RABBITMQ" }));
            assert.match(message, /^users\[0\]\.username contains characters Amazon MQ for RabbitMQ rejects \("~"\); use only letters, digits, - \. and _$/);
        });

        it("does not flag ~ while engineType is unknown, nor for an unrecognized engine", async () => {
            const user = [{ username: "orders~app", password: passwords.rabbitApp }];
            assert.deepStrictEqual(await findings(rabbit({ users: user, engineType: unknown.string })), []);
            assert.deepStrictEqual(await findings(rabbit({ users: user, engineType: "Kafka" })), []);
        });
    });

    describe("brokerName absent: the provider names the broker after the resource", () => {
        it("passes a short, clean resource name", async () => {
            assert.deepStrictEqual(await findings(active({ brokerName: undefined }), { name: "orders-broker" }), []);
        });

        it("flags a resource name that leaves no room for the provider's random suffix", async () => {
            const [message] = await findings(active({ brokerName: undefined }), { name: "n".repeat(43) });
            assert.match(message, /^brokerName is not set, and the resource name is 43 characters long: the provider names the broker <resource name>-<7 random characters>, and AWS accepts at most 50; shorten the resource name to 42 characters or set brokerName$/);
            assert.deepStrictEqual(await findings(active({ brokerName: undefined }), { name: "n".repeat(42) }), []);
        });

        it("flags personal data and rejected characters in the resource name", async () => {
            const messages = await findings(active({ brokerName: undefined }), { name: "jane.doe@example.com" });
            assert.strictEqual(messages.length, 2);
            assert.match(messages[0], /^brokerName is not set, and the resource name it is generated from contains characters AWS rejects in broker names \("\.", "@"\)/);
            assert.match(messages[1], /^brokerName is not set, and the resource name it is generated from contains what looks like an email address; set brokerName, or rename the resource/);
        });
    });

    describe("unknown values, absent and wrong types", () => {
        it("reports nothing for an unknown brokerName, and still judges the usernames", async () => {
            const messages = await findings(active({
                brokerName: unknown.string,
                users: [{ username: "jane.doe", password: passwords.activeAdmin }, { username: "ops@example.com", password: passwords.activeApp }],
            }));
            assert.deepStrictEqual(messages.map(m => m.split(";")[0]), [
                "users[1].username contains characters Amazon MQ for ActiveMQ rejects (\"@\")",
                "users[1].username contains what looks like an email address",
            ]);
        });

        it("reports nothing for unknown users, usernames, tags, tag values or hosts", async () => {
            assert.deepStrictEqual(await findings(active({ users: unknown.array })), []);
            assert.deepStrictEqual(await findings(active({ users: [unknown.object, { username: unknown.string, password: passwords.activeApp }] })), []);
            assert.deepStrictEqual(await findings(active({ tags: unknown.object })), []);
            assert.deepStrictEqual(await findings(active({ tags: { team: unknown.string } })), []);
            assert.deepStrictEqual(await findings(active({ ldapServerMetadata: unknown.object })), []);
            assert.deepStrictEqual(await findings(active({ ldapServerMetadata: { hosts: unknown.array } })), []);
            assert.deepStrictEqual(await findings(active({ ldapServerMetadata: { hosts: [unknown.string] } })), []);
        });

        it("one unknown tag value does not hide another tag's finding", async () => {
            const messages = await findings(active({ tags: { team: unknown.string, owner: "jane@example.com" } }));
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /tag "owner"/);
        });

        it("passes absent users, tags, ldapServerMetadata, LDAP hosts and usernames", async () => {
            assert.deepStrictEqual(await findings(active({ users: undefined, tags: undefined, ldapServerMetadata: undefined })), []);
            assert.deepStrictEqual(await findings(active({ ldapServerMetadata: { userBase: "ou=Users,dc=example,dc=com" } })), []);
            assert.deepStrictEqual(await findings(active({ users: [{ password: passwords.activeApp }] })), []);
        });

        it("applies ActiveMQ's username characters when engineType is absent", async () => {
            const user = [{ username: "orders~app", password: passwords.rabbitApp }];
            assert.deepStrictEqual(await findings(rabbit({ users: user, engineType: undefined })), []);
            const [message] = await findings(rabbit({ users: [{ username: "orders app", password: passwords.rabbitApp }], engineType: undefined }));
            assert.match(message, /^users\[0\]\.username contains characters AWS rejects \(" "\)/);
        });

        it("flags a brokerName of the wrong type, and reads numbers as their text", async () => {
            assert.match((await findings(active({ brokerName: { name: "x" } })))[0], /^brokerName is not a string/);
            assert.match((await findings(active({ tags: { card: 4111111111111111 } })))[0], /looks like a payment card number/);
        });

        it("never throws on lists and blocks of the wrong type", async () => {
            for (const change of [
                { users: "orders-app" }, { users: [42, null, "x", { username: ["x"] }] }, { tags: ["a", "b"] },
                { tags: { team: { nested: true } } }, { ldapServerMetadata: "ldap.example.com" },
                { ldapServerMetadata: { hosts: "ldap.example.com" } }, { ldapServerMetadata: { hosts: [null, 7, {}] } },
            ] as BrokerChange[]) {
                assert.deepStrictEqual(await findings(active(change)), [], JSON.stringify(change));
            }
        });

        it("keeps a secret password secret and unprinted even when a username is flagged", async () => {
            const password = testPassword("Qe3rTy7uIo1pAs5d");
            const violations = await analyze(policy, active({ users: [{ username: "jane@example.com", password: secret(password) }] }));
            assert.ok(violations.length > 0);
            assert.ok(violations.every(v => !v.message.includes(password)));
        });

        it("scans huge values quickly and without throwing", async () => {
            const huge = "1 ".repeat(200_000) + "a@".repeat(200_000);
            const started = Date.now();
            await findings(active({ brokerName: huge, tags: { big: huge }, users: [{ username: huge, password: passwords.activeApp }] }));
            assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
        });
    });

    describe("config brokerNamePattern", () => {
        const config = { brokerNamePattern: "^orders-[a-z]+(-[a-z0-9]+)*$" };

        it("passes names that follow the convention", async () => {
            assert.deepStrictEqual(await findings(compliantActiveMq(), { config }), []);
            assert.deepStrictEqual(await findings(active({ brokerName: "orders-activemq-eu-1" }), { config }), []);
        });

        it("flags a brokerName that does not follow the convention, naming the pattern", async () => {
            const [message] = await findings(active({ brokerName: "payments-activemq" }), { config });
            assert.strictEqual(message, "brokerName does not match the naming convention brokerNamePattern " +
                "/^orders-[a-z]+(-[a-z0-9]+)*$/; choose a name that matches; a new brokerName replaces the broker");
        });

        it("matches the whole name even when the pattern has no anchors", async () => {
            const [message] = await findings(active({ brokerName: "xorders-activemq" }), { config: { brokerNamePattern: "orders-[a-z]+" } });
            assert.match(message, /does not match the naming convention/);
        });

        it("checks the resource name when brokerName is absent", async () => {
            assert.deepStrictEqual(await findings(active({ brokerName: undefined }), { config, name: "orders-broker" }), []);
            const [message] = await findings(active({ brokerName: undefined }), { config, name: "legacy-broker" });
            assert.match(message, /^brokerName is not set, and the resource name it is generated from does not match the naming convention/);
        });

        it("reports nothing while brokerName is unknown", async () => {
            assert.deepStrictEqual(await findings(active({ brokerName: unknown.string }), { config }), []);
        });

        it("rejects a pattern that is not a valid regular expression with a clear config error", async () => {
            const violations = await analyze(policy, compliantActiveMq(), { config: { brokerNamePattern: "^orders-(" } });
            assert.strictEqual(violations.length, 1);
            assert.match(violations[0].message, /The policy config of mq-broker-safe-naming is invalid: brokerNamePattern is not a valid RE2 regular expression \(missing closing \): `\^orders-\(`\)/);
        });

        it("rejects the features RE2 does not have, naming each, with the replacement where there is one", () => {
            const cases: Array<[string, RegExp]> = [
                ["^(a)\\1$", /uses a backreference \(\\1\), which RE2 regular expressions do not support/],
                ["(?<x>a)\\k<x>", /uses a named backreference \(\\k<name>\)/],
                ["^orders(?=-)", /uses a lookahead/],
                ["^(?!test)[a-z]+$", /uses a lookahead/],
                ["(?<=orders-)[a-z]+", /uses a lookbehind/],
                ["(?<!x)y", /uses a lookbehind/],
                ["(?>a+)b", /uses an atomic group/],
                ["^a++$", /uses a possessive quantifier \(a\+\+, a\*\+, a\?\+\) \(write the plain quantifier instead\)/],
                ["^\\u0041$", /uses a \\u escape \(write \\x\{0041\} for U\+0041 instead\)/],
                ["^a\\Z", /uses the anchor \\Z \(write \$ or \\z instead\)/],
            ];
            for (const [pattern, reason] of cases) {
                const errors = policy.validateConfig({ brokerNamePattern: pattern });
                assert.strictEqual(errors.length, 1, pattern);
                assert.match(errors[0], /^brokerNamePattern /, pattern);
                assert.match(errors[0], reason, pattern);
            }
            // Every feature of one pattern in one message.
            assert.match(policy.validateConfig({ brokerNamePattern: "(a)\\1(?=b)" })[0], /uses a backreference \(\\1\), a lookahead/);
        });

        it("treats escaped and bracketed look-alikes as the literals they are", () => {
            for (const pattern of ["^\\(\\?=x\\)$", "^[(?=]+$", "^a\\\\1$", "^[\\]1]+$", "^a+\\+$"]) {
                assert.deepStrictEqual(policy.validateConfig({ brokerNamePattern: pattern }), [], pattern);
            }
        });

        it("rejects an over-long pattern and a repeat count RE2 refuses", () => {
            assert.match(policy.validateConfig({ brokerNamePattern: "a".repeat(201) })[0], /^brokerNamePattern is 201 characters long; keep it to 200 or fewer$/);
            assert.match(policy.validateConfig({ brokerNamePattern: "a{1001}" })[0], /^brokerNamePattern is not a valid RE2 regular expression \(invalid repeat count/);
        });

        it("reports the config error instead of judging the broker", async () => {
            const violations = await analyze(policy, active({ brokerName: "jane@example.com" }), { config: { brokerNamePattern: "(a)\\1" } });
            assert.strictEqual(violations.length, 1);
            assert.match(violations[0].message, /The policy config of mq-broker-safe-naming is invalid: brokerNamePattern uses a backreference/);
        });

        it("accepts what a backtracking engine would choke on, and an empty pattern: RE2 matches in linear time", () => {
            for (const pattern of ["^[a-z]+(-[a-z0-9]+)*$", "^([a-z]+_)*[a-z]+$", "^(orders|payments)-(dev|prod)$", "(\\d|[a-z])+",
                "(a+)+$", "(a|aa)*b", "(.*)*x", "^(\\w|_)+$", "(?i)^orders-[a-z]+$", ""]) {
                assert.deepStrictEqual(policy.validateConfig({ brokerNamePattern: pattern }), [], pattern);
            }
        });

        it("rejects brokerNamePattern of the wrong type with a schema error", async () => {
            await assert.rejects(analyze(policy, compliantActiveMq(), { config: { brokerNamePattern: 42 } }),
                /mq-broker-safe-naming: brokerNamePattern: Invalid type\. Expected: string/);
        });

        it("judges a catastrophic-for-backtracking pattern on an adversarial name, exactly and at once", async () => {
            const started = Date.now();
            const [message] = await findings(active({ brokerName: `${"a".repeat(48)}_` }), { config: { brokerNamePattern: "^(a+)+$" } });
            assert.match(message, /^brokerName does not match the naming convention brokerNamePattern \/\^\(a\+\)\+\$\//);
            assert.deepStrictEqual(await findings(active({ brokerName: "a".repeat(48) }), { config: { brokerNamePattern: "^(a+)+$" } }), []);
            const slow = "^.*.*.*.*.*.*.*.*.*.*.*.*x$";
            assert.strictEqual(patternProblem(slow), undefined);
            assert.match((await findings(active({ brokerName: "a".repeat(50) }), { config: { brokerNamePattern: slow } }))[0], /does not match the naming convention/);
            assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
        });
    });

    it("skips a broker named in exclude and reports advisory on a matching stack", async () => {
        const broker = active({ brokerName: "jane-doe-4111111111111111" });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "legacy", config: { exclude: ["legacy"] } }), []);
        const advisory = await analyze(policy, broker, { config: { advisoryStackTags: { env: ["dev"] } }, stackTags: { env: "dev" } });
        assert.strictEqual(advisory[0].enforcementLevel, "advisory");
    });

    describe("provider default tags (tagsAll)", () => {
        it("flags personal data in a default tag that only tagsAll holds, pointing at the provider's defaultTags", async () => {
            const messages = await findings(active({ tagsAll: { team: "payments", environment: "prod", owner: "jane@example.com" } }));
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /^the value of tagsAll entry "owner" contains what looks like an email address; remove it from the provider's defaultTags/);
            assert.ok(!messages[0].includes("jane"));
        });

        it("reports a tag found in both tags and tagsAll once, as a tag", async () => {
            const messages = await findings(active({
                tags: { team: "payments", owner: "jane@example.com" },
                tagsAll: { team: "payments", owner: "jane@example.com" },
            }));
            assert.deepStrictEqual(messages.map(m => m.split(";")[0]), ["the value of tag \"owner\" contains what looks like an email address"]);
        });

        it("passes clean default tags, an absent tagsAll and an unknown one", async () => {
            assert.deepStrictEqual(await findings(active({ tagsAll: { team: "payments", CostCenter: "1234" } })), []);
            assert.deepStrictEqual(await findings(active({ tagsAll: undefined })), []);
            assert.deepStrictEqual(await findings(active({ tagsAll: unknown.object })), []);
            assert.deepStrictEqual(await findings(active({ tagsAll: { owner: unknown.string } })), []);
        });
    });

    describe("LDAP service account username", () => {
        const ldapBroker = (serviceAccountUsername: unknown, serviceAccountPassword: unknown = passwords.activeApp) => active({
            authenticationStrategy: "LDAP",
            users: undefined,
            ldapServerMetadata: { hosts: ["ldap.example.com"], serviceAccountUsername, serviceAccountPassword },
        });

        it("passes a role-like service account name", async () => {
            assert.deepStrictEqual(await findings(ldapBroker("svc-orders-mq")), []);
        });

        it("flags an email address in serviceAccountUsername without quoting it", async () => {
            const [message] = await findings(ldapBroker("jane.doe@example.com"));
            assert.match(message, /^ldapServerMetadata\.serviceAccountUsername contains what looks like an email address; use a service account name without personal or sensitive data/);
            assert.ok(!message.includes("jane"));
        });

        it("passes an unknown or absent serviceAccountUsername and an unknown ldapServerMetadata", async () => {
            assert.deepStrictEqual(await findings(ldapBroker(unknown.string)), []);
            assert.deepStrictEqual(await findings(ldapBroker(undefined)), []);
            assert.deepStrictEqual(await findings(active({ ldapServerMetadata: unknown.object })), []);
        });
    });

    describe("usernames that would reveal a password", () => {
        it("hides a username that equals a password once both are normalized (NFKC, zero-width characters removed)", async () => {
            const password = testPassword("OrdersQueueUser2026");
            // Full-width letters and a zero-width space: the same text as the password once normalized.
            const username = "Ｏｒｄｅｒｓ\u200BQueueUser2026";
            const messages = await findings(active({ users: [{ username, password: passwords.activeAdmin }, { username: "orders-app", password }] }));
            assert.ok(messages.length > 0, "the username is flagged for its characters");
            assert.match(messages[0], /^users\[0\]\.username contains characters Amazon MQ for ActiveMQ rejects; use only/);
            assert.ok(messages.every(m => !m.includes("QueueUser")), "no part of the username (the password) is shown");
        });

        it("shows the rejected characters of a username that reveals no password", async () => {
            const [message] = await findings(active({ users: [{ username: "orders app", password: passwords.activeAdmin }] }));
            assert.match(message, /rejects \(" "\); use only/);
        });

        it("shows a username of fewer than 4 characters that a password merely contains, but not one a password equals", async () => {
            const contains = testPassword("xq!Kp4wZr8tXm2Lb");
            const [shown] = await findings(active({ users: [{ username: "q!", password: contains }] }));
            assert.match(shown, /^users\[0\]\.username contains characters Amazon MQ for ActiveMQ rejects \("!"\)/);
            const equals = testPassword("q!x");
            const [hidden] = await findings(active({ users: [{ username: "q!x", password: equals }] }));
            assert.match(hidden, /^users\[0\]\.username contains characters Amazon MQ for ActiveMQ rejects; use only/);
        });
    });

    it("grows linearly with the number of users: 10x the users costs at most ~12x the time", () => {
        const broker = (n: number) => active({
            users: Array.from({ length: n }, (_, i) => ({ username: `user-${i}-x`, password: `Pw${i}-Vq7tRw2pLx9mZk` })),
        });
        const config = { brokerNamePattern: "", exclude: [], advisoryStackTags: {} };
        // A quadratic comparison measures about 100x every time.
        assertLinearGrowth({
            build: broker,
            run: input => policy.check(input, { name: "orders-broker", urn: "urn", config }),
            small: 2_000,
            large: 20_000,
            maxRatio: 12,
            what: "users",
        });
    });

    describe("detectors", () => {
        it("validates card numbers with Luhn", () => {
            assert.ok(luhnValid("4111111111111111"));
            assert.ok(luhnValid("130692544"));
            assert.ok(!luhnValid("4111111111111112"));
        });

        it("leaves resource IDs and hex key IDs alone", () => {
            for (const text of ["subnet-0a1b2c3d4e5f60001", "sg-0123456789abcdef0", "i-4111111111111111abc", "10.0.0.1"]) {
                assert.deepStrictEqual(findSensitiveData(text, { secretWords: "value" }), [], text);
            }
        });

        it("tells generated secrets from names: AWS secret keys, tokens and random passwords, not camelCase names", () => {
            for (const secret of ["h3Kd8sLq0Pz7XvB2nW9mR4tYc6Ue1IoA5gJfNbQs", "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", passwords.activeAdmin]) {
                assert.ok(looksGenerated(secret), secret.slice(0, 6));
            }
            for (const name of ["K8sClusterA1Prod2Eu3West1", "OrdersBroker2024Production", "MyApp2Prod3Queue2024Main", "PasswordRotationDays30",
                "1234abcd-12ab-34cd-56ef-1234567890ab", "ORDERS2024PRODEU1BROKER", "K8sClusterA1Prod2"]) {
                assert.ok(!looksGenerated(name), name);
            }
        });

        it("finds no sensitive data in words that name secrets, in either mode", () => {
            for (const text of ["auth-token-events", "credentials-rotation", "access-key-audit", "PasswordRotationDays", "SecretsManagerArn", "api_key", "pwd"]) {
                assert.deepStrictEqual(findSensitiveData(text, { secretWords: "name" }), [], text);
                assert.deepStrictEqual(findSensitiveData(text, { secretWords: "value" }), [], text);
            }
        });

        it("says which kind of data it found and never quotes the text", () => {
            const text = "jane@example.com";
            const found = findSensitiveData(text, { secretWords: "name" });
            assert.deepStrictEqual(found.map(f => f.kind), ["email"]);
            assert.ok(!found[0].description.includes("jane"));
        });
    });
    it("describes a username that embeds a password without its rejected characters or its length", async () => {
        const password = testPassword("Kq8!Zt3#Wm6$Rv1%");
        const broker = withChange(compliantRabbitMq(), { users: [{ username: `svc~${password}`, password }] });
        const violations = await analyze(policy, broker);
        const messages = violations.map(v => v.message).join("\n");
        assert.match(messages, /users\[0\]\.username contains characters Amazon MQ for RabbitMQ rejects; use only/);
        assert.match(messages, /users\[0\]\.username has a length AWS rejects|users\[0\]\.username contains characters/);
        for (const c of ["!", "#", "$", "%"]) {
            assert.ok(!messages.includes(JSON.stringify(c)), `rejected character ${c} of the password is not listed`);
        }
    });
    describe("as an aws-native broker (aws-native:amazonmq:Broker)", () => {
        const onNative = onNativeBroker();
        const nativeActive = (change: BrokerChange = {}): NativeBrokerInputs => nativeBroker(active(change));

        it("passes the golden brokers in aws-native's shape (tags as a list)", async () => {
            assert.deepStrictEqual(await findings(nativeBroker(compliantActiveMq()), onNative), []);
            assert.deepStrictEqual(await findings(nativeBroker(compliantRabbitMq()), onNative), []);
        });

        // aws-native auto-names a broker without brokerName from its logical name: "<name>-" and 7 random hex
        // characters (getDefaultName, pulumi-aws-native provider/pkg/autonaming/application.go; Pulumi "Names":
        // https://www.pulumi.com/docs/iac/concepts/resources/names/, both read 2026-12-03), so the logical name
        // reaches AWS as the broker name, as with @pulumi/aws.
        it("judges the resource name when brokerName is absent, naming brokerName as what to set", async () => {
            const options = onNativeBroker("orders-jane.doe@example.com");
            const messages = await findings(nativeActive({ brokerName: undefined }), options);
            assert.strictEqual(messages.length, 2);
            assert.match(messages[0], /^brokerName is not set, and the resource name it is generated from contains characters AWS rejects/);
            assert.match(messages[1], /^brokerName is not set, and the resource name it is generated from contains what looks like an email address; set brokerName, or rename the resource/);
            assert.deepStrictEqual(messages, await findings(active({ brokerName: undefined }), { name: options.name }));
            assert.deepStrictEqual(await findings(nativeActive({ brokerName: undefined }), onNative), []);
        });

        it("flags a resource name that leaves no room for aws-native's 7-character suffix when brokerName is absent", async () => {
            const options = onNativeBroker("orders-" + "x".repeat(36));
            const [message] = await findings(nativeActive({ brokerName: undefined }), options);
            assert.match(message, /^brokerName is not set, and the resource name is 43 characters long: .*shorten the resource name to 42 characters or set brokerName$/);
            assert.deepStrictEqual(await findings(nativeActive({ brokerName: undefined }), onNativeBroker("orders-" + "x".repeat(35))), []);
        });

        it("reports nothing about the name while brokerName is unknown during preview", async () => {
            assert.deepStrictEqual(await findings(nativeActive({ brokerName: unknown.string }), onNativeBroker("orders-jane.doe@example.com")), []);
        });

        it("flags personal data in a tag key, numbered by its place in the list, and in a tag value, named by its key", async () => {
            const broker = { ...nativeActive(), tags: [{ key: "team", value: "payments" }, { key: "jane.doe@example.com", value: "owner" }, { key: "oncall", value: "jane.doe@example.com" }] };
            const messages = await findings(broker, onNative);
            assert.strictEqual(messages.length, 2);
            assert.match(messages[0], /^the key of tag #2 contains what looks like an email address; rename the tag key/);
            assert.match(messages[1], /^the value of tag "oncall" contains what looks like an email address; remove it from the tag/);
        });

        it("still judges the known tags while one tag's key is unknown during preview, and says nothing of that tag", async () => {
            const broker = { ...nativeActive(), tags: [{ key: unknown.string, value: "x" }, { key: "owner", value: "jane.doe@example.com" }] };
            const messages = await findings(broker, onNative);
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /^the value of tag "owner" contains what looks like an email address/);
            const entryUnknown = { ...nativeActive(), tags: [unknown.object, { key: "owner", value: "jane.doe@example.com" }] };
            assert.strictEqual((await findings(entryUnknown, onNative)).length, 1);
        });

        it("says nothing of a tag whose value is unknown, and nothing while the whole list is unknown", async () => {
            assert.deepStrictEqual(await findings({ ...nativeActive(), tags: [{ key: "owner", value: unknown.string }] }, onNative), []);
            assert.deepStrictEqual(await findings({ ...nativeActive(), tags: unknown.array }, onNative), []);
            assert.deepStrictEqual(await findings({ ...nativeActive(), tags: undefined }, onNative), []);
        });

        it("never names tagsAll, which aws-native does not have (its provider merges defaultTags into tags)", async () => {
            // A stray tagsAll (no aws-native property; the provider would refuse it) is not read as default tags.
            const broker = { ...nativeActive(), tagsAll: { owner: "jane.doe@example.com" } };
            assert.deepStrictEqual(await findings(broker, onNative), []);
            const withPii = { ...nativeActive(), tags: [{ key: "owner", value: "jane.doe@example.com" }] };
            for (const message of await findings(withPii, onNative)) {
                assert.ok(!/tagsAll/.test(message), message);
            }
        });
    });
});
