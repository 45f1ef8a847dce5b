// `pulumi policy publish` boots the pack without a stack: Handshake, then GetAnalyzerInfo, with no ConfigureStack
// and no Configure. What it reads there is what Pulumi Cloud shows: the catalogue, its metadata and each policy's
// config schema, which must be one the engine accepts (its defaults validate).
import * as assert from "assert";
import Ajv from "ajv";
import { reconcilePolicyPackConfig } from "../../engine/config";
import { BootedPack, bootPack } from "../../engine/session";
import { policies } from "../../policies";
import { assertNoPackLeft, PACK_DIR, PACK_NAME, PACK_VERSION } from "./support";

describe("integration: a publish-style boot", function () {
    this.timeout(60_000);
    let pack: BootedPack | undefined;

    before(async () => {
        pack = await bootPack(PACK_DIR);
    });
    after(async () => {
        await pack?.close();
        assertNoPackLeft();
    });

    it("answers GetAnalyzerInfo with the pack's name and the version of package.json", () => {
        assert.strictEqual(pack!.info.name, PACK_NAME);
        assert.strictEqual(pack!.info.version, PACK_VERSION);
        assert.ok(pack!.port > 0);
        assert.ok(pack!.timings.port > 0 && pack!.timings.info >= pack!.timings.port);
    });

    it("lists every policy with the metadata Pulumi Cloud shows", () => {
        assert.deepStrictEqual(pack!.info.policies.map(p => p.name), policies.map(p => p.name));
        for (const p of pack!.info.policies) {
            assert.ok(p.description.length > 10, `${p.name} description`);
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity), `${p.name} severity`);
            assert.ok(["advisory", "mandatory", "remediate", "disabled"].includes(p.enforcementLevel), `${p.name} level`);
            assert.ok(p.remediationSteps.length > 10, `${p.name} remediation steps`);
            assert.match(p.url, /^https:\/\//, `${p.name} url`);
            assert.ok(p.tags.length > 0, `${p.name} tags`);
            assert.ok(p.policyType === "resource" || p.policyType === "stack", `${p.name} type`);
        }
    });

    it("publishes a config schema per policy with exclude, advisoryStackTags and a default for every setting", () => {
        const ajv = new Ajv({ strict: false });
        for (const p of pack!.info.policies) {
            const schema = p.configSchema;
            assert.ok(schema, `${p.name} has a config schema`);
            assert.ok("exclude" in schema.properties && "advisoryStackTags" in schema.properties, p.name);
            for (const [key, setting] of Object.entries(schema.properties)) {
                assert.ok("default" in setting, `${p.name}.${key} has a default`);
            }
            assert.doesNotThrow(() => ajv.compile({ type: "object", properties: schema.properties, required: schema.required }));
        }
    });

    it("has defaults the engine accepts, so a stack with no policy config starts", () => {
        const config = reconcilePolicyPackConfig(pack!.info.policies, pack!.info.initialConfig, undefined);
        assert.deepStrictEqual(Object.keys(config), pack!.info.policies.map(p => p.name));
    });
});
