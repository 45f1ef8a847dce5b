import * as assert from "assert";
import { mqBrokerLdapAuthentication as policy } from "../../policies/mq-broker-ldap-authentication";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { analyze, CallOptions, notApplicableReason, secret, testPassword, unknown } from "../support/runtime";

// The policy is disabled by default (opt-in), and the harness reports nothing for a disabled policy, so the
// logic is exercised with the level an organization that opts in would set.
const on: CallOptions = { enforcementLevel: "mandatory" };

const SERVICE_PASSWORD = testPassword("Ld4pSvc-Kq8wXz2mRt6v");

function ldapMetadata(): Record<string, unknown> {
    return {
        hosts: ["ldap.corp.example.com", "ldap-failover.corp.example.com"],
        roleBase: "ou=groups,dc=corp,dc=example,dc=com",
        roleSearchMatching: "(member=uid={1})",
        userBase: "ou=users,dc=corp,dc=example,dc=com",
        userSearchMatching: "(uid={0})",
        serviceAccountUsername: "cn=mq-service,ou=services,dc=corp,dc=example,dc=com",
        serviceAccountPassword: SERVICE_PASSWORD,
    };
}

/** ActiveMQ on LDAP, as the AWS Config rule wants it. */
const ldapBroker = () => withChange(compliantActiveMq(), { authenticationStrategy: "LDAP", ldapServerMetadata: ldapMetadata() });

describe("mq-broker-ldap-authentication", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, ldapBroker(), on), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantRabbitMq(), on), []);
    });

    it("is disabled by default, so nothing is reported unless an organization opts in", async () => {
        assert.strictEqual(policy.enforcementLevel, "disabled");
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("flags an ActiveMQ broker whose authenticationStrategy is absent, because the default is SIMPLE", async () => {
        const violations = await analyze(policy, compliantActiveMq(), on);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /authenticationStrategy is SIMPLE \(the default when unset\); set authenticationStrategy: LDAP with an ldapServerMetadata block \(hosts, roleBase, roleSearchMatching, userBase, userSearchMatching, serviceAccountUsername and serviceAccountPassword\)\./);
    });

    it("flags authenticationStrategy simple, whatever its case", async () => {
        const violations = await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: "simple" }), on);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /authenticationStrategy is SIMPLE/);
    });

    it("accepts authenticationStrategy ldap and an engineType in any case", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: "ldap", engineType: "ACTIVEMQ" }), on), []);
    });

    it("does not apply to RabbitMQ, which takes no ldapServerMetadata", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { authenticationStrategy: "simple" }), on), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantRabbitMq(), { engineType: "RABBITMQ" }), on), []);
    });

    it("tells the engine it is not applicable to RabbitMQ, rather than passing silently", async () => {
        assert.strictEqual(await notApplicableReason(policy, compliantRabbitMq(), on),
            "ldapServerMetadata and authenticationStrategy LDAP apply to ActiveMQ brokers only; Amazon MQ for " +
            "RabbitMQ configures LDAP in the broker's RabbitMQ configuration instead");
        assert.strictEqual(await notApplicableReason(policy, compliantActiveMq(), on), undefined);
    });

    it("flags an LDAP broker without ldapServerMetadata", async () => {
        const violations = await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: undefined }), on);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /ldapServerMetadata is absent; set authenticationStrategy: LDAP with an ldapServerMetadata block/);
    });

    it("flags each missing LDAP setting and never prints the service account password", async () => {
        const metadata = { ...ldapMetadata(), hosts: [], userBase: "  ", serviceAccountUsername: undefined };
        const violations = await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: metadata }), on);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /ldapServerMetadata lacks hosts, userBase, serviceAccountUsername; set each/);
        assert.ok(!violations[0].message.includes(SERVICE_PASSWORD));
    });

    it("flags a missing service account password", async () => {
        const metadata = { ...ldapMetadata(), serviceAccountPassword: undefined };
        const violations = await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: metadata }), on);
        assert.match(violations[0].message, /ldapServerMetadata lacks serviceAccountPassword; set it/);
    });

    it("flags a missing roleBase", async () => {
        const metadata = { ...ldapMetadata(), roleBase: undefined };
        assert.match((await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: metadata }), on))[0].message, /lacks roleBase;/);
    });

    it("flags missing roleSearchMatching and userSearchMatching, which the Amazon MQ API requires", async () => {
        const metadata = { ...ldapMetadata(), roleSearchMatching: undefined, userSearchMatching: "" };
        const violations = await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: metadata }), on);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /ldapServerMetadata lacks roleSearchMatching, userSearchMatching; set each/);
    });

    it("reads ldapServerMetadata as a one-element list too, and a secret service account password", async () => {
        const metadata = { ...ldapMetadata(), serviceAccountPassword: secret(SERVICE_PASSWORD) };
        assert.deepStrictEqual(await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: [metadata] }), on), []);
    });

    it("counts unknown LDAP settings as set during preview", async () => {
        const metadata = { ...ldapMetadata(), hosts: unknown.array, roleBase: unknown.string, serviceAccountPassword: unknown.string };
        assert.deepStrictEqual(await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: metadata }), on), []);
        const oneHostUnknown = { ...ldapMetadata(), hosts: [unknown.string] };
        assert.deepStrictEqual(await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: oneHostUnknown }), on), []);
    });

    it("reports nothing while the whole ldapServerMetadata block is unknown", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: unknown.object }), on), []);
    });

    it("still judges known LDAP settings while authenticationStrategy is unknown", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: unknown.string }), on), []);
        const missing = await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: unknown.string, ldapServerMetadata: undefined }), on);
        assert.strictEqual(missing.length, 1, "SIMPLE or LDAP, a broker without ldapServerMetadata fails either way");
        assert.match(missing[0].message, /ldapServerMetadata is absent/);
    });

    it("reports nothing while engineType is unknown, or when it is absent (the provider requires it)", async () => {
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineType: unknown.string }), on), []);
        assert.deepStrictEqual(await analyze(policy, withChange(compliantActiveMq(), { engineType: undefined }), on), []);
    });

    it("never throws on wrong types, reading them as absent", async () => {
        assert.match((await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: true }), on))[0].message, /is SIMPLE \(the default when unset\)/);
        assert.match((await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: "ldap.corp.example.com" }), on))[0].message, /ldapServerMetadata is absent/);
        const metadata = { ...ldapMetadata(), hosts: "ldap.corp.example.com", userBase: 42, serviceAccountUsername: { cn: "svc" } };
        assert.match((await analyze(policy, withChange(ldapBroker(), { ldapServerMetadata: metadata }), on))[0].message, /lacks hosts, serviceAccountUsername;/);
    });

    it("names an unexpected strategy as written (upper-cased)", async () => {
        const violations = await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: "kerberos" }), on);
        assert.match(violations[0].message, /authenticationStrategy is KERBEROS; set authenticationStrategy: LDAP/);
    });

    it("shows a huge authenticationStrategy cut short, never the whole value (found by the property-based tests)", async () => {
        const violations = await analyze(policy, withChange(ldapBroker(), { authenticationStrategy: "k".repeat(100_000) }), on);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /authenticationStrategy is K{80}… \(100000 characters\); set authenticationStrategy: LDAP/);
        assert.ok(violations[0].message.length < 1000);
    });

    it("reports advisory when an organization opts in at that level", async () => {
        const violations = await analyze(policy, compliantActiveMq(), { enforcementLevel: "advisory" });
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
    });

    it("skips a broker named in exclude", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq(), { ...on, name: "legacy", config: { exclude: ["legacy"] } }), []);
    });

    it("rejects an exclude list of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, compliantActiveMq(), { ...on, config: { exclude: "legacy" } }), /mq-broker-ldap-authentication: exclude: Invalid type\. Expected: array, given: string/);
    });
});
