// The ready configs in config/ say what the README says they do, and pass the engine's validation.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parsePolicyPackConfig, PolicyConfigError, reconcilePolicyPackConfig } from "../engine/config";
import { policies } from "../policies";
import { mqBrokerUserCredentials } from "../policies/mq-broker-user-credentials";
import { compliantActiveMq } from "./support/fixtures";
import { analyze } from "./support/runtime";

const infos = policies.map(p => ({ name: p.name, enforcementLevel: p.enforcementLevel, configSchema: p.configSchema }));

function load(file: string) {
    const text = fs.readFileSync(path.resolve(__dirname, "..", "config", file), "utf8");
    const reconciled = reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(text, file));
    for (const p of policies) {
        assert.deepStrictEqual(p.validateConfig(reconciled[p.name].properties ?? {}), [], `${file}: ${p.name} settings are valid`);
    }
    return reconciled;
}

describe("config files", () => {
    it("config/dev.json makes every policy advisory, and leaves a policy disabled by default disabled", () => {
        const config = load("dev.json");
        assert.ok(policies.some(p => p.enforcementLevel === "disabled"), "the pack has a policy disabled by default");
        for (const p of policies) {
            assert.strictEqual(config[p.name].enforcementLevel, p.enforcementLevel === "disabled" ? "disabled" : "advisory", p.name);
        }
        assert.ok(!("all" in JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "config", "dev.json"), "utf8"))));
    });

    it("\"all\" switches on a policy disabled by default, as the engine's applyConfig does (why dev.json lists each policy)", () => {
        const config = reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(JSON.stringify({ all: "advisory" })));
        for (const p of policies.filter(q => q.enforcementLevel === "disabled")) {
            assert.strictEqual(config[p.name].enforcementLevel, "advisory", p.name);
        }
    });

    it("config/prod.json states exactly the defaults, for every policy", () => {
        const text = fs.readFileSync(path.resolve(__dirname, "..", "config", "prod.json"), "utf8");
        assert.deepStrictEqual(Object.keys(JSON.parse(text)).sort(), policies.map(p => p.name).sort());
        assert.deepStrictEqual(load("prod.json"), reconcilePolicyPackConfig(infos, undefined, {}));
    });

    it("config/strict.json makes everything mandatory, requires customer-managed keys and turns LDAP on", () => {
        const config = load("strict.json");
        for (const p of policies) {
            assert.strictEqual(config[p.name].enforcementLevel, "mandatory", p.name);
        }
        assert.strictEqual(config["mq-broker-kms-encryption"].properties!.minimumKeyManagement, "customer-managed");
        assert.strictEqual(config["mq-broker-ldap-authentication"].enforcementLevel, "mandatory");
    });
});

describe("policy config as the engine reads it", () => {
    it("applies \"all\" first and a policy's own level after it", () => {
        const config = reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(JSON.stringify({
            all: "advisory", "mq-broker-no-public-access": "mandatory",
        })));
        assert.strictEqual(config["mq-broker-no-public-access"].enforcementLevel, "mandatory");
        assert.strictEqual(config["mq-broker-logging"].enforcementLevel, "advisory");
    });

    it("fills schema defaults under a policy's partial settings", () => {
        const config = reconcilePolicyPackConfig(infos, undefined, { "mq-broker-user-credentials": { properties: { allowConsoleAccess: false } } });
        assert.deepStrictEqual(config["mq-broker-user-credentials"].properties, {
            minimumPasswordLength: 16, allowConsoleAccess: false, exclude: [], advisoryStackTags: {},
            exemptions: [], maximumExemptionDays: 365, exemptionWarningDays: 14,
        });
    });

    it("rejects a setting of the wrong type with the policy name and the property", () => {
        assert.throws(
            () => reconcilePolicyPackConfig(infos, undefined, { "mq-broker-kms-encryption": { properties: { minimumKeyManagement: "none" } } }),
            (e: unknown) => e instanceof PolicyConfigError && /mq-broker-kms-encryption: minimumKeyManagement: minimumKeyManagement must be one of the following: "aws-owned", "aws-managed", "customer-managed"/.test(e.message),
        );
    });

    it("rejects an invalid enforcement level and a file that is not a JSON object", () => {
        assert.throws(() => parsePolicyPackConfig(`{"mq-broker-logging": "block"}`), /the value of "mq-broker-logging" is not a valid enforcement level/);
        assert.throws(() => parsePolicyPackConfig(`[1, 2]`), /must be a JSON object/);
        assert.throws(() => parsePolicyPackConfig(`{"mq-broker-logging": `), /not valid JSON/);
        assert.throws(() => parsePolicyPackConfig(`{"mq-broker-logging": 3}`), /is a number; expected an enforcement level or an object of settings/);
    });

    it("keeps \"all\" and names that are not policies, as the engine sends them in Configure", () => {
        const config = reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(JSON.stringify({
            all: "mandatory", "mq-broker-typo": "advisory",
        })));
        assert.deepStrictEqual(config["all"], { enforcementLevel: "mandatory", properties: undefined });
        assert.deepStrictEqual(config["mq-broker-typo"], { enforcementLevel: "advisory", properties: undefined });
        assert.strictEqual(config["mq-broker-logging"].enforcementLevel, "mandatory");
    });

    it("refuses settings without an enforcementLevel under a name that is not a policy, or under \"all\" (the engine's Configure fails)", () => {
        for (const name of ["mq-broker-typo", "all"]) {
            assert.throws(
                () => reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(JSON.stringify({ [name]: { exclude: ["x"] } }))),
                (e: unknown) => e instanceof PolicyConfigError && e.message.startsWith(`configuring policy pack: ${name}: `) &&
                    /invalid enforcement level ""/.test(e.message),
                name,
            );
        }
        // With a level it is accepted (and ignored by the pack).
        assert.doesNotThrow(() => reconcilePolicyPackConfig(infos, undefined, { "mq-broker-typo": { enforcementLevel: "advisory", properties: { exclude: ["x"] } } }));
    });

    it("makes a misspelled setting an error naming it and the setting meant, at the policy's level", async () => {
        const policy = mqBrokerUserCredentials;
        const errors = policy.validateConfig({ minimumPaswordLength: 40 });
        assert.strictEqual(errors.length, 1);
        // Then every setting of the policy, its own first (the shared ones may grow).
        assert.ok(errors[0].startsWith("\"minimumPaswordLength\" is not a setting of this policy (did you mean minimumPasswordLength?); " +
            "its settings are minimumPasswordLength, allowConsoleAccess, exclude, advisoryStackTags"), errors[0]);
        // Through the engine's reconciliation (which cannot refuse it: see unknownSettings in policies/lib/policy.ts),
        // the policy reports the mistake on every broker instead of judging with the default left in force.
        const violations = await analyze(policy, compliantActiveMq(), { config: { minimumPaswordLength: 40 } });
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /The policy config of mq-broker-user-credentials is invalid: "minimumPaswordLength" is not a setting/);
    });

    it("bounds the error for many or huge unknown settings", () => {
        const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`${"x".repeat(10_000)}${i}`, 1]));
        const [error] = mqBrokerUserCredentials.validateConfig(many);
        assert.ok(error.length < 1000, `${error.length} characters`);
        assert.match(error, /and 997 more unknown settings/);
    });

    it("does not let the engine refuse unknown settings: the SDK sends only properties and required", async () => {
        // The SDK's GetAnalyzerInfo: PolicyConfigSchema carries properties and required, nothing else, so a
        // schema-level additionalProperties could never reach the engine's validator.
         
        const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil");
        const info = makeAnalyzerInfo("pack", "1.0.0", "mandatory", {
            policies: [{ name: "p", description: "d", enforcementLevel: "mandatory", validateResource: () => undefined,
                configSchema: { properties: { a: { type: "string" } }, additionalProperties: false } }],
        }, undefined);
        assert.deepStrictEqual(Object.keys(info.getPoliciesList()[0].getConfigschema().toObject()).sort(), ["properties", "requiredList"]);
    });

    it("accepts an empty file as no config, as the engine does", () => {
        assert.deepStrictEqual(parsePolicyPackConfig("  \n"), {});
    });
});
