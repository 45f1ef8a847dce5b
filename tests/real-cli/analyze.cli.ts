// Existing stacks under the real engine: `pulumi policy analyze` (file and stack modes) on the examples and on
// generated exports, asserting exact violations and exit codes, and the same (policy, URN, level) set from our
// `aws-mq-guardrails analyze` (differential).
import assert from "assert";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import path from "path";
import { ACTIVEMQ_MUTATIONS, generatedExport, NATIVE_MUTATIONS, RABBITMQ_MUTATIONS } from "./exports";
import { engineFindings, Finding, key, ourFindings, ours, pulumi, requireCli, ROOT, workspace, Workspace, writeJson } from "./support";

const EXAMPLES = path.join(ROOT, "examples");
const exampleFiles = readdirSync(EXAMPLES).filter(f => f.endsWith(".json")).map(f => path.join(EXAMPLES, f));

function keys(findings: Finding[]): string[] {
    return findings.map(key);
}

function projectAndStack(file: string): { project: string; stack: string } {
    const resources = JSON.parse(readFileSync(file, "utf8")).deployment.resources as Array<{ urn: string }>;
    const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resources[0].urn);
    assert.ok(match, `no URN in ${file}`);
    return { stack: match[1], project: match[2] };
}

describe("real Pulumi CLI: pulumi policy analyze on existing stacks", function () {
    this.timeout(10 * 60 * 1000);
    let ws: Workspace;
    const generated: Array<{ file: string; expected: Array<{ policy: string; type: string; name: string }> }> = [];

    before(function () {
        const cli = requireCli(this);
        ws = workspace(cli);
        mkdirSync(path.join(ws.home, "exports"));
        for (const [template, base, mutations] of [
            ["compliant-activemq-stack.json", "orders", ACTIVEMQ_MUTATIONS],
            ["compliant-rabbitmq-stack.json", "events", RABBITMQ_MUTATIONS],
            ["compliant-aws-native-activemq-stack.json", "orders", NATIVE_MUTATIONS],
        ] as const) {
            const { deployment, expected } = generatedExport(template, base, mutations);
            const file = writeJson(path.join(ws.home, "exports", `generated-${path.basename(template, ".json")}.json`), deployment);
            generated.push({ file, expected });
        }
    });
    after(() => ws?.cleanup());

    function engineAnalyzeFile(file: string, extra: string[] = []) {
        const run = pulumi(ws, ["policy", "analyze", "--file", file, "--policy-pack", ROOT, "--json", ...extra]);
        return { run, findings: engineFindings(run.stdout) };
    }

    function ourAnalyze(file: string, extra: string[] = []) {
        const run = ours(["analyze", "--file", file, "--format", "json", ...extra]);
        return { run, findings: ourFindings(run.stdout) };
    }

    it("reports nothing on the compliant examples and exits 0", function () {
        for (const file of exampleFiles.filter(f => path.basename(f).startsWith("compliant-"))) {
            // The examples' secrets are encrypted with a passphrase the suite does not have: the engine redacts them
            // to "[secret]", which the pack must treat as unknown, never as a weak password.
            const { run, findings } = engineAnalyzeFile(file);
            assert.deepStrictEqual(keys(findings), [], `${path.basename(file)}: ${run.stderr}`);
            assert.strictEqual(run.status, 0, run.stderr);
        }
    });

    it("reports exactly the insecure example's violations and exits non-zero", function () {
        const file = path.join(EXAMPLES, "insecure-stack.json");
        const { run, findings } = engineAnalyzeFile(file);
        const urn = (type: string, name: string) => `urn:pulumi:sandbox::messaging::${type}::${name}`;
        const broker = urn("aws:mq/broker:Broker", "orders-sandbox");
        const expected: Finding[] = [
            { policy: "mq-broker-auto-minor-version-upgrade", urn: broker, level: "mandatory" },
            { policy: "mq-broker-engine-version", urn: broker, level: "mandatory" },
            { policy: "mq-broker-high-availability", urn: broker, level: "mandatory" },
            { policy: "mq-broker-instance-type", urn: broker, level: "advisory" },
            { policy: "mq-broker-kms-encryption", urn: broker, level: "mandatory" },
            { policy: "mq-broker-logging", urn: broker, level: "mandatory" },
            { policy: "mq-broker-no-public-access", urn: broker, level: "mandatory" },
            { policy: "mq-broker-safe-naming", urn: broker, level: "mandatory" },
            { policy: "mq-broker-user-credentials", urn: broker, level: "mandatory" },
            { policy: "mq-stack-network-exposure", urn: urn("aws:ec2/securityGroup:SecurityGroup", "orders-sandbox"), level: "mandatory" },
            { policy: "mq-stack-network-exposure", urn: urn("aws:ec2/securityGroupRule:SecurityGroupRule", "orders-sandbox-debug"), level: "mandatory" },
            { policy: "mq-stack-secret-backed-users", urn: broker, level: "mandatory" },
        ];
        const distinct = [...new Set(keys(findings))].sort();
        assert.deepStrictEqual(distinct, [...new Set(keys(expected))].sort());
        assert.strictEqual(run.status, 1, `pulumi policy analyze exits 1 on a mandatory violation: ${run.stderr}`);
        assert.match(run.stderr, /one or more mandatory policy violations were found/);
    });

    it("reports each generated mutation on its own resource, and nothing on the compliant units", function () {
        for (const { file, expected } of generated) {
            const { findings } = engineAnalyzeFile(file);
            const got = new Set(findings.map(f => `${f.policy} ${f.urn.split("::").pop()}`));
            for (const e of expected) {
                assert.ok(got.has(`${e.policy} ${e.name}`), `${path.basename(file)}: expected ${e.policy} on ${e.name}; got ${[...got].join(", ")}`);
            }
            const named = new Set(expected.map(e => e.name));
            for (const f of findings) {
                const name = f.urn.split("::").pop()!;
                assert.ok(named.has(name), `unexpected ${f.policy} on ${name}`);
            }
        }
    });

    it("agrees with aws-mq-guardrails analyze on every export (policy, URN, enforcement level)", function () {
        for (const file of [...exampleFiles, ...generated.map(g => g.file)]) {
            const engine = engineAnalyzeFile(file);
            const mine = ourAnalyze(file);
            assert.deepStrictEqual(keys(mine.findings), keys(engine.findings), path.basename(file));
            const mandatory = engine.findings.some(f => f.level === "mandatory");
            assert.strictEqual(engine.run.status, mandatory ? 1 : 0, path.basename(file));
            assert.strictEqual(mine.run.status, mandatory ? 1 : 0, path.basename(file));
        }
    });

    it("turns every finding advisory with config/dev.json, in both tools, and both exit 0", function () {
        for (const { file } of generated) {
            const config = path.join(ROOT, "config", "dev.json");
            const engine = engineAnalyzeFile(file, ["--policy-pack-config", config]);
            const mine = ourAnalyze(file, ["--policy-pack-config", config]);
            assert.ok(engine.findings.length > 0);
            assert.ok(engine.findings.every(f => f.level === "advisory"), keys(engine.findings).join("\n"));
            assert.strictEqual(engine.run.status, 0, engine.run.stderr);
            assert.deepStrictEqual(keys(mine.findings), keys(engine.findings));
            assert.strictEqual(mine.run.status, 0);
        }
    });

    it("judges an imported stack as the file: pulumi stack import, then pulumi policy analyze on the stack", function () {
        for (const { file } of generated) {
            const { project, stack } = projectAndStack(file);
            const dir = path.join(ws.home, `project-${project}`);
            mkdirSync(dir, { recursive: true });
            writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
            const init = pulumi(ws, ["stack", "init", stack], { cwd: dir });
            assert.strictEqual(init.status, 0, init.stderr);
            // An export with plaintext secrets must name a secrets provider: without one, pulumi 3.276.0's
            // `stack import` panics ("attempt to encrypt value"). Give it the stack's own passphrase salt.
            const salt = /^encryptionsalt:\s*(\S+)/m.exec(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"));
            assert.ok(salt, "pulumi stack init wrote no encryptionsalt");
            const withProvider = JSON.parse(readFileSync(file, "utf8"));
            withProvider.deployment.secrets_providers = { type: "passphrase", state: { salt: salt[1] } };
            const importFile = writeJson(path.join(ws.home, "exports", `${stack}-${project}-import.json`), withProvider);
            const imported = pulumi(ws, ["stack", "import", "--file", importFile], { cwd: dir });
            assert.strictEqual(imported.status, 0, imported.stderr);
            const onStack = pulumi(ws, ["policy", "analyze", "--policy-pack", ROOT, "--json"], { cwd: dir });
            if (process.env.DEBUG_REAL_CLI) console.log(onStack.stdout.split("\n").filter(l => l.includes("awskey")).join("\n"));
            const fromFile = engineAnalyzeFile(file);
            assert.deepStrictEqual(keys(engineFindings(onStack.stdout)), keys(fromFile.findings), onStack.stderr);
            assert.strictEqual(onStack.status, fromFile.run.status);

            // The stack's own export holds the passwords as passphrase ciphertext. With the passphrase the engine
            // decrypts and judges them; our analyze cannot decrypt and treats them as unknown, so it reports the
            // same findings except those that judge a password's value (README: "Differences from pulumi policy analyze").
            const exported = pulumi(ws, ["stack", "export"], { cwd: dir });
            assert.strictEqual(exported.status, 0, exported.stderr);
            assert.match(exported.stdout, /"ciphertext"/);
            const cipherFile = path.join(ws.home, "exports", `${stack}-${project}-ciphertext.json`);
            writeFileSync(cipherFile, exported.stdout);
            const decrypted = engineAnalyzeFile(cipherFile);
            assert.deepStrictEqual(keys(decrypted.findings), keys(fromFile.findings));
            const mine = ourAnalyze(cipherFile);
            const judgesPassword = (f: Finding) => f.policy === "mq-broker-user-credentials";
            assert.deepStrictEqual(keys(mine.findings), keys(decrypted.findings.filter(f => !judgesPassword(f))));
            // Without the passphrase the engine redacts them to "[secret]": then both tools agree exactly.
            const blind = pulumi(ws, ["policy", "analyze", "--file", cipherFile, "--policy-pack", ROOT, "--json"], {
                env: { PULUMI_CONFIG_PASSPHRASE: "not-the-passphrase" },
            });
            assert.match(blind.stderr, /could not decrypt secrets/);
            assert.deepStrictEqual(keys(engineFindings(blind.stdout)), keys(mine.findings));
        }
    });
});
