// The library entry point (library.ts, published as `aws-mq-guardrails/library`): the pack's policies for an
// organization's own pack, selected by severity and topic, and loading it starts no policy server and no gRPC.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { bootPack } from "../engine/session";
import { policies, selectPolicies, TOPICS, topicsOf } from "../library";
import { policies as packPolicies } from "../policies";

const ROOT = path.resolve(__dirname, "..");
const BUILT = path.join(ROOT, "dist", "library.js");

/** Loads `request` in a fresh Node process from the repository root; the node_modules packages it loaded. */
function packagesLoadedBy(request: string): { status: number | null; packages: string[]; stderr: string } {
    const script = `
        require(${JSON.stringify(request)});
        const loaded = new Set();
        for (const file of Object.keys(require.cache)) {
            const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file);
            if (m) loaded.add(m[1].replace(/\\\\/g, "/"));
        }
        process.stdout.write(JSON.stringify([...loaded].sort()));
    `;
    // A policy server would keep the process alive: the timeout turns that into a failure, not a hang.
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    return { status: run.status, packages: run.status === 0 ? JSON.parse(run.stdout) : [], stderr: run.stderr };
}

describe("the library entry point", function () {
    this.timeout(60_000);

    describe("loading", () => {
        it("requiring the built dist/library.js loads no gRPC and no @pulumi package, and the process exits by itself", () => {
            assert.ok(fs.existsSync(BUILT), "dist/library.js is missing: npm test builds it first (npm run build)");
            const { status, packages, stderr } = packagesLoadedBy(BUILT);
            assert.strictEqual(status, 0, stderr);
            assert.deepStrictEqual(packages.filter(p => p.startsWith("@grpc/") || p.startsWith("@pulumi/")), []);
        });

        it("the same check sees gRPC when a module does load it (@pulumi/policy, which the pack entry loads)", () => {
            const { status, packages, stderr } = packagesLoadedBy("@pulumi/policy");
            assert.strictEqual(status, 0, stderr);
            assert.ok(packages.includes("@grpc/grpc-js"), packages.join(", "));
        });

        it("resolves by package name: aws-mq-guardrails/library to dist/library.js, the package itself to the pack entry", () => {
            const script = `process.stdout.write(JSON.stringify([require.resolve("aws-mq-guardrails/library"), require.resolve("aws-mq-guardrails")]))`;
            const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
            assert.strictEqual(run.status, 0, run.stderr);
            assert.deepStrictEqual(JSON.parse(run.stdout), [BUILT, path.join(ROOT, "dist", "index.js")]);
        });

        it("is typed for a consumer: a program importing aws-mq-guardrails/library type-checks, a wrong topic does not", () => {
            assert.ok(fs.existsSync(path.join(ROOT, "dist", "library.d.ts")), "dist/library.d.ts is missing: npm run build");
            const dir = fs.mkdtempSync(path.join(ROOT, "tests", ".library-consumer-"));
            try {
                const file = path.join(dir, "pack.ts");
                fs.writeFileSync(file, [
                    'import { PackPolicy, selectPolicies, Topic } from "aws-mq-guardrails/library";',
                    'const topic: Topic = "network";',
                    'export const chosen: PackPolicy[] = selectPolicies({ severity: ["critical", "high"], topic }, "mandatory");',
                    '// @ts-expect-error "netwrk" is not a topic',
                    'selectPolicies({ topic: "netwrk" });',
                    "",
                ].join("\n"));
                const program = ts.createProgram([file], {
                    module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2020,
                    strict: true, noEmit: true, skipLibCheck: true, types: ["node"],
                });
                const diagnostics = ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
                assert.deepStrictEqual(diagnostics, []);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("in an organization's own pack", () => {
        it("a separate pack that requires aws-mq-guardrails/library boots, as the engine boots it, with the subset it selected and its config in code", async () => {
            assert.ok(fs.existsSync(BUILT), "dist/library.js is missing: npm run build");
            // The organization's pack, with this package installed by name (a link, as `npm install <folder>` makes).
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acme-guardrails-"));
            try {
                fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
                for (const dependency of ["@pulumi/pulumi", "@pulumi/policy"]) {
                    fs.symlinkSync(path.join(ROOT, "node_modules", dependency), path.join(dir, "node_modules", dependency), "dir");
                }
                fs.symlinkSync(ROOT, path.join(dir, "node_modules", "aws-mq-guardrails"), "dir");
                fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "acme-guardrails", version: "1.2.3", main: "index.js" }));
                fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: ACME guardrails\n");
                fs.writeFileSync(path.join(dir, "index.js"), [
                    'const { PolicyPack } = require("@pulumi/policy");',
                    'const { selectPolicies } = require("aws-mq-guardrails/library");',
                    'new PolicyPack("acme-guardrails", {',
                    '    policies: selectPolicies({ severity: "critical" }, "advisory"),',
                    '}, { "mq-broker-user-credentials": { minimumPasswordLength: 24 } });',
                    "",
                ].join("\n"));
                const pack = await bootPack(dir);
                try {
                    assert.strictEqual(pack.info.name, "acme-guardrails");
                    assert.deepStrictEqual(
                        pack.info.policies.map(p => [p.name, p.enforcementLevel]),
                        policies.filter(p => p.severity === "critical").map(p => [p.name, "advisory"]),
                    );
                    assert.deepStrictEqual(
                        (pack.info.initialConfig as any)?.["mq-broker-user-credentials"]?.properties,
                        { minimumPasswordLength: 24 },
                    );
                } finally {
                    await pack.close();
                }
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("policies", () => {
        it("are the pack's policies, in catalogue order, and cannot be added to or removed from", () => {
            assert.deepStrictEqual(policies.map(p => p.name), packPolicies.map(p => p.name));
            assert.ok(Object.isFrozen(policies));
        });

        it("every policy has at least one topic, so none is unselectable by topic", () => {
            for (const policy of policies) {
                assert.ok(topicsOf(policy).length > 0, `${policy.name} has no topic: extend TOPIC_WORDS in library.ts`);
            }
        });

        it("every topic selects at least one policy", () => {
            for (const topic of TOPICS) {
                assert.ok(selectPolicies({ topic }).length > 0, topic);
            }
        });
    });

    describe("selectPolicies", () => {
        it("with no selection returns every policy at its own level", () => {
            assert.deepStrictEqual(selectPolicies(), [...policies]);
        });

        it("by severity returns exactly the policies of that severity", () => {
            const critical = selectPolicies({ severity: "critical" });
            assert.deepStrictEqual(critical.map(p => p.name), policies.filter(p => p.severity === "critical").map(p => p.name));
            assert.ok(critical.length > 0);
        });

        it("by a list of severities returns the policies of any of them", () => {
            const names = selectPolicies({ severity: ["critical", "high"] }).map(p => p.name);
            assert.deepStrictEqual(names, policies.filter(p => p.severity === "critical" || p.severity === "high").map(p => p.name));
        });

        it("by topic encryption returns the KMS policies", () => {
            assert.deepStrictEqual(selectPolicies({ topic: "encryption" }).map(p => p.name), ["mq-broker-kms-encryption", "mq-stack-kms-key-hygiene"]);
        });

        it("by severity and topic returns the policies matching both", () => {
            const names = selectPolicies({ severity: "critical", topic: "identity" }).map(p => p.name);
            assert.deepStrictEqual(names, ["mq-broker-user-credentials", "mq-stack-secret-backed-users"]);
        });

        it("with an enforcement level returns copies at that level and leaves the shared policies as they were", () => {
            const before = policies.map(p => p.enforcementLevel);
            const chosen = selectPolicies({ topic: "logging" }, "advisory");
            assert.deepStrictEqual(chosen.map(p => [p.name, p.enforcementLevel]), [["mq-broker-logging", "advisory"]]);
            assert.notStrictEqual(chosen[0], policies.find(p => p.name === "mq-broker-logging"));
            assert.deepStrictEqual(policies.map(p => p.enforcementLevel), before);
        });

        it("a copy keeps the policy's validation", () => {
            const [copy] = selectPolicies({ topic: "logging" }, "mandatory");
            const original = policies.find(p => p.name === copy.name)!;
            assert.strictEqual((copy as any).validateResource, (original as any).validateResource);
        });

        it("by framework throws: no policy carries a framework mapping yet, and an empty selection would pass everything", () => {
            assert.throws(() => selectPolicies({ framework: "PCI DSS v4" }), /framework is not available yet/);
        });

        it("rejects a severity, topic, level or key it does not know (a typo must not select nothing in silence)", () => {
            assert.throws(() => selectPolicies({ severity: "severe" as any }), /severity "severe" is not one of low, medium, high, critical/);
            assert.throws(() => selectPolicies({ topic: ["network", "netwrk"] as any }), /topic "netwrk" is not one of/);
            assert.throws(() => selectPolicies({}, "enforce" as any), /enforcementLevel "enforce"/);
            assert.throws(() => selectPolicies({ severities: ["high"] } as any), /unknown selection "severities"/);
            assert.throws(() => selectPolicies(null as any), /the selection is an object/);
        });
    });
});
