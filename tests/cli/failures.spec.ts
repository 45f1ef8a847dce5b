// When the pack misbehaves mid-run: a call that never answers ends at the deadline (exit 2, one line), and a
// pack that dies has its stderr written to a log file, never into the error line. In process, with a stand-in
// session (the real pack cannot be made to hang or die on cue), then real packs made to hang or die by a hook
// loaded into the pack process: the hung one through the built command, the dying ones in process (cli/main.ts).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { analyze, CallTimeoutError, PackFailedError } from "../../cli/analyze";
import { CallTimeoutError as EngineCallTimeoutError, PackSession } from "../../engine/session";
import { assertOneCleanLine, CliResult, EXAMPLES, runCli, runMain, scratchDir } from "./support";

const INSECURE = path.join(EXAMPLES, "insecure-stack.json");
const LEAK = "TypeError: cannot read brokerpassword-Gv7qLp2X of undefined at /home/ci/.npm/_npx/1234/index.js:1:1";

/** A session that answers Analyze with `analyze` and AnalyzeStack with no finding. */
function standIn(analyzeCall: (request: Uint8Array, options?: { timeoutMs?: number }) => Promise<never>, stderr = ""): { launch: any; closed: () => boolean } {
    let closed = false;
    const session: Partial<PackSession> = {
        info: { name: "aws-mq-guardrails", version: "0.1.0", policies: [] } as unknown as PackSession["info"],
        config: {},
        analyzeEncoded: analyzeCall,
        analyzeStackEncoded: async () => [],
        stderr: () => stderr,
        close: async () => { closed = true; },
    };
    return { launch: async () => session as PackSession, closed: () => closed };
}

describe("aws-mq-guardrails analyze when the pack misbehaves", function () {
    this.timeout(60_000);
    const scratch = scratchDir();
    after(() => scratch.cleanup());

    it("gives each call the --timeout deadline, and names the resource and the flag in one line when it passes", async () => {
        // The session enforces the deadline (and stops the pack); this one does as the real one does.
        const pack = standIn((_request, options) => new Promise<never>((_, reject) => setTimeout(() =>
            reject(new EngineCallTimeoutError("Analyze", options!.timeoutMs!, undefined, true)), options?.timeoutMs)));
        const started = Date.now();
        await assert.rejects(analyze({ file: INSECURE, stackTags: {}, callTimeoutMs: 300, launch: pack.launch }), (e: Error) => {
            assert.ok(e instanceof CallTimeoutError, String(e));
            assert.match(e.message, /^the policy pack did not answer Analyze for urn:pulumi:sandbox::messaging::\S+ within 0\.3 s \(--timeout <seconds> raises the deadline\)/);
            assert.ok(!e.message.includes("\n"));
            return true;
        });
        assert.ok(Date.now() - started < 10_000);
        assert.ok(pack.closed(), "the pack is closed");
    });

    it("writes a dead pack's stderr to a private log file and names it, without echoing it", async () => {
        const pack = standIn(() => Promise.reject(new Error(`Analyze: the policy pack exited with code 1:\n${LEAK}`)), LEAK);
        let log: string | undefined;
        await assert.rejects(analyze({ file: INSECURE, stackTags: {}, launch: pack.launch }), (e: Error) => {
            assert.ok(e instanceof PackFailedError, String(e));
            assert.match(e.message, /^Analyze: the policy pack exited with code 1; its output is in \S+\.log$/);
            assert.ok(!e.message.includes("brokerpassword") && !e.message.includes(".npm"));
            log = e.logFile;
            return true;
        });
        try {
            assert.ok(fs.readFileSync(log!, "utf8").includes(LEAK), "the log has the pack's stderr");
            assert.strictEqual(fs.statSync(log!).mode & 0o077, 0, "only the user can read the log");
        } finally {
            fs.rmSync(log!, { force: true });
        }
        assert.ok(pack.closed());
    });

    /**
     * A script loaded into every Node process of a run (NODE_OPTIONS); it acts only in the pack process
     * (run-policy-pack), where it replaces the gRPC Analyze handler with `handler`.
     */
    function packHook(name: string, handler: string): string {
        const hook = path.join(scratch.dir, name);
        fs.writeFileSync(hook, `
            if (process.argv.some(a => a.includes("run-policy-pack"))) {
                const Module = require("module");
                const load = Module._load;
                Module._load = function (request) {
                    const m = load.apply(this, arguments);
                    if (request === "@grpc/grpc-js" && m.Server && !m.Server.prototype.__dies) {
                        m.Server.prototype.__dies = true;
                        const add = m.Server.prototype.addService;
                        m.Server.prototype.addService = function (service, impl) {
                            const wrapped = Object.assign({}, impl);
                            for (const key of Object.keys(impl)) {
                                if (key === "analyze") {
                                    wrapped[key] = ${handler};
                                }
                            }
                            return add.call(this, service, wrapped);
                        };
                    }
                    return m;
                };
            }`);
        return hook;
    }

    it("end to end: a pack that never answers Analyze is stopped at --timeout (exit 2, one line)", async () => {
        const hook = packHook("hang-on-analyze.js", "() => undefined");
        const started = Date.now();
        const result = await runCli(["analyze", "--file", "examples/insecure-stack.json", "--timeout", "1"], {
            env: { NODE_OPTIONS: `--require ${hook}` },
        });
        assert.strictEqual(result.code, 2, result.stderr);
        assert.strictEqual(result.stdout, "");
        assert.ok(!assertOneCleanLine(result.stderr), result.stderr);
        assert.match(result.stderr, /^aws-mq-guardrails: the policy pack did not answer Analyze for urn:pulumi:sandbox::messaging::\S+ within 1 s \(--timeout <seconds> raises the deadline\)/);
        assert.ok(Date.now() - started < 30_000);
    });

    /**
     * The command in process (cli/main.ts), with `hook` loaded into the pack process it starts: the pack inherits
     * this process's environment. The built command's own process is tested above (the hung pack).
     */
    async function runMainWithPackHook(args: string[], hook: string): Promise<CliResult> {
        const saved = process.env.NODE_OPTIONS;
        process.env.NODE_OPTIONS = `--require ${hook}`;
        try {
            return await runMain(args);
        } finally {
            if (saved === undefined) {
                delete process.env.NODE_OPTIONS;
            } else {
                process.env.NODE_OPTIONS = saved;
            }
        }
    }

    it("a real pack that dies as it starts gives one line and a log file (exit 2)", async () => {
        const hook = path.join(scratch.dir, "die-on-start.js");
        fs.writeFileSync(hook, `if (process.argv.some(a => a.includes("run-policy-pack"))) {
            process.stderr.write(${JSON.stringify(LEAK)} + String.fromCharCode(10));
            process.exit(4);
        }`);
        const result = await runMainWithPackHook(["describe"], hook);
        assert.strictEqual(result.code, 2, result.stderr);
        assert.ok(!assertOneCleanLine(result.stderr), result.stderr);
        assert.match(result.stderr, /^aws-mq-guardrails: the policy pack could not start \(.*exited with code 4\); its output is in (\S+\.log)$/m);
        assert.ok(!result.stderr.includes("brokerpassword"));
        const log = /its output is in (\S+\.log)/.exec(result.stderr)![1];
        try {
            assert.ok(fs.readFileSync(log, "utf8").includes(LEAK));
        } finally {
            fs.rmSync(log, { force: true });
        }
    });

    it("a real pack process that dies on its first Analyze gives one line and a log file (exit 2)", async () => {
        const hook = packHook("die-on-analyze.js",
            `() => { process.stderr.write(${JSON.stringify(LEAK)} + String.fromCharCode(10)); process.exit(3); }`);
        const result = await runMainWithPackHook(["analyze", "--file", "examples/insecure-stack.json"], hook);
        assert.strictEqual(result.code, 2, result.stderr);
        assert.strictEqual(result.stdout, "");
        assert.ok(!assertOneCleanLine(result.stderr), result.stderr);
        assert.match(result.stderr, /^aws-mq-guardrails: Analyze: the policy pack exited with code 3; its output is in (\S+\.log)$/m);
        assert.ok(!result.stderr.includes("brokerpassword"));
        const log = /its output is in (\S+\.log)/.exec(result.stderr)![1];
        try {
            assert.ok(fs.readFileSync(log, "utf8").includes(LEAK));
        } finally {
            fs.rmSync(log, { force: true });
        }
    });
});
