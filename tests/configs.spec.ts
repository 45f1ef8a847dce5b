// The ready configs in config/ say what the README says they do, and pass the engine's validation.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parsePolicyPackConfig, PolicyConfigError, reconcilePolicyPackConfig } from "../engine/config";
import { policies } from "../policies";

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
    it("config/dev.json makes every policy advisory", () => {
        const config = load("dev.json");
        for (const p of policies) {
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

    it("accepts an empty file as no config, as the engine does", () => {
        assert.deepStrictEqual(parsePolicyPackConfig("  \n"), {});
    });
});
