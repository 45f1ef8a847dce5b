// validate-config shows every error of a file at once: bad levels, schema errors and the policies' own checks
// (unknown settings, unsupported patterns), not one stage at a time. In process (cli/main.ts, the pack started as
// the command starts it); commands.spec.ts runs validate-config through the built command.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runMain } from "./support";

describe("validate-config: every error of a file at once", function () {
    this.timeout(60_000);

    it("reports a bad level, a schema error, a misspelled setting and an RE2-unsupported pattern together", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mq-validate-")), "config.json");
        fs.writeFileSync(file, JSON.stringify({
            "mq-broker-user-credentials": { enforcementLevel: "mandatory", minimumPaswordLength: 40 },
            "mq-broker-no-public-access": "blocking",
            "mq-broker-safe-naming": { enforcementLevel: "mandatory", brokerNamePattern: "(a)\\1" },
            "mq-broker-logging": { enforcementLevel: "advisory", exclude: "x" },
        }));
        try {
            const result = await runMain(["validate-config", file]);
            assert.strictEqual(result.code, 2);
            const out = result.stdout + result.stderr;
            assert.match(out, /4 errors/);
            assert.match(out, /"mq-broker-no-public-access" is not a valid enforcement level/);
            assert.match(out, /mq-broker-logging: exclude: Invalid type\. Expected: array, given: string/);
            assert.match(out, /mq-broker-user-credentials: "minimumPaswordLength" is not a setting of this policy \(did you mean minimumPasswordLength\?\)/);
            assert.match(out, /mq-broker-safe-naming: brokerNamePattern uses a backreference/);
        } finally {
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
    });
});
