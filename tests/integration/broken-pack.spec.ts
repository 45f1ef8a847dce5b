// A pack the engine cannot start fails with the pack's own words, not a timeout: here a package.json without a
// version, which @pulumi/policy refuses (one of the breakages unit tests cannot see). Nothing is left running.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bootPack, PackExitError, readPolicyProject, startPack } from "../../engine/session";
import { assertNoPackLeft, PACK_DIR, STACK } from "./support";

describe("integration: a pack that cannot start", function () {
    this.timeout(60_000);
    let dir: string;
    let rejection: unknown;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-mq-broken-pack-"));
        fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
        fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: broken\n");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken-pack", main: "index.js" }));
        fs.writeFileSync(path.join(dir, "index.js"),
            "const { PolicyPack } = require(\"@pulumi/policy\");\nnew PolicyPack(\"broken-pack\", { policies: [] });\n");
        try {
            const session = await startPack({ packDir: dir, stack: STACK, startTimeoutMs: 30_000 });
            await session.close();
        } catch (e) {
            rejection = e;
        }
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        assertNoPackLeft();
    });

    it("rejects with the pack's stderr", () => {
        assert.ok(rejection instanceof Error, `rejected with ${String(rejection)}`);
        assert.match((rejection as Error).message, /^starting the policy pack: the policy pack exited with code \d+/);
        assert.match((rejection as Error).message, /Version must be defined in the package.json file/);
    });

    it("gives the one-line summary and the stderr apart, for a caller that keeps stderr in a log file", () => {
        assert.ok(rejection instanceof PackExitError, `rejected with ${String(rejection)}`);
        assert.match(rejection.summary, /^starting the policy pack: the policy pack exited with code \d+$/);
        assert.match(rejection.stderr, /Version must be defined in the package.json file/);
    });

    it("shuts its engine server down when the pack cannot even be spawned", async () => {
        const servers = () => (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo()
            .filter(r => r === "TCPServerWrap").length;
        const before = servers();
        // A NUL byte in the environment makes spawn throw at once.
        await assert.rejects(bootPack(PACK_DIR, { BROKEN: "a\u0000b" }), /null bytes|invalid/i);
        await new Promise(resolve => setTimeout(resolve, 50)); // the server's close completes on a later tick
        assert.strictEqual(servers(), before, "no listening server is left behind");
    });

    it("refuses a directory without PulumiPolicy.yaml before spawning anything", () => {
        assert.throws(() => readPolicyProject(os.tmpdir()), /failed to load Pulumi policy project located at .*no PulumiPolicy.yaml found/);
    });
});
