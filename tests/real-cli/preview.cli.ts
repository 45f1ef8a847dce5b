// `pulumi preview` and `pulumi up` with the pack, on real Pulumi TypeScript programs declaring brokers with
// @pulumi/aws (and, for examples/programs/aws-native-activemq-compliant, @pulumi/aws-native) classes, against
// the aws/random/aws-native provider test double (fixtures/provider).
import assert from "assert";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import path from "path";
import { ours, pulumi, requireCli, ROOT, Run, workspace, Workspace } from "./support";

const PROGRAM = path.join(__dirname, "fixtures", "program");
const EXAMPLE_PROGRAMS = path.join(ROOT, "examples", "programs");

/** A copy of a program folder in the workspace, resolving its packages from the pack's node_modules. */
function programCopy(ws: Workspace, source: string, name: string): string {
    const dir = path.join(ws.home, "programs", name);
    mkdirSync(path.dirname(dir), { recursive: true });
    cpSync(source, dir, { recursive: true, filter: src => !src.includes("node_modules") && !/Pulumi\.[^/]+\.yaml$/.test(path.basename(src)) || path.basename(src) === "Pulumi.yaml" });
    if (!existsSync(path.join(dir, "node_modules"))) {
        symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    }
    return dir;
}

let stacks = 0;

/** A new stack (a name of its own: copies of one program share the project, hence the stack namespace). */
function initStack(ws: Workspace, dir: string, config: Record<string, string>, secrets: Record<string, string> = {}): void {
    const init = pulumi(ws, ["stack", "init", `dev${++stacks}`], { cwd: dir });
    assert.strictEqual(init.status, 0, init.stderr);
    for (const [k, v] of Object.entries(config)) {
        const set = pulumi(ws, ["config", "set", k, v], { cwd: dir });
        assert.strictEqual(set.status, 0, set.stderr);
    }
    for (const [k, v] of Object.entries(secrets)) {
        const set = pulumi(ws, ["config", "set", "--secret", k, v], { cwd: dir });
        assert.strictEqual(set.status, 0, set.stderr);
    }
}

const output = (run: Run) => `${run.stdout}\n${run.stderr}`;

describe("real Pulumi CLI: pulumi preview and up with the pack", function () {
    this.timeout(15 * 60 * 1000);
    let ws: Workspace;
    const appPassword = "Xk9#mQ2$vT7!pL4^wR8&zN5*";

    before(function () {
        ws = workspace(requireCli(this));
    });
    after(() => ws?.cleanup());

    it("passes a compliant program whose KMS key and password are unknown during the preview", function () {
        const dir = programCopy(ws, PROGRAM, "compliant");
        initStack(ws, dir, { "aws:region": "us-east-1" }, { appPassword });
        const run = pulumi(ws, ["preview", "--policy-pack", ROOT], { cwd: dir });
        assert.strictEqual(run.status, 0, output(run));
        assert.match(run.stdout, /✅ aws-mq-guardrails@v0\.1\.0/);
        assert.doesNotMatch(output(run), /mandatory|advisory\]/);
    });

    describe("an insecure program", () => {
        let dir: string;
        before(() => {
            dir = programCopy(ws, PROGRAM, "insecure");
            initStack(ws, dir, { "aws:region": "us-east-1", variant: "insecure" }, { appPassword });
        });

        it("fails the preview on its mandatory violations, with the engine's own exit code and message", () => {
            const run = pulumi(ws, ["preview", "--policy-pack", ROOT, "--policy-pack-config", path.join(ROOT, "config", "prod.json")], { cwd: dir });
            assert.strictEqual(run.status, 1, output(run));
            assert.match(run.stdout, /❌ aws-mq-guardrails@v0\.1\.0/);
            assert.match(output(run), /error: preview failed/);
            for (const policy of ["mq-broker-no-public-access", "mq-broker-high-availability", "mq-broker-kms-encryption",
                "mq-stack-network-exposure", "mq-stack-secret-backed-users", "mq-broker-logging"]) {
                assert.match(run.stdout, new RegExp(`\\[mandatory\\] \\[severity: \\w+\\]\\s+${policy}`), policy);
            }
            // The literal password never reaches the output.
            assert.doesNotMatch(output(run), /orders-app-password-1/);
        });

        it("passes the preview with config/dev.json, every finding advisory", () => {
            const run = pulumi(ws, ["preview", "--policy-pack", ROOT, "--policy-pack-config", path.join(ROOT, "config", "dev.json")], { cwd: dir });
            assert.strictEqual(run.status, 0, output(run));
            assert.match(run.stdout, /\[advisory\] \[severity: critical\]\s+mq-broker-no-public-access/);
            assert.doesNotMatch(run.stdout, /\[mandatory\]/);
        });

        it("rejects a bad --policy-pack-config with the engine's schema error, which our validate-config prints too", () => {
            const bad = path.join(ws.home, "bad-config.json");
            writeFileSync(bad, JSON.stringify({
                "mq-broker-user-credentials": { enforcementLevel: "mandatory", minimumPasswordLength: 4 },
                "mq-broker-no-public-access": { enforcementLevel: "mandatory", exclude: "orders" },
            }));
            const run = pulumi(ws, ["preview", "--policy-pack", ROOT, "--policy-pack-config", bad], { cwd: dir });
            assert.notStrictEqual(run.status, 0);
            // "error: validating policy config: aws-mq-guardrails 0.1.0  mq-broker-...: exclude: Invalid type. ..."
            const engineLines = [...new Set(output(run).split("\n")
                .map(l => /validating policy config: \S+ \S+\s+(mq-[a-z-]+: .*)$/.exec(l.trim())?.[1])
                .filter((l): l is string => l !== undefined))].sort();
            assert.ok(engineLines.length >= 2, output(run));
            const mine = ours(["validate-config", bad]);
            assert.strictEqual(mine.status, 2);
            for (const line of engineLines) {
                assert.ok(output(mine).includes(line), `validate-config does not print the engine's line: ${line}\n${output(mine)}`);
            }
        });
    });

    it("remediates on pulumi up: the provider receives the fixed inputs", function () {
        const dir = programCopy(ws, PROGRAM, "remediate");
        initStack(ws, dir, { "aws:region": "us-east-1", autoMinorVersionUpgrade: "false" }, { appPassword });
        const config = path.join(ws.home, "remediate.json");
        writeFileSync(config, JSON.stringify({ "mq-broker-auto-minor-version-upgrade": "remediate" }));
        const log = path.join(ws.home, "provider.log");
        const run = pulumi(ws, ["up", "--yes", "--skip-preview", "--policy-pack", ROOT, "--policy-pack-config", config], {
            cwd: dir,
            env: { AWS_DOUBLE_LOG: log },
        });
        assert.strictEqual(run.status, 0, output(run));
        const created = readFileSync(log, "utf8").trim().split("\n").map(l => JSON.parse(l))
            .filter(e => e.urn.endsWith("aws:mq/broker:Broker::orders"));
        assert.strictEqual(created.length, 1);
        assert.strictEqual(created[0].inputs.autoMinorVersionUpgrade, true);
        // And the stack's state holds what the provider received; the password stays a secret there.
        const exported = pulumi(ws, ["stack", "export"], { cwd: dir });
        assert.doesNotMatch(exported.stdout, new RegExp(appPassword.replace(/[$^*]/g, "\\$&")));
    });

    for (const example of ["activemq-compliant", "rabbitmq-compliant", "aws-native-activemq-compliant", "insecure"]) {
        it(`previews examples/programs/${example} as documented`, function () {
            const dir = programCopy(ws, path.join(EXAMPLE_PROGRAMS, example), `example-${example}`);
            initStack(ws, dir, {});
            const run = pulumi(ws, ["preview", "--policy-pack", ROOT], { cwd: dir });
            if (example === "insecure") {
                assert.strictEqual(run.status, 1, output(run));
                assert.match(run.stdout, /\[mandatory\]/);
            } else {
                assert.strictEqual(run.status, 0, output(run));
                assert.doesNotMatch(run.stdout, /\[mandatory\]|\[advisory\]/);
            }
        });
    }
});
