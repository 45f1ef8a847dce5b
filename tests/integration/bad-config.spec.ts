// A policy config that fails a policy's schema is rejected after GetAnalyzerInfo and before Configure, as the
// engine rejects it, with the schema error naming the policy and the setting; the pack process is ended.
import * as assert from "assert";
import { parsePolicyPackConfig, PolicyConfigError } from "../../engine/config";
import { startPack } from "../../engine/session";
import { assertNoPackLeft, PACK_DIR, STACK } from "./support";

describe("integration: a policy config the schema rejects", function () {
    this.timeout(60_000);
    let rejection: unknown;

    before(async () => {
        const config = parsePolicyPackConfig(JSON.stringify({
            "all": "mandatory",
            "mq-broker-no-public-access": { exclude: "legacy-broker" },
        }));
        try {
            const session = await startPack({ packDir: PACK_DIR, stack: STACK, policyConfig: config });
            await session.close();
        } catch (e) {
            rejection = e;
        }
    });
    after(() => assertNoPackLeft());

    it("fails with a PolicyConfigError that names the policy and the setting", () => {
        assert.ok(rejection instanceof PolicyConfigError, `rejected with ${String(rejection)}`);
        const error = rejection as PolicyConfigError;
        assert.match(error.message, /^validating policy config: /);
        assert.ok(error.details.length >= 1);
        assert.match(error.details[0], /^mq-broker-no-public-access: exclude\b/);
        assert.match(error.details[0], /array/);
    });

    it("leaves no pack process behind", () => {
        assertNoPackLeft();
    });
});
