// One preview as the engine runs it: ConfigureStack with the stack's tags and config, Configure, then Remediate
// and Analyze for each resource (Analyze sees the remediated properties), AnalyzeStack once with every resource,
// Cancel. The specs then check what came back: advisoryStackTags applied through the stack's tags, remediation,
// unknown values, secrets and the engine's internal `__` keys.
import * as assert from "assert";
import { PolicyPackConfig } from "../../engine/config";
import { secret, SIG_KEY, SECRET_SIG, unknown } from "../../engine/properties";
import { AnalyzerResourceInput, Diagnostic, PackSession, Remediation, startPack } from "../../engine/session";
import { policies } from "../../policies";
import { encodeAnalyzeRequest, encodeStackResource } from "../engine/reference-encoder";
import { compliantActiveMq, compliantRabbitMq, withChange } from "../support/fixtures";
import { passwordsSeen, testPassword } from "../support/runtime";
import { broker, closeAndCheck, PACK_DIR, resource, STACK, violatingBrokers } from "./support";

const registered = new Set(policies.map(p => p.name));
const REMEDIABLE = ["mq-broker-auto-minor-version-upgrade", "mq-broker-logging"].find(name =>
    policies.some(p => p.name === name && "remediateResource" in p && p.remediateResource));

const WEAK_SECRET_PASSWORD = testPassword("changeme-now");
/** A password the stack keeps in its configuration (`pulumi config set --secret mqAppPassword`). */
const CONFIG_PASSWORD = testPassword("Mv4tQz8pLw2nXr6kDs9h");
const STRONG_SECRET_PASSWORDS = [testPassword("Zq8mWv3nRt6yLp2xKb9c"), testPassword("Hd5kPw8sNc3vRm7tXq2z")];

/** The golden ActiveMQ broker (two users) with its passwords sent as secrets, as the engine sends `pulumi.secret`. */
function withSecretPasswords(passwords: string[]) {
    const golden = compliantActiveMq();
    return {
        ...golden,
        users: (golden.users as Array<Record<string, unknown>>).map((u, i) => ({ ...u, password: secret(passwords[i]) })),
    };
}

const resources: Record<string, AnalyzerResourceInput> = {
    // advisoryStackTags: the stack is tagged environment=dev and no-public-access downgrades on it.
    publicBroker: broker("public-broker", violatingBrokers["mq-broker-no-public-access"]()),
    // ...while high availability downgrades only on environment=staging, so it stays mandatory.
    singleAzBroker: broker("single-az-broker", withChange(compliantActiveMq(), { brokerName: "single-az", deploymentMode: "SINGLE_INSTANCE" })),
    // Remediation, with the engine's internal keys and secret passwords riding along.
    remediableBroker: broker("remediable-broker", {
        ...(REMEDIABLE ? violatingBrokers[REMEDIABLE]() : compliantActiveMq()),
        brokerName: "remediable",
        users: withSecretPasswords(STRONG_SECRET_PASSWORDS).users,
        __defaults: ["autoMinorVersionUpgrade"],
    }),
    // Preview of a broker whose inputs all come from resources not created yet.
    unknownBroker: broker("unknown-broker", {
        brokerName: unknown.string, engineType: unknown.string, engineVersion: unknown.string,
        hostInstanceType: unknown.string, deploymentMode: unknown.string, storageType: unknown.string,
        subnetIds: unknown.array, securityGroups: unknown.array, publiclyAccessible: unknown.boolean,
        autoMinorVersionUpgrade: unknown.boolean, encryptionOptions: unknown.object, logs: unknown.object,
        users: unknown.array, tags: unknown.object,
    }),
    nestedUnknownBroker: broker("nested-unknown-broker", withChange(compliantActiveMq(), {
        brokerName: "nested-unknown",
        users: [{ username: unknown.string, password: unknown.string, consoleAccess: unknown.boolean, groups: unknown.array }],
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: unknown.string },
        logs: { general: unknown.boolean, audit: unknown.boolean },
        subnetIds: [unknown.string, unknown.string],
        tags: { team: unknown.string },
    })),
    // One unknown never hides a known violation.
    unknownButPublic: broker("unknown-but-public", withChange(compliantActiveMq(), {
        brokerName: "unknown-but-public", engineVersion: unknown.string, logs: unknown.object, publiclyAccessible: true,
    })),
    // Secrets: the policies see the value (a weak one is still caught) but never print it.
    weakSecretBroker: broker("weak-secret-broker", { ...withSecretPasswords([WEAK_SECRET_PASSWORD, STRONG_SECRET_PASSWORDS[1]]), brokerName: "weak-secret" }),
    strongSecretBroker: broker("strong-secret-broker", { ...withSecretPasswords(STRONG_SECRET_PASSWORDS), brokerName: "strong-secret" }),
    // A password taken from the stack's configuration, which the pack receives in PULUMI_CONFIG.
    configBackedBroker: broker("config-backed-broker", {
        ...compliantRabbitMq(), brokerName: "config-backed", users: [{ username: "orders-app", password: CONFIG_PASSWORD }],
    }),
    // The engine's internal keys on an otherwise compliant broker.
    internalKeysBroker: broker("internal-keys-broker", {
        ...compliantActiveMq(), brokerName: "internal-keys", __defaults: ["storageType"], __meta: "{\"schema_version\":\"1\"}",
    }),
};
// A key whose outputs are unknown in a preview, feeding the unknown broker.
const unknownKey = resource("aws:kms/key:Key", "unknown-key", {
    arn: unknown.string, enableKeyRotation: unknown.boolean, isEnabled: unknown.boolean, deletionWindowInDays: unknown.number,
});

interface Outcome {
    remediations: Remediation[];
    diagnostics: Diagnostic[];
    properties: Record<string, unknown>;
}

describe("integration: a preview run through the engine's protocol", function () {
    this.timeout(60_000);
    let session: PackSession | undefined;
    const outcomes: Record<string, Outcome> = {};
    let stackDiagnostics: Diagnostic[] = [];

    before(async () => {
        const policyConfig: PolicyPackConfig = {
            "mq-broker-no-public-access": { properties: { advisoryStackTags: { environment: ["dev"] } } },
        };
        if (registered.has("mq-broker-high-availability")) {
            policyConfig["mq-broker-high-availability"] = { properties: { advisoryStackTags: { environment: ["staging"] } } };
        }
        if (REMEDIABLE) {
            policyConfig[REMEDIABLE] = { enforcementLevel: "remediate" };
        }
        if (registered.has("mq-stack-secret-backed-users")) {
            policyConfig["mq-stack-secret-backed-users"] = { properties: { allowStackConfig: true } };
        }
        session = await startPack({
            packDir: PACK_DIR,
            stack: {
                ...STACK, name: "dev", tags: { environment: "dev", team: "payments" }, dryRun: true,
                config: { "messaging:mqAppPassword": CONFIG_PASSWORD, "aws:region": "us-east-1" },
                configSecretKeys: ["messaging:mqAppPassword"],
            },
            policyConfig,
        });
        for (const [key, r] of Object.entries(resources)) {
            outcomes[key] = await session.remediateAndAnalyze(r);
        }
        // AnalyzeStack sees each resource as it will be: remediated properties, linked to what feeds it.
        const stack = Object.entries(resources).map(([key, r]) => ({ ...r, properties: outcomes[key].properties }));
        stack.find(r => r.name === "unknown-broker")!.propertyDependencies = { encryptionOptions: [unknownKey.urn] };
        stack.push(unknownKey);
        stackDiagnostics = await session.analyzeStack(stack);
    });
    after(() => closeAndCheck(session));

    const own = (key: string, policy: string) => outcomes[key].diagnostics.filter(d => d.policyName === policy);

    describe("advisoryStackTags through ConfigureStack", () => {
        it("reports advisory when the stack's tags match the policy's advisoryStackTags", () => {
            const found = own("publicBroker", "mq-broker-no-public-access");
            assert.strictEqual(found.length, 1);
            assert.strictEqual(found[0].enforcementLevel, "advisory");
            assert.match(found[0].message, /publiclyAccessible/);
        });

        it("keeps mandatory where the stack's tags do not match", function () {
            if (!registered.has("mq-broker-high-availability")) {
                this.skip();
            }
            const found = own("singleAzBroker", "mq-broker-high-availability");
            assert.ok(found.length > 0);
            found.forEach(d => assert.strictEqual(d.enforcementLevel, "mandatory"));
        });
    });

    describe("remediation through Remediate", () => {
        it("returns the fixed properties from the policy at the remediate level", function () {
            if (!REMEDIABLE) {
                this.skip();
            }
            const { remediations, properties } = outcomes.remediableBroker;
            assert.deepStrictEqual(remediations.map(r => r.policyName), [REMEDIABLE]);
            assert.ok(remediations[0].properties, "the remediation carries properties");
            if (REMEDIABLE === "mq-broker-auto-minor-version-upgrade") {
                assert.strictEqual(properties.autoMinorVersionUpgrade, true);
            } else {
                assert.deepStrictEqual(properties.logs, { general: true, audit: true });
            }
        });

        it("then reports nothing for that policy on the remediated broker", function () {
            if (!REMEDIABLE) {
                this.skip();
            }
            assert.deepStrictEqual(own("remediableBroker", REMEDIABLE!), []);
        });

        it("keeps secrets secret and the engine's internal keys in the remediated properties", function () {
            if (!REMEDIABLE) {
                this.skip();
            }
            const { properties } = outcomes.remediableBroker;
            // The engine sends `__` keys to Remediate (and only there); the SDK hands them back.
            assert.deepStrictEqual(properties.__defaults, ["autoMinorVersionUpgrade"]);
            const users = properties.users as Array<Record<string, unknown>>;
            assert.deepStrictEqual(users.map(u => u.password), STRONG_SECRET_PASSWORDS.map(value => ({ [SIG_KEY]: SECRET_SIG, value })));
        });

        it("leaves brokers alone where nothing needs fixing", () => {
            assert.deepStrictEqual(outcomes.strongSecretBroker.remediations, []);
            assert.deepStrictEqual(outcomes.internalKeysBroker.remediations, []);
        });
    });

    describe("unknown values", () => {
        it("gives no finding for a broker whose inputs are all unknown", () => {
            assert.deepStrictEqual(outcomes.unknownBroker.diagnostics.map(d => `${d.policyName}: ${d.message}`), []);
        });

        it("gives no finding for unknown values nested in users, encryption, logs, subnets and tags", () => {
            assert.deepStrictEqual(outcomes.nestedUnknownBroker.diagnostics.map(d => `${d.policyName}: ${d.message}`), []);
        });

        it("still reports a known violation beside unknown properties", () => {
            const names = outcomes.unknownButPublic.diagnostics.map(d => d.policyName);
            assert.deepStrictEqual(names, ["mq-broker-no-public-access"]);
        });

        it("never answers with the SDK's can't-run-during-preview diagnostic", () => {
            const all = [...Object.values(outcomes).flatMap(o => o.diagnostics), ...stackDiagnostics];
            assert.deepStrictEqual(all.filter(d => /can't run .* during preview/.test(d.message)).map(d => d.message), []);
        });

        it("judges no unknown broker or key in AnalyzeStack", () => {
            const urns = [resources.unknownBroker.urn, resources.nestedUnknownBroker.urn, unknownKey.urn];
            assert.deepStrictEqual(stackDiagnostics.filter(d => urns.includes(d.urn)).map(d => `${d.policyName}: ${d.message}`), []);
        });
    });

    describe("secrets", () => {
        it("sends a secret as the secret signature object", () => {
            const sent = encodeAnalyzeRequest(resources.weakSecretBroker).getProperties()!.toJavaScript() as any;
            assert.deepStrictEqual(sent.users[0].password, { [SIG_KEY]: SECRET_SIG, value: WEAK_SECRET_PASSWORD });
        });

        it("lets the policies judge a secret's value", function () {
            if (!registered.has("mq-broker-user-credentials")) {
                this.skip();
            }
            assert.ok(own("weakSecretBroker", "mq-broker-user-credentials").length > 0, "a weak secret password is caught");
            assert.deepStrictEqual(own("strongSecretBroker", "mq-broker-user-credentials"), []);
        });

        it("never shows a password in any message of the run", () => {
            const all = [...Object.values(outcomes).flatMap(o => o.diagnostics), ...stackDiagnostics];
            assert.ok(all.length > 0);
            for (const d of all) {
                for (const password of passwordsSeen) {
                    assert.ok(!d.message.includes(password), `${d.policyName} shows a password`);
                }
            }
        });
    });

    describe("stack configuration through PULUMI_CONFIG", () => {
        it("lets mq-stack-secret-backed-users accept a password from the stack's config (allowStackConfig)", function () {
            if (!registered.has("mq-stack-secret-backed-users")) {
                this.skip();
            }
            const flagged = (urn: string) => stackDiagnostics.some(d => d.policyName === "mq-stack-secret-backed-users" && d.urn === urn);
            assert.ok(flagged(resources.strongSecretBroker.urn), "a password from nowhere is flagged");
            assert.ok(!flagged(resources.configBackedBroker.urn), "a password from the stack's config is not");
        });
    });

    describe("the engine's internal keys", () => {
        it("drops `__` keys from Analyze and AnalyzeStack, keeps them for Remediate", () => {
            const analyzed = encodeAnalyzeRequest(resources.internalKeysBroker).getProperties()!.toJavaScript();
            const stacked = encodeStackResource(resources.internalKeysBroker).getProperties()!.toJavaScript();
            const remediated = encodeAnalyzeRequest(resources.internalKeysBroker, "Remediate").getProperties()!.toJavaScript();
            assert.deepStrictEqual(Object.keys(analyzed).filter(k => k.startsWith("__")), []);
            assert.deepStrictEqual(Object.keys(stacked).filter(k => k.startsWith("__")), []);
            assert.deepStrictEqual(Object.keys(remediated).filter(k => k.startsWith("__")).sort(), ["__defaults", "__meta"]);
        });

        it("analyzes a broker with internal keys like the same broker without them", async () => {
            const { __defaults, __meta, ...plain } = resources.internalKeysBroker.properties;
            assert.ok(__defaults && __meta);
            const without = await session!.analyze({ ...resources.internalKeysBroker, properties: plain });
            assert.deepStrictEqual(outcomes.internalKeysBroker.diagnostics, without);
        });
    });
});
