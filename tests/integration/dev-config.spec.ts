// config/dev.json, read and reconciled as `--policy-pack-config config/dev.json` makes the engine do, turns every
// finding advisory: the violating broker of every resource policy (and stack of every stack policy) is reported,
// never as mandatory.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parsePolicyPackConfig } from "../../engine/config";
import { PackSession, startPack } from "../../engine/session";
import { closeAndCheck, PACK_DIR, STACK, violatingResource, violatingStacks } from "./support";

describe("integration: config/dev.json", function () {
    this.timeout(60_000);
    let session: PackSession | undefined;

    before(async () => {
        const file = path.join(PACK_DIR, "config", "dev.json");
        session = await startPack({
            packDir: PACK_DIR,
            stack: { ...STACK, name: "dev", tags: { environment: "dev" } },
            policyConfig: parsePolicyPackConfig(fs.readFileSync(file, "utf8"), file),
        });
    });
    after(() => closeAndCheck(session));

    // dev.json lists each policy (not "all", which the engine applies to disabled policies too): a policy
    // disabled by default stays disabled.
    const onByDefault = (p: { enforcementLevel?: string }) => p.enforcementLevel !== "disabled";

    it("sends every policy as advisory in Configure, except those disabled by default", () => {
        for (const p of session!.info.policies) {
            assert.strictEqual(session!.config[p.name]?.enforcementLevel, onByDefault(p) ? "advisory" : "disabled", p.name);
        }
    });

    it("reports every resource policy's violation as advisory", async () => {
        const resourcePolicies = session!.info.policies.filter(p => p.policyType === "resource" && onByDefault(p));
        const seen = new Set<string>();
        for (const p of resourcePolicies) {
            const diagnostics = await session!.analyze(violatingResource(p.name, `dev-${p.name}`)!);
            for (const d of diagnostics) {
                assert.strictEqual(d.enforcementLevel, "advisory", `${d.policyName} is advisory under dev.json`);
                seen.add(d.policyName);
            }
        }
        assert.deepStrictEqual([...seen].sort(), resourcePolicies.map(p => p.name).sort());
    });

    it("reports every stack policy's violation as advisory", async function () {
        const stackPolicies = session!.info.policies.filter(p => p.policyType === "stack" && onByDefault(p));
        if (stackPolicies.length === 0) {
            this.skip();
        }
        const diagnostics = await session!.analyzeStack(stackPolicies.flatMap((p, i) => violatingStacks[p.name](`d${i}`)));
        assert.ok(diagnostics.length > 0);
        for (const d of diagnostics) {
            assert.strictEqual(d.enforcementLevel, "advisory", `${d.policyName} is advisory under dev.json`);
        }
        assert.deepStrictEqual([...new Set(diagnostics.map(d => d.policyName))].sort(), stackPolicies.map(p => p.name).sort());
    });
});
