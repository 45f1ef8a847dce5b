import * as assert from "assert";
import { assertLinearGrowth } from "../support/growth";
import { isKnownDefaultPassword, passwordWeaknesses } from "../../policies/lib/passwords";
import { mqBrokerUserCredentials as policy } from "../../policies/mq-broker-user-credentials";
import { compliantActiveMq, compliantRabbitMq, passwords, withChange } from "../support/fixtures";
import { analyze, CallOptions, testPassword, unknown } from "../support/runtime";

const activeMq = compliantActiveMq;
const rabbitMq = compliantRabbitMq;

async function messages(broker: Record<string, unknown>, options: CallOptions = {}): Promise<string[]> {
    return (await analyze(policy, broker, options)).map(v => v.message);
}

/** The golden ActiveMQ broker with the app user's password (users[1], orders-app) replaced. */
function appPassword(password: unknown, username: unknown = "orders-app") {
    return withChange(activeMq(), {
        users: [
            { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true, groups: ["admins"] },
            { username, password },
        ],
    });
}

/** Asserts a message shows nothing of the password: not the value, not a prefix, not its length. */
function assertNoHint(violation: string, password: string): void {
    // The finding follows the policy description (which the SDK prepends) on the next line.
    const message = violation.slice(violation.indexOf("\n") + 1);
    assert.ok(!message.includes(password), "the password appears in the message");
    assert.ok(!message.includes(password.slice(0, 4)), "a prefix of the password appears in the message");
    assert.ok(!new RegExp(`\\b${[...password].length}\\b`).test(message), "the password's length appears in the message");
}

const ldap = (serviceAccountPassword: unknown) => ({
    hosts: ["ldap.corp.example.com"],
    serviceAccountUsername: "svc-mq",
    serviceAccountPassword,
    userBase: "ou=Users,dc=corp,dc=example,dc=com",
});

describe("mq-broker-user-credentials", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMq()), []);
    });

    it("flags a password shorter than the AWS minimum of 12, naming the user but not the password or its length", async () => {
        const password = testPassword("Xk9mPq2wLz7");
        const violations = await analyze(policy, appPassword(password));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /users\[1\] \(orders-app\): password is shorter than 12 characters, which AWS rejects; use at least 16 characters \(minimumPasswordLength\)/);
        assertNoHint(violations[0].message, password);
    });

    it("flags a password shorter than minimumPasswordLength (16 by default)", async () => {
        const password = testPassword("Hy3uJd8fKe5wQa");
        const found = await messages(appPassword(password));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users\[1\] \(orders-app\): password is shorter than 16 characters \(minimumPasswordLength\)/);
        assertNoHint(found[0], password);
    });

    it("applies a configured minimumPasswordLength to every user", async () => {
        const found = await messages(activeMq(), { config: { minimumPasswordLength: 24 } });
        assert.strictEqual(found.length, 2);
        assert.match(found[0], /users\[0\] \(orders-admin\): password is shorter than 24 characters/);
        assert.match(found[1], /users\[1\] \(orders-app\): password is shorter than 24 characters/);
        assert.deepStrictEqual(await messages(activeMq(), { config: { minimumPasswordLength: 20 } }), []);
    });

    it("flags a password with fewer than 4 distinct characters", async () => {
        const password = testPassword("abcabcabcabcabcabcab");
        const found = await messages(appPassword(password));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /password has fewer than 4 distinct characters, which AWS rejects/);
        assertNoHint(found[0], password);
    });

    it("flags a password containing a comma, colon or equals sign, without saying which", async () => {
        for (const password of [testPassword("Vq7tRw2pLx9mZk4s,b6c"), testPassword("Vq7tRw2pLx9mZk4s:b6c"), testPassword("Vq7tRw2pLx9mZk4s=b6c")]) {
            const found = await messages(appPassword(password));
            assert.strictEqual(found.length, 1, "one finding");
            assert.match(found[0], /password contains a comma, colon or equals sign, which AWS rejects/);
            assertNoHint(found[0], password);
        }
    });

    it("flags a password that equals or contains the username, ignoring case, naming the user by position only", async () => {
        const contains = testPassword("ORDERS-APP-Q7xk2mPzW4");
        const found = await messages(appPassword(contains));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /\nusers\[1\]: password equals or contains the username/);
        assert.doesNotMatch(found[0], /orders-app/i, "printing the username would print part of the password");
        assertNoHint(found[0], contains);
        const equals = testPassword("orders-app-queue-user");
        const same = await messages(appPassword(equals, "orders-app-queue-user"));
        assert.strictEqual(same.length, 1);
        assert.match(same[0], /\nusers\[1\]: password equals or contains the username/);
        assertNoHint(same[0], equals);
    });

    it("does not print a username that another user's password contains", async () => {
        const password = testPassword("orders-admin-Kp4wZr8tXm");
        const broker = withChange(activeMq(), {
            users: [
                { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true },
                { username: "orders-app", password },
            ],
        });
        const found = await messages(broker, { config: { allowConsoleAccess: false } });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /\nusers\[0\]: consoleAccess is true/);
    });

    it("does not print a username that contains a password (found by the property-based tests)", async () => {
        const password = testPassword("Zt8#qLm2Wx5vRk9pBn4c,");
        const found = await messages(appPassword(password, `svc-${password}`));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /\nusers\[1\]: password contains a comma/);
        assert.ok(!found[0].includes(password), "printing the username would print the password");
    });

    it("shows a huge username cut short, never the whole value (found by the property-based tests)", async () => {
        const found = await messages(appPassword(testPassword("Zt8#qLm2Wx5vRk9pBn4c,"), "u".repeat(100_000)));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /\nusers\[1\] \(u{80}… \(100000 characters\)\): password contains a comma/);
        assert.ok(found[0].length < 1000);
    });

    it("flags known default and documentation passwords, including decorated variants", async () => {
        for (const password of [testPassword("brokerpassword"), testPassword("P@ssw0rd12345678"), testPassword("ChangeMe1234567890!"), testPassword("<password>")]) {
            const found = await messages(appPassword(password));
            assert.strictEqual(found.length, 1, "one finding per user");
            assert.match(found[0], /password .*is a known default or documentation password/);
            assertNoHint(found[0], password);
        }
    });

    it("recognises the list's passwords and leaves generated ones alone", () => {
        for (const p of ["brokeruser", "BROKERPASSWORD", "<password>", "changeme", "Password", "p4ssw0rd!", "MindTheGap2024", "guest"]) {
            assert.ok(isKnownDefaultPassword(p), p);
        }
        for (const p of [passwords.activeAdmin, passwords.activeApp, passwords.rabbitApp, "correct-horse-battery-staple"]) {
            assert.ok(!isKnownDefaultPassword(p), p);
        }
        assert.deepStrictEqual(passwordWeaknesses(passwords.activeAdmin, { minimumLength: 16, username: "orders-admin" }), []);
    });

    it("flags users that share a password, naming both usernames", async () => {
        const broker = withChange(activeMq(), {
            users: [
                { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true },
                { username: "orders-app", password: passwords.activeAdmin },
            ],
        });
        const found = await messages(broker);
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users\[0\] \(orders-admin\) and users\[1\] \(orders-app\) share a password; give each user its own password/);
        assertNoHint(found[0], passwords.activeAdmin);
    });

    it("names every user when three share a password", async () => {
        const shared = testPassword("Mw5pRt8kLq2vXz7nBc4d");
        const users = ["orders-a", "orders-b", "orders-c"].map(username => ({ username, password: shared }));
        const found = await messages(withChange(activeMq(), { users }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users\[0\] \(orders-a\), users\[1\] \(orders-b\) and users\[2\] \(orders-c\) share a password/);
    });

    it("judges the LDAP service account password, and flags it when a user shares it", async () => {
        const weak = testPassword("svc-mq-password");
        const found = await messages(withChange(activeMq(), { authenticationStrategy: "ldap", ldapServerMetadata: ldap(weak) }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /ldapServerMetadata.serviceAccountPassword is shorter than 16 characters \(minimumPasswordLength\); equals or contains the username; generate a random password/);
        assertNoHint(found[0], weak);
        const strong = testPassword("Zr6yHn3cVb8mKq1wPx4t");
        assert.deepStrictEqual(await messages(withChange(activeMq(), { ldapServerMetadata: [ldap(strong)] })), []);
        const reused = await messages(withChange(activeMq(), { ldapServerMetadata: ldap(passwords.activeApp) }));
        assert.strictEqual(reused.length, 1);
        assert.match(reused[0], /users\[1\] \(orders-app\) and ldapServerMetadata.serviceAccountPassword \(svc-mq\) share a password/);
    });

    it("flags a RabbitMQ broker with more than one user", async () => {
        const users = [...(rabbitMq().users as object[]), { username: "orders-worker", password: testPassword("Gd2kLp9wQs4mXv7bNz3r") }];
        const found = await messages(withChange(rabbitMq(), { users }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users has 2 entries, but RabbitMQ accepts exactly one/);
    });

    it("flags a RabbitMQ broker without users, unless it uses OAuth 2.0 (CONFIG_MANAGED) or its strategy is unknown", async () => {
        for (const users of [[], undefined, "orders-app"]) {
            const found = await messages(withChange(rabbitMq(), { users }));
            assert.strictEqual(found.length, 1, JSON.stringify(users));
            assert.match(found[0], /users is empty, but a RabbitMQ broker needs exactly one user/);
        }
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { users: [], authenticationStrategy: "config_managed" })), []);
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { users: undefined, authenticationStrategy: unknown.string })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { users: undefined, authenticationStrategy: "LDAP" })), [], "ActiveMQ with LDAP needs no users");
    });

    it("flags the username guest on RabbitMQ, in any case", async () => {
        const found = await messages(withChange(rabbitMq(), { users: [{ username: "Guest", password: passwords.rabbitApp }] }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users\[0\] \(Guest\): the username guest is not allowed on RabbitMQ/);
    });

    it("flags consoleAccess and groups on a RabbitMQ user, which the API rejects", async () => {
        const found = await messages(withChange(rabbitMq(), { users: [{ username: "orders-app", password: passwords.rabbitApp, consoleAccess: true, groups: ["admins"] }] }));
        assert.strictEqual(found.length, 2);
        assert.match(found[0], /users\[0\] \(orders-app\): consoleAccess applies to ActiveMQ only and the API rejects it on RabbitMQ/);
        assert.match(found[1], /users\[0\] \(orders-app\): groups applies to ActiveMQ only/);
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { users: [{ username: "orders-app", password: passwords.rabbitApp, consoleAccess: false, groups: [] }] })), []);
    });

    it("with allowConsoleAccess false, flags ActiveMQ users with console access", async () => {
        const config = { allowConsoleAccess: false };
        const found = await messages(activeMq(), { config });
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users\[0\] \(orders-admin\): consoleAccess is true, but this organization does not allow ActiveMQ web console access \(allowConsoleAccess: false\)/);
        assert.deepStrictEqual(await messages(rabbitMq(), { config }), []);
        assert.deepStrictEqual(await messages(activeMq()), [], "console access is allowed by default");
    });

    it("compares engineType case-insensitively", async () => {
        const found = await messages(withChange(rabbitMq(), { engineType: "RABBITMQ", users: [{ username: "guest", password: passwords.rabbitApp }] }));
        assert.strictEqual(found.length, 1);
        assert.strictEqual((await messages(withChange(activeMq(), { engineType: "activemq" }), { config: { allowConsoleAccess: false } })).length, 1);
    });

    it("does not judge an unknown password, and keeps judging the other users", async () => {
        const short = testPassword("Qw8eRt5yUi2");
        const broker = withChange(activeMq(), {
            users: [
                { username: "orders-admin", password: unknown.string, consoleAccess: true },
                { username: "orders-app", password: short },
            ],
        });
        const found = await messages(broker);
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /users\[1\] \(orders-app\): password is shorter than 12 characters/);
    });

    it("reports nothing for unknown users, user entries or LDAP metadata", async () => {
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { users: unknown.array })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { users: [unknown.object, { username: "orders-app", password: passwords.activeApp }] })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { ldapServerMetadata: unknown.object })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { ldapServerMetadata: ldap(unknown.string) })), []);
    });

    it("judges the password of a user whose username is unknown, naming the user by position", async () => {
        const weak = testPassword("changeme");
        const found = await messages(appPassword(weak, unknown.string));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /^.*\nusers\[1\]: password is shorter than 12 characters/);
    });

    it("leaves a user without a password to the provider, and names a user without a username by position", async () => {
        assert.deepStrictEqual(await messages(appPassword(undefined)), []);
        const weak = testPassword("Lm3nBv7cXz1");
        const found = await messages(withChange(activeMq(), { users: [{ username: "orders-admin", password: passwords.activeAdmin }, { password: weak }] }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /\nusers\[1\]: password is shorter than 12 characters/);
    });

    it("never throws on wrong types", async () => {
        const found = await messages(withChange(activeMq(), { users: [null, 5, { username: 7, password: ["x"], consoleAccess: "yes", groups: "admins" }], ldapServerMetadata: "ldap" }));
        assert.deepStrictEqual(found, []);
        const rabbit = await messages(withChange(rabbitMq(), { users: [{ username: ["guest"], password: passwords.rabbitApp, groups: { a: 1 } }] }));
        assert.deepStrictEqual(rabbit, []);
    });

    it("skips an excluded broker and reports advisory on a stack tagged for it", async () => {
        const broker = appPassword(testPassword("brokerpassword"));
        assert.deepStrictEqual(await analyze(policy, broker, { name: "lab-broker", config: { exclude: ["urn:pulumi:*::lab-*"] } }), []);
        const onDev = await analyze(policy, broker, { config: { advisoryStackTags: { environment: ["dev"] } }, stackTags: { environment: "dev" } });
        assert.strictEqual(onDev.length, 1);
        assert.strictEqual(onDev[0].enforcementLevel, "advisory");
    });

    describe("replicationUser and consoleAccess", () => {
        const replication = (user: Record<string, unknown>) => withChange(activeMq(), {
            dataReplicationMode: "CRDR",
            users: [
                { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true },
                { username: "orders-replicator", password: passwords.activeApp, ...user },
            ],
        });

        it("passes a replication user without console access, and a console user that is not a replication user", async () => {
            assert.deepStrictEqual(await messages(replication({ replicationUser: true })), []);
            assert.deepStrictEqual(await messages(replication({ replicationUser: true, consoleAccess: false })), []);
            assert.deepStrictEqual(await messages(replication({ replicationUser: false, consoleAccess: true })), []);
        });

        it("flags a user with both replicationUser and consoleAccess true, which Amazon MQ rejects", async () => {
            const found = await messages(replication({ replicationUser: true, consoleAccess: true }));
            assert.strictEqual(found.length, 1);
            assert.match(found[0], /\nusers\[1\] \(orders-replicator\): replicationUser and consoleAccess are both true, which Amazon MQ rejects \(a replication user cannot have console access\); set consoleAccess: false/);
        });

        it("reads the provider's string booleans", async () => {
            assert.strictEqual((await messages(replication({ replicationUser: "true", consoleAccess: "TRUE" }))).length, 1);
        });

        it("reports nothing while either is unknown, or when either is absent (false by default)", async () => {
            assert.deepStrictEqual(await messages(replication({ replicationUser: unknown.boolean, consoleAccess: true })), []);
            assert.deepStrictEqual(await messages(replication({ replicationUser: true, consoleAccess: unknown.boolean })), []);
            assert.deepStrictEqual(await messages(replication({ consoleAccess: true })), []);
        });
    });

    describe("usernames compared with passwords", () => {
        it("does not call a password weak for containing a username of fewer than 4 characters", async () => {
            const password = testPassword("Kp4wZr8tXmabLq2v");
            assert.deepStrictEqual(await messages(appPassword(password, "ab")), []);
            assert.deepStrictEqual(passwordWeaknesses(password, { minimumLength: 16, username: "ab" }), []);
        });

        it("still flags a password that equals a short username, and one that contains a 4-character username", () => {
            assert.ok(passwordWeaknesses("ab", { minimumLength: 16, username: "ab" }).includes("equals or contains the username"));
            assert.ok(passwordWeaknesses("Kp4wZr8tXmabcdLq2v", { minimumLength: 16, username: "abcd" }).includes("equals or contains the username"));
        });

        it("compares usernames normalized: full-width letters and zero-width characters do not hide a username in a password", () => {
            const password = "Kp4w-orders-Zr8tXmLq2v";
            for (const username of ["ＯＲＤＥＲＳ", "ord\u200Bers", "\uFEFForders\u2060"]) {
                assert.ok(passwordWeaknesses(password, { minimumLength: 16, username }).includes("equals or contains the username"), JSON.stringify(username));
            }
        });

        it("does not show a username that equals another user's password once normalized", async () => {
            const password = testPassword("OrdersQueueUser2026x");
            const broker = withChange(activeMq(), {
                users: [
                    { username: "Ｏｒｄｅｒｓ\u200BQueueUser2026x", password: passwords.activeAdmin, consoleAccess: true },
                    { username: "orders-app", password },
                ],
            });
            const found = await messages(broker, { config: { allowConsoleAccess: false } });
            assert.strictEqual(found.length, 1);
            assert.match(found[0], /\nusers\[0\]: consoleAccess is true/);
            assert.ok(!found[0].includes("QueueUser"));
        });

        it("names at most five users that share a password, and counts the rest", async () => {
            const shared = testPassword("Mw5pRt8kLq2vXz7nBc4d");
            const users = Array.from({ length: 40 }, (_, i) => ({ username: `orders-${i}`, password: shared }));
            const found = await messages(withChange(activeMq(), { users }));
            assert.strictEqual(found.length, 1);
            assert.match(found[0], /users\[0\] \(orders-0\), users\[1\] \(orders-1\), users\[2\] \(orders-2\), users\[3\] \(orders-3\), users\[4\] \(orders-4\) and 35 more share a password/);
            assert.ok(found[0].length < 1000);
        });
    });

    it("grows linearly with the number of users: 10x the users costs at most ~12x the time (was 75 s for 20,000)", () => {
        const broker = (n: number) => withChange(activeMq(), {
            users: Array.from({ length: n }, (_, i) => ({ username: `user-${i}-x`, password: `Pw${i}-Vq7tRw2pLx9mZk` })),
        });
        const config = { minimumPasswordLength: 16, allowConsoleAccess: true, exclude: [], advisoryStackTags: {} };
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

    it("rejects a minimumPasswordLength below the AWS minimum and a non-boolean allowConsoleAccess with schema errors", async () => {
        await assert.rejects(analyze(policy, activeMq(), { config: { minimumPasswordLength: 8 } }),
            /mq-broker-user-credentials: minimumPasswordLength: Must be greater than or equal to 12/);
        await assert.rejects(analyze(policy, activeMq(), { config: { allowConsoleAccess: "no" } }),
            /mq-broker-user-credentials: allowConsoleAccess: Invalid type\. Expected: boolean/);
    });

    it("does not promise in-place password changes on RabbitMQ, where @pulumi/aws 7.48.0 replaces the broker for any user change", () => {
        const steps = policy.remediationSteps ?? "";
        // @pulumi/aws 7.48.0 mq/broker.d.ts: "Any changes to the `user` block will trigger full broker recreation" (RabbitMQ).
        assert.doesNotMatch(steps, /Password changes are in-place updates\./);
        assert.match(steps, /ActiveMQ/);
        assert.match(steps, /RabbitMQ[^.]*replace/);
    });
});
