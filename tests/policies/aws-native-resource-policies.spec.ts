// One judgement per rule, whatever the provider: every resource policy of the pack judges a broker or a
// configuration declared with `@pulumi/aws-native` (Cloud Control) exactly as it judges the same resource
// declared with `@pulumi/aws`: the same messages at the same levels, the same not-applicable reasons, and
// remediations that come back in aws-native's own shape. The corpus starts from the golden fixtures and
// changes one property per case (a few cases need two), so every policy fires on some case: a spec that
// compared two empty lists would prove nothing, and the last test says so if it ever happens.
import * as assert from "assert";
import { policies } from "../../policies";
import { BROKER_TYPE } from "../../policies/lib/broker";
import { CONFIGURATION_TYPE } from "../../policies/lib/configuration-facts";
import type { PackResourcePolicy } from "../../policies/lib/policy";
import { BrokerChange, BrokerInputs, compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import {
    activeMqConfiguration,
    NATIVE_TYPES,
    nativeBroker,
    nativeConfiguration,
    onNativeBroker,
    onNativeConfiguration,
    rabbitMqConfiguration,
    urnOf,
} from "../support/native";
import { analyze, CallOptions, notApplicableReason, remediate, secret, testPassword, unknown, Violation } from "../support/runtime";

const resourcePolicies = policies.filter((p): p is PackResourcePolicy => "validateResource" in p);

/** One resource of the corpus, written in aws's shape; its aws-native twin is built from it. */
interface Case {
    title: string;
    kind: "broker" | "configuration";
    props: Record<string, unknown>;
    /** The logical (resource) name; the default is the one every spec uses. */
    name?: string;
}

const KINDS = {
    broker: { awsType: BROKER_TYPE, nativeType: NATIVE_TYPES.broker, toNative: nativeBroker, on: onNativeBroker, defaultName: "orders-broker" },
    configuration: { awsType: CONFIGURATION_TYPE, nativeType: NATIVE_TYPES.configuration, toNative: nativeConfiguration, on: onNativeConfiguration, defaultName: "orders-config" },
} as const;

const ENGINES: ReadonlyArray<{ engine: string; golden: () => BrokerInputs }> = [
    { engine: "ActiveMQ", golden: compliantActiveMq },
    { engine: "RabbitMQ", golden: compliantRabbitMq },
];

const weak = testPassword("password1234");
const secretPassword = testPassword("Zr8kLw3nQp6tVx1cMd5h");

/** One-property changes (two where one alone cannot reach the rule), for both engines. */
const BROKER_CHANGES: ReadonlyArray<{ title: string; change: BrokerChange }> = [
    { title: "publicly accessible", change: { publiclyAccessible: true } },
    { title: "publiclyAccessible absent", change: { publiclyAccessible: undefined } },
    { title: "single instance", change: { deploymentMode: "SINGLE_INSTANCE" } },
    { title: "deploymentMode absent (SINGLE_INSTANCE by default)", change: { deploymentMode: undefined } },
    { title: "the other engine's multi-AZ mode", change: { deploymentMode: "ACTIVE_STANDBY_MULTI_AZ_OR_CLUSTER" } },
    { title: "one subnet", change: { subnetIds: ["subnet-0a1b2c3d4e5f60001"] } },
    { title: "an AWS owned key", change: { encryptionOptions: { useAwsOwnedKey: true } } },
    { title: "encryptionOptions absent", change: { encryptionOptions: undefined } },
    { title: "a customer key by alias", change: { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: "alias/orders" } } },
    { title: "a weak password", change: { users: [{ username: "orders-app", password: weak }] } },
    { title: "a password that echoes the username", change: { users: [{ username: "orders-app", password: testPassword("orders-app-Orders-app-1") }] } },
    { title: "a password as a secret", change: { users: [{ username: "orders-app", password: secret(secretPassword) }] } },
    { title: "a short secret password", change: { users: [{ username: "orders-app", password: secret(testPassword("Sh0rt-Pw")) }] } },
    { title: "users absent", change: { users: undefined } },
    { title: "an email address in brokerName", change: { brokerName: "orders-jane.doe@example.com" } },
    { title: "characters AWS rejects in brokerName", change: { brokerName: "orders broker!" } },
    { title: "brokerName absent (the resource name is judged)", change: { brokerName: undefined } },
    { title: "an email address as a username", change: { users: [{ username: "john.smith@example.com", password: testPassword("Jq5wXt8rVn2mLp4sKc7b") }] } },
    { title: "an email address in a tag value", change: { tags: { team: "payments", owner: "jane.doe@example.com" } } },
    // (Its key sorts first, as the engine sends aws's map, and is first in aws-native's list: tag #1 in both.)
    { title: "an email address as a tag key", change: { tags: { "jane.doe@example.com": "owner", team: "payments" } } },
    { title: "a phone number in a tag value", change: { tags: { team: "payments", oncall: "+1 415 555 0132" } } },
    { title: "tags absent", change: { tags: undefined } },
    { title: "tags empty", change: { tags: {} } },
    { title: "only aws: tags", change: { tags: { "aws:cloudformation:stack-name": "orders" } } },
    { title: "an old engine version", change: { engineVersion: "5.15" } },
    { title: "an unknown engine version", change: { engineVersion: "9.9" } },
    { title: "a full engine version", change: { engineVersion: "5.18.4" } },
    { title: "engineVersion absent", change: { engineVersion: undefined } },
    { title: "automatic minor version upgrades off", change: { autoMinorVersionUpgrade: false } },
    { title: "autoMinorVersionUpgrade absent", change: { autoMinorVersionUpgrade: undefined } },
    { title: "a small instance", change: { hostInstanceType: "mq.t3.micro" } },
    { title: "an unknown instance type", change: { hostInstanceType: "mq.x9.huge" } },
    { title: "no logs", change: { logs: undefined } },
    { title: "general logs off", change: { logs: { general: false, audit: true } } },
    { title: "audit logs on", change: { logs: { general: true, audit: true } } },
    { title: "LDAP without ldapServerMetadata", change: { authenticationStrategy: "LDAP" } },
    { title: "simple authentication written out", change: { authenticationStrategy: "simple" } },
    {
        title: "LDAP with a service account in a host URL", change: {
            authenticationStrategy: "LDAP",
            ldapServerMetadata: {
                hosts: [`ldaps://svc:${testPassword("Ld4p-Host-Pw9")}@ldap.example.com`],
                roleBase: "ou=groups,dc=example,dc=com", roleSearchMatching: "(member={0})",
                userBase: "ou=users,dc=example,dc=com", userSearchMatching: "(uid={0})",
                serviceAccountUsername: "jane.doe@example.com", serviceAccountPassword: secret(testPassword("Ld4p-Svc-Pw7x")),
            },
        },
    },
    { title: "CRDR without a replication user", change: { dataReplicationMode: "CRDR" } },
    {
        title: "a replication user with console access", change: {
            dataReplicationMode: "CRDR",
            users: [{ username: "orders-replica", password: testPassword("Rp9vKx2mWq7tLn4c"), replicationUser: true, consoleAccess: true }],
        },
    },
    { title: "ebs storage", change: { storageType: "ebs" } },
    { title: "efs storage", change: { storageType: "efs" } },
    { title: "ebs storage on a single instance", change: { storageType: "ebs", deploymentMode: "SINGLE_INSTANCE" } },
    { title: "engineType in capitals, as aws-native's enum writes it", change: { engineType: "ACTIVEMQ" } },
    { title: "an engine Amazon MQ does not have", change: { engineType: "Kafka" } },
    { title: "engineType absent", change: { engineType: undefined } },
    { title: "a configuration", change: { configuration: { id: "c-5e0b7d2a-91f4-4c3e-8f26-3a7d9b1c4e60", revision: 2 } } },
    { title: "tags as a secret, with an email address", change: { tags: secret({ team: "payments", owner: "jane.doe@example.com" }) } },
    { title: "brokerName as a secret, with an email address", change: { brokerName: secret("orders-jane.doe@example.com") } },
    { title: "users as a secret, with a weak password", change: { users: secret([{ username: "orders-app", password: weak }]) } },
    { title: "a wrong type for publiclyAccessible", change: { publiclyAccessible: "yes" } },
    { title: "a wrong type for users", change: { users: "orders-app" } },
    { title: "a wrong type for tags", change: { tags: "team=payments" } },
    // Unknown during preview: each property alone.
    ...([
        ["brokerName", unknown.string], ["engineType", unknown.string], ["engineVersion", unknown.string],
        ["deploymentMode", unknown.string], ["hostInstanceType", unknown.string], ["publiclyAccessible", unknown.boolean],
        ["autoMinorVersionUpgrade", unknown.boolean], ["storageType", unknown.string], ["subnetIds", unknown.array],
        ["encryptionOptions", unknown.object], ["logs", unknown.object], ["users", unknown.array], ["tags", unknown.object],
        ["authenticationStrategy", unknown.string], ["dataReplicationMode", unknown.string],
    ] as const).map(([key, value]) => ({ title: `${key} unknown`, change: { [key]: value } as BrokerChange })),
    { title: "a tag value unknown", change: { tags: { team: "payments", owner: unknown.string } } },
    { title: "a password unknown", change: { users: [{ username: "orders-app", password: unknown.string }] } },
    { title: "a username unknown", change: { users: [{ username: unknown.string, password: testPassword("Kp4wRt7vXn2cLm9s") }] } },
    { title: "the KMS key unknown", change: { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: unknown.string } } },
    { title: "logs.general unknown", change: { logs: { general: unknown.boolean, audit: true } } },
];

const brokerCases: Case[] = ENGINES.flatMap(({ engine, golden }) => [
    { title: `the golden ${engine} broker`, kind: "broker" as const, props: golden() },
    ...BROKER_CHANGES.map(({ title, change }) => ({ title: `${engine}: ${title}`, kind: "broker" as const, props: withChange(golden(), change) })),
    {
        title: `${engine}: brokerName absent and a resource name with an email address`, kind: "broker" as const,
        props: withChange(golden(), { brokerName: undefined }), name: "orders-jane.doe@example.com",
    },
    {
        title: `${engine}: brokerName absent and a 45-character resource name`, kind: "broker" as const,
        props: withChange(golden(), { brokerName: undefined }), name: "orders-" + "x".repeat(38),
    },
]);

function withData(base: Record<string, unknown>, data: unknown): Record<string, unknown> {
    const result = { ...base, data };
    if (data === undefined) {
        delete result.data;
    }
    return result;
}

const credential = testPassword("Cf9vNq2xLw7tRk4m");
const configurationCases: Case[] = [
    { title: "the golden ActiveMQ configuration", props: activeMqConfiguration() },
    { title: "the golden RabbitMQ configuration", props: rabbitMqConfiguration() },
    {
        title: "ActiveMQ: user:password in a networkConnector uri",
        props: activeMqConfiguration(String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${credential}@b-1`)),
    },
    {
        title: "ActiveMQ: a literal password attribute",
        props: activeMqConfiguration(String(activeMqConfiguration().data).replace('userName="bridge"', `userName="bridge" password="${credential}"`)),
    },
    { title: "RabbitMQ: a literal LDAP bind password", props: rabbitMqConfiguration(`auth_ldap.dn_lookup_bind.password = ${credential}\n`) },
    { title: "ActiveMQ: XML that is not well-formed", props: activeMqConfiguration("<broker><plugins></broker>") },
    { title: "ActiveMQ: an element Amazon MQ does not permit", props: activeMqConfiguration("<broker><jaasAuthenticationPlugin/></broker>") },
    { title: "ActiveMQ: another root element", props: activeMqConfiguration("<beans/>") },
    { title: "RabbitMQ: a line that is not key = value", props: rabbitMqConfiguration("consumer_timeout 1800000\n") },
    { title: "RabbitMQ: an OAuth 2.0 URL over http", props: rabbitMqConfiguration("auth_oauth2.issuer = http://idp.example.com\n") },
    {
        title: "ActiveMQ: no authorization map",
        props: activeMqConfiguration('<broker xmlns="http://activemq.apache.org/schema/core"><plugins><statisticsBrokerPlugin/></plugins></broker>'),
    },
    { title: "RabbitMQ: security headers turned off", props: rabbitMqConfiguration("secure.management.http.headers.enabled = false\n") },
    { title: "ActiveMQ: LDAP authentication", props: { ...activeMqConfiguration("<broker/>"), authenticationStrategy: "LDAP" } },
    { title: "ActiveMQ: data as a secret", props: withData(activeMqConfiguration(), secret(String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${credential}@b-1`))) },
    { title: "ActiveMQ: data unknown", props: withData(activeMqConfiguration(), unknown.string) },
    { title: "ActiveMQ: data redacted by the CLI", props: withData(activeMqConfiguration(), "[secret]") },
    { title: "ActiveMQ: data absent", props: withData(activeMqConfiguration(), undefined) },
    { title: "RabbitMQ: data absent", props: withData(rabbitMqConfiguration(), undefined) },
    { title: "ActiveMQ: engineType unknown", props: { ...activeMqConfiguration(), engineType: unknown.string } },
    {
        title: "ACTIVEMQ (aws-native's spelling) without an authorization map",
        props: { ...activeMqConfiguration("<broker><plugins><statisticsBrokerPlugin/></plugins></broker>"), engineType: "ACTIVEMQ" },
    },
    { title: "ActiveMQ: authenticationStrategy unknown", props: { ...activeMqConfiguration("<broker/>"), authenticationStrategy: unknown.string } },
    { title: "ActiveMQ: tags with an email address", props: { ...activeMqConfiguration(), tags: { owner: "jane.doe@example.com" } } },
].map(c => ({ ...c, kind: "configuration" as const }));

const corpus: Case[] = [...brokerCases, ...configurationCases];

interface Judgement {
    violations: Array<Pick<Violation, "message" | "enforcementLevel">>;
    notApplicable: string | undefined;
}

/** The policy's level for the corpus: its own, or advisory for one disabled by default (so it runs). */
function levelFor(policy: PackResourcePolicy): CallOptions {
    return policy.enforcementLevel === "disabled" ? { enforcementLevel: "advisory" } : {};
}

async function judge(policy: PackResourcePolicy, props: Record<string, unknown>, options: CallOptions): Promise<Judgement> {
    const violations = (await analyze(policy, props, options)).map(v => ({ message: v.message, enforcementLevel: v.enforcementLevel }));
    return { violations, notApplicable: await notApplicableReason(policy, props, options) };
}

function optionsFor(c: Case, provider: "aws" | "native", policy: PackResourcePolicy): CallOptions {
    const kind = KINDS[c.kind];
    const name = c.name ?? kind.defaultName;
    const type = provider === "aws" ? kind.awsType : kind.nativeType;
    return { ...levelFor(policy), type, name, urn: urnOf(type, name) };
}

function policiesFor(c: Case): PackResourcePolicy[] {
    return resourcePolicies.filter(p => p.types.includes(KINDS[c.kind].awsType));
}

interface Outcome {
    c: Case;
    policy: PackResourcePolicy;
    aws: Judgement;
    native: Judgement;
}

describe("aws-native resource policies", () => {
    const outcomes: Outcome[] = [];

    before(async function () {
        this.timeout(120_000);
        for (const c of corpus) {
            const nativeProps = KINDS[c.kind].toNative(c.props);
            for (const policy of policiesFor(c)) {
                outcomes.push({
                    c,
                    policy,
                    aws: await judge(policy, c.props, optionsFor(c, "aws", policy)),
                    native: await judge(policy, nativeProps, optionsFor(c, "native", policy)),
                });
            }
        }
    });

    it("routes every resource policy of the pack to the aws-native type of each aws type it judges", () => {
        assert.ok(resourcePolicies.length >= 10, `only ${resourcePolicies.length} resource policies found`);
        for (const policy of resourcePolicies) {
            const judged = Object.values(KINDS).filter(k => policy.types.includes(k.awsType));
            assert.ok(judged.length > 0, `${policy.name} judges neither brokers nor configurations`);
            for (const kind of judged) {
                assert.ok(policy.types.includes(kind.nativeType), `${policy.name} does not judge ${kind.nativeType}`);
            }
        }
    });

    it("builds the aws-native twin of every corpus resource in aws-native's shape (tags a list, data base64)", () => {
        const broker = nativeBroker({ ...compliantActiveMq(), applyImmediately: true, tagsAll: { team: "payments" } });
        assert.deepStrictEqual(broker.tags, [{ key: "team", value: "payments" }, { key: "environment", value: "prod" }]);
        assert.ok(!("applyImmediately" in broker) && !("tagsAll" in broker));
        const configuration = nativeConfiguration(activeMqConfiguration());
        assert.strictEqual(Buffer.from(String(configuration.data), "base64").toString("utf8"), activeMqConfiguration().data);
        assert.strictEqual(nativeConfiguration(withData(activeMqConfiguration(), unknown.string)).data, unknown.string);
        const secretData = nativeConfiguration(withData(activeMqConfiguration(), secret("<broker/>"))).data as unknown as { value: string };
        assert.strictEqual(Buffer.from(secretData.value, "base64").toString("utf8"), "<broker/>");
    });

    /**
     * The one place where the providers differ in what AWS does, not in how it is written: an absent
     * autoMinorVersionUpgrade is false with @pulumi/aws (the provider sends false) and true with aws-native (the
     * API's default). Each such case must differ exactly there: aws flags it, aws-native does not.
     */
    const providerDefault = (c: Case, policy: PackResourcePolicy) =>
        policy.name === "mq-broker-auto-minor-version-upgrade" && c.kind === "broker" && c.props.autoMinorVersionUpgrade === undefined;

    for (const c of corpus) {
        it(`judges ${c.title} alike under aws and aws-native`, () => {
            const ours = outcomes.filter(o => o.c === c);
            assert.strictEqual(ours.length, policiesFor(c).length, "the corpus did not run (see the before hook)");
            for (const { policy, aws, native } of ours) {
                if (providerDefault(c, policy)) {
                    assert.match(aws.violations[0]?.message ?? "", /autoMinorVersionUpgrade is not set, and the provider default is false/);
                    assert.deepStrictEqual(native.violations, [], `${policy.name} on ${c.title}: aws-native's default is true`);
                    continue;
                }
                assert.deepStrictEqual(native, aws, `${policy.name} on ${c.title}`);
            }
        });
    }

    it("compares at least one broker whose autoMinorVersionUpgrade is absent (the providers' defaults differ)", () => {
        assert.ok(outcomes.some(o => providerDefault(o.c, o.policy)));
    });

    it("makes every resource policy report a finding on some resource of the corpus, under both providers", () => {
        for (const policy of resourcePolicies) {
            const fired = outcomes.filter(o => o.policy === policy);
            assert.ok(fired.some(o => o.aws.violations.length > 0), `${policy.name} never fired under aws: the corpus cannot prove it judges alike`);
            assert.ok(fired.some(o => o.native.violations.length > 0), `${policy.name} never fired under aws-native`);
        }
    });

    it("never names, under aws-native, a property aws-native does not have", () => {
        for (const { policy, c, native } of outcomes) {
            for (const { message } of native.violations) {
                assert.ok(!/\b(tagsAll|applyImmediately)\b/.test(message), `${policy.name} on ${c.title}: ${message}`);
            }
        }
    });

    it("answers a resource of the other kind (a configuration to a broker policy, and back) alike: not applicable, naming both types", async () => {
        for (const policy of resourcePolicies) {
            for (const kind of Object.values(KINDS).filter(k => !policy.types.includes(k.awsType))) {
                const golden = kind === KINDS.broker ? compliantActiveMq() : activeMqConfiguration();
                const aws = await notApplicableReason(policy, golden, { ...levelFor(policy), type: kind.awsType, urn: urnOf(kind.awsType, "x"), name: "x" });
                const native = await notApplicableReason(policy, kind.toNative(golden), { ...levelFor(policy), ...kind.on("x") });
                assert.strictEqual(native, aws, policy.name);
                for (const type of policy.types) {
                    assert.ok(String(aws).includes(`'${type}'`), `${policy.name}: ${aws}`);
                }
            }
        }
    });

    it("makes every policy that can say it does not apply say so on some resource of the corpus", () => {
        const saying = new Set(outcomes.filter(o => o.aws.notApplicable !== undefined && o.native.notApplicable !== undefined).map(o => o.policy.name));
        // At least the engine-specific ones (durable storage: ActiveMQ only; LDAP: ActiveMQ only; least privilege with LDAP).
        assert.ok(saying.size >= 3, `only ${[...saying].join(", ")} said not-applicable`);
    });

    describe("remediation", () => {
        const remediating = resourcePolicies.filter(p => p.remediateResource);

        it("has policies that remediate (so these tests are not vacuous)", () => {
            assert.ok(remediating.length >= 1);
        });

        it("returns aws-native-shaped properties with the same fix as aws, or leaves both alone", async function () {
            this.timeout(60_000);
            let fixed = 0;
            for (const c of corpus) {
                for (const policy of remediating.filter(p => p.types.includes(KINDS[c.kind].awsType))) {
                    const aws = await remediate(policy, c.props, optionsFor(c, "aws", policy));
                    const nativeProps = KINDS[c.kind].toNative(c.props);
                    const native = await remediate(policy, nativeProps, optionsFor(c, "native", policy));
                    if (providerDefault(c, policy)) {
                        // aws sets the property false by default, so it is fixed; aws-native's default is already true.
                        assert.strictEqual(aws?.autoMinorVersionUpgrade, true, c.title);
                        assert.strictEqual(native, undefined, `${policy.name} changed ${c.title} under aws-native`);
                        continue;
                    }
                    if (aws === undefined) {
                        assert.strictEqual(native, undefined, `${policy.name} remediated ${c.title} under aws-native only`);
                        continue;
                    }
                    fixed++;
                    assert.ok(native !== undefined, `${policy.name} remediated ${c.title} under aws only`);
                    // A map has no order (the engine sends aws's tags sorted by key); aws-native's list comes back as it went.
                    const expected: Record<string, unknown> = KINDS[c.kind].toNative(aws);
                    if ("tags" in nativeProps) {
                        assert.deepStrictEqual(native.tags, nativeProps.tags, `${policy.name} on ${c.title}: tags`);
                        expected.tags = nativeProps.tags;
                    }
                    assert.deepStrictEqual(native, expected, `${policy.name} on ${c.title}`);
                }
            }
            assert.ok(fixed >= 4, `only ${fixed} remediations in the corpus`);
        });

        it("keeps tags a list and secret passwords secret on an aws-native broker it fixes", async () => {
            const broker = withChange(compliantActiveMq(), {
                logs: undefined,
                autoMinorVersionUpgrade: false,
                users: [{ username: "orders-app", password: secret(secretPassword) }],
            });
            for (const policy of remediating) {
                const result = await remediate(policy, nativeBroker(broker), onNativeBroker());
                assert.ok(result, `${policy.name} fixed nothing`);
                assert.deepStrictEqual(result.tags, [{ key: "team", value: "payments" }, { key: "environment", value: "prod" }]);
                const users = result.users as Array<Record<string, unknown>>;
                assert.deepStrictEqual(Object.keys(users[0].password as object).sort(), ["4dabf18193072939515e22adb298388d", "value"].sort());
                assert.ok(!("tagsAll" in result) && !("applyImmediately" in result));
            }
        });

        it("keeps an aws-native broker's tag whose value is unknown as it was", async () => {
            const broker = withChange(compliantActiveMq(), { logs: undefined, tags: { team: "payments", owner: unknown.string } });
            for (const policy of remediating) {
                const result = await remediate(policy, nativeBroker(broker), onNativeBroker());
                if (result) {
                    assert.deepStrictEqual(result.tags, [{ key: "team", value: "payments" }, { key: "owner", value: unknown.string }]);
                }
            }
        });

        it("keeps an aws-native broker's tag whose key is unknown as it was, and adds no tagsAll", async () => {
            const tags = [{ key: unknown.string, value: "payments" }, { key: "environment", value: "prod" }];
            const broker = { ...nativeBroker(withChange(compliantActiveMq(), { logs: undefined, autoMinorVersionUpgrade: false })), tags };
            for (const policy of remediating) {
                const result = await remediate(policy, broker, onNativeBroker());
                assert.ok(result, `${policy.name} fixed nothing`);
                assert.deepStrictEqual(result.tags, tags);
                assert.ok(!("tagsAll" in result));
            }
        });
    });
});
