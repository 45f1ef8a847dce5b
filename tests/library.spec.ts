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
                    'export const pci: PackPolicy[] = selectPolicies({ framework: "pci-dss", control: "10.3.3" });',
                    '// @ts-expect-error "pci" is not a framework',
                    'selectPolicies({ framework: "pci" });',
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

        it("by topic encryption returns the KMS and FIPS endpoint policies", () => {
            assert.deepStrictEqual(selectPolicies({ topic: "encryption" }).map(p => p.name),
                ["mq-broker-kms-encryption", "mq-stack-kms-key-hygiene", "mq-stack-fips-endpoints"]);
        });

        it("by severity and topic returns the policies matching both", () => {
            const names = selectPolicies({ severity: "critical", topic: "identity" }).map(p => p.name);
            assert.deepStrictEqual(names, ["mq-broker-user-credentials", "mq-configuration-no-embedded-credentials", "mq-stack-secret-backed-users"]);
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

        it("by framework security-hub returns the policies mapped to a Security Hub control", () => {
            assert.deepStrictEqual(selectPolicies({ framework: "security-hub" }).map(p => p.name), [
                "mq-broker-high-availability", "mq-broker-logging", "mq-broker-auto-minor-version-upgrade",
                "mq-broker-required-tags", "mq-stack-kms-key-hygiene", "mq-stack-network-exposure",
            ]);
        });

        it("by framework and control returns the policies mapped to that control, case-insensitively", () => {
            assert.deepStrictEqual(selectPolicies({ framework: "security-hub", control: "mq.5" }).map(p => p.name), ["mq-broker-high-availability"]);
            assert.deepStrictEqual(selectPolicies({ framework: "pci-dss", control: "10.3.3" }).map(p => p.name), ["mq-broker-logging"]);
        });

        it("by pci-dss returns only the policies whose Security Hub controls AWS maps to PCI DSS", () => {
            assert.deepStrictEqual(selectPolicies({ framework: "pci-dss" }).map(p => p.name),
                ["mq-broker-logging", "mq-broker-auto-minor-version-upgrade", "mq-stack-kms-key-hygiene"]);
        });

        it("by a NIST base control returns the policies mapped to it or to one of its enhancements", () => {
            // SC-7(4) and friends come from EC2.18; SC-7 itself is our mapping for public access.
            assert.deepStrictEqual(selectPolicies({ framework: "nist-800-53", control: "SC-7" }).map(p => p.name),
                ["mq-broker-no-public-access", "mq-stack-network-exposure"]);
            assert.deepStrictEqual(selectPolicies({ framework: "nist-800-53", control: "SC-7(4)" }).map(p => p.name),
                ["mq-stack-network-exposure"]);
        });

        it("with mappedBy aws leaves out this project's own NIST mapping", () => {
            const any = selectPolicies({ framework: "nist-800-53" }).map(p => p.name);
            const aws = selectPolicies({ framework: "nist-800-53", mappedBy: "aws" }).map(p => p.name);
            assert.ok(any.includes("mq-stack-fips-endpoints"));
            assert.deepStrictEqual(aws, [
                "mq-broker-high-availability", "mq-broker-logging", "mq-broker-auto-minor-version-upgrade",
                "mq-stack-kms-key-hygiene", "mq-stack-network-exposure",
            ]);
        });

        it("by framework combines with severity and enforcement level", () => {
            const chosen = selectPolicies({ framework: "security-hub", severity: "low" }, "mandatory");
            assert.deepStrictEqual(chosen.map(p => [p.name, p.enforcementLevel]), [
                ["mq-broker-auto-minor-version-upgrade", "mandatory"], ["mq-broker-required-tags", "mandatory"],
            ]);
        });

        it("a well-formed control no policy maps to selects nothing; a malformed one or one without a framework throws", () => {
            assert.deepStrictEqual(selectPolicies({ framework: "security-hub", control: "MQ.9" }), []);
            assert.throws(() => selectPolicies({ framework: "security-hub", control: "SC-7" }), /control "SC-7" is not a control ID of security-hub/);
            assert.throws(() => selectPolicies({ framework: "nist-800-53", control: "SC7" }), /control "SC7" is not a control ID/);
            assert.throws(() => selectPolicies({ control: "MQ.5" }), /control and mappedBy need a framework/);
            assert.throws(() => selectPolicies({ framework: "nist-800-53", mappedBy: "amazon" as any }), /mappedBy "amazon" is not one of aws, any/);
        });

        it("rejects a framework it does not know (the name an auditor might type is not guessed at)", () => {
            assert.throws(() => selectPolicies({ framework: "PCI DSS v4" as any }), /framework "PCI DSS v4" is not one of security-hub, nist-800-53, pci-dss/);
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
