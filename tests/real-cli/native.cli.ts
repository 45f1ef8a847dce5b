// aws-native (`@pulumi/aws-native`) brokers and configurations under the real engine: `pulumi policy analyze` on
// examples/aws-native-configuration-credential-stack.json, and `pulumi preview` / `pulumi up` of
// examples/programs/aws-native-configuration-credential against the provider test double, which serves the
// `aws-native` package too (fixtures/provider/pulumi-resource-aws-native, a symlink to the double).
// Resource-policy findings are pinned; stack-policy findings are compared with the pack's own in-process result
// (or constrained to the broker and its configuration), so a stack policy's wording may change without this suite.
import assert from "assert";
import { cpSync, mkdirSync, readFileSync, symlinkSync } from "fs";
import path from "path";
import { readStackExport } from "../../engine/state";
import { policies } from "../../policies";
import type { PackStackPolicy } from "../../policies/lib/policy";
import { analyzeStack } from "../support/runtime";
import { engineFindings, Finding, key, ours, pulumi, requireCli, ROOT, Run, workspace, Workspace } from "./support";

const EXAMPLE = path.join(ROOT, "examples", "aws-native-configuration-credential-stack.json");
const COMPLIANT = path.join(ROOT, "examples", "compliant-aws-native-activemq-stack.json");
const PROGRAM = path.join(ROOT, "examples", "programs", "aws-native-configuration-credential");
const STACK_POLICIES = new Set(policies.filter(p => "validateStack" in p).map(p => p.name));
const isResourcePolicy = (f: Finding) => !STACK_POLICIES.has(f.policy);
const output = (run: Run) => `${run.stdout}\n${run.stderr}`;

/** The engine's policy events (one JSON object per line: `policy analyze --json`, streaming `preview --json`), messages included. */
function policyEvents(stdout: string): Array<Finding & { message: string }> {
    return stdout.split("\n").filter(l => l.trim().startsWith("{")).flatMap(l => {
        try {
            const e = JSON.parse(l).policyEvent;
            return e ? [{ policy: e.policyName, urn: e.resourceUrn ?? "", level: e.enforcementLevel, message: String(e.message) }] : [];
        } catch {
            return [];
        }
    });
}

/** The user:password in the configuration's networkConnector uri (base64 data), read from the export. */
function embeddedPassword(file: string): string {
    const { state } = readStackExport(file);
    const configuration = state.stackResources.find(r => r.type === "aws-native:amazonmq:Configuration");
    assert.ok(configuration, "an aws-native configuration");
    const xml = Buffer.from(String(configuration.properties.data), "base64").toString("utf8");
    const match = /uri="static:\(ssl:\/\/[^:@"/]+:([^@"/]+)@/.exec(xml);
    assert.ok(match, "a user:password in a networkConnector uri");
    return match[1];
}

/** What the pack's stack policies report on the export in-process, as (policy, URN, level). */
async function inProcessStackFindings(file: string): Promise<string[]> {
    const { state } = readStackExport(file);
    const resources = state.stackResources.map(r => ({
        urn: r.urn, type: r.type, props: r.properties, parent: r.parent,
        dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
    }));
    const found: Finding[] = [];
    for (const policy of policies.filter(p => "validateStack" in p)) {
        for (const v of await analyzeStack(policy as PackStackPolicy, resources)) {
            found.push({ policy: policy.name, urn: v.urn ?? "", level: v.enforcementLevel });
        }
    }
    return [...new Set(found.map(key))].sort();
}

describe("real Pulumi CLI: aws-native brokers and configurations", function () {
    this.timeout(15 * 60 * 1000);
    let ws: Workspace;

    before(function () {
        ws = workspace(requireCli(this));
    });
    after(() => ws?.cleanup());

    describe("pulumi policy analyze on examples/aws-native-configuration-credential-stack.json", () => {
        let run: Run;
        before(() => {
            run = pulumi(ws, ["policy", "analyze", "--file", EXAMPLE, "--policy-pack", ROOT, "--json"]);
        });

        it("reports mq-configuration-no-embedded-credentials on the aws-native Configuration, and no other resource policy", () => {
            const urn = "urn:pulumi:prod::messaging-native::aws-native:amazonmq:Configuration::orders-activemq-config";
            const resourceFindings = [...new Set(engineFindings(run.stdout).filter(isResourcePolicy).map(key))];
            assert.deepStrictEqual(resourceFindings, [key({ policy: "mq-configuration-no-embedded-credentials", urn, level: "mandatory" })], run.stderr);
            const [event] = policyEvents(run.stdout).filter(e => e.policy === "mq-configuration-no-embedded-credentials");
            // The message names the aws-native property (`data`) and where in it, never the value.
            assert.match(event.message, /^data embeds credentials at line \d+, attribute uri of <networkConnector>/m);
        });

        it("reports exactly what the pack's stack policies report in-process (the broker that uses the configuration)", async () => {
            const stackFindings = [...new Set(engineFindings(run.stdout).filter(f => !isResourcePolicy(f)).map(key))].sort();
            assert.deepStrictEqual(stackFindings, await inProcessStackFindings(EXAMPLE));
            for (const f of engineFindings(run.stdout).filter(f => !isResourcePolicy(f))) {
                assert.match(f.urn, /::aws-native:amazonmq:Broker::orders$/, key(f));
            }
        });

        it("exits 1 on the mandatory violation and never prints the embedded password", () => {
            assert.strictEqual(run.status, 1, run.stderr);
            assert.match(run.stderr, /one or more mandatory policy violations were found/);
            assert.ok(!output(run).includes(embeddedPassword(EXAMPLE)), "the password is in the output");
        });

        it("and aws-mq-guardrails analyze prints it in no format either", () => {
            for (const format of ["table", "json", "sarif", "junit", "markdown"]) {
                const mine = ours(["analyze", "--file", EXAMPLE, "--format", format]);
                assert.strictEqual(mine.status, 1, `${format}: ${mine.stderr}`);
                assert.match(mine.stdout, /mq-configuration-no-embedded-credentials/, format);
                assert.ok(!output(mine).includes(embeddedPassword(EXAMPLE)), `${format} prints the password`);
            }
        });

        it("reports nothing on the compliant twin and exits 0", () => {
            const compliant = pulumi(ws, ["policy", "analyze", "--file", COMPLIANT, "--policy-pack", ROOT, "--json"]);
            assert.deepStrictEqual(engineFindings(compliant.stdout).map(key), [], compliant.stderr);
            assert.strictEqual(compliant.status, 0, compliant.stderr);
        });
    });

    describe("pulumi preview and up of examples/programs/aws-native-configuration-credential", () => {
        const bridgePassword = "Rt6-Ym2_Pw8.Gs4~Jd7Nf3";
        let stacks = 0;

        /** A copy of the program with a new stack holding the bridge password as a secret and `config`. */
        function program(config: Record<string, string> = {}): string {
            const dir = path.join(ws.home, "programs", `native-${++stacks}`);
            mkdirSync(path.dirname(dir), { recursive: true });
            cpSync(PROGRAM, dir, { recursive: true });
            symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
            const init = pulumi(ws, ["stack", "init", `dev${stacks}`], { cwd: dir });
            assert.strictEqual(init.status, 0, init.stderr);
            for (const args of [...Object.entries(config), ["--secret", "bridgePassword", bridgePassword]]) {
                const set = pulumi(ws, ["config", "set", ...args], { cwd: dir });
                assert.strictEqual(set.status, 0, set.stderr);
            }
            return dir;
        }

        /** `pulumi preview --json` with streamed engine events, so each finding comes with its URN. */
        function preview(dir: string): Run {
            return pulumi(ws, ["preview", "--json", "--policy-pack", ROOT], { cwd: dir, env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } });
        }

        it("fails the preview on the configuration (aws-native Configuration URN) and its broker (aws-native Broker URN)", () => {
            const run = preview(program());
            assert.strictEqual(run.status, 1, output(run));
            const findings = policyEvents(run.stdout);
            const configuration = findings.filter(f => f.urn.includes("::aws-native:amazonmq:Configuration::orders-activemq-config"));
            assert.deepStrictEqual([...new Set(findings.filter(isResourcePolicy).map(f => `${f.policy} ${f.level} ${f.urn}`))],
                configuration.map(f => `mq-configuration-no-embedded-credentials mandatory ${f.urn}`));
            assert.strictEqual(configuration.length, 1, output(run));
            assert.match(configuration[0].message, /^data embeds credentials at line \d+, attribute uri of <networkConnector>/m);
            // Stack policies: only on the broker, and about the configuration it uses.
            const stackFindings = findings.filter(f => !isResourcePolicy(f));
            assert.ok(stackFindings.some(f => f.policy === "mq-stack-broker-configuration"), output(run));
            for (const f of stackFindings) {
                assert.match(f.urn, /::aws-native:amazonmq:Broker::orders$/, f.policy);
                assert.match(f.message, /\bconfiguration orders-activemq-config\b/, f.policy);
            }
            assert.ok(!output(run).includes(bridgePassword), "the password is in the output");
        });

        it("names aws-native's own property when the security group's inline rule is open to the world", () => {
            const run = preview(program({ clientCidr: "0.0.0.0/0" }));
            assert.strictEqual(run.status, 1, output(run));
            const exposure = policyEvents(run.stdout).filter(f => f.policy === "mq-stack-network-exposure");
            assert.ok(exposure.length > 0, output(run));
            for (const f of exposure) {
                assert.match(f.urn, /::aws-native:ec2:SecurityGroup::orders-mq$/);
                // securityGroupIngress[0].cidrIp is what the user edits in aws-native; aws's ingress[0].cidrBlocks is not.
                assert.match(f.message, /\(securityGroupIngress\[\d\]\.cidrIp\)/);
                assert.doesNotMatch(f.message, /cidrBlocks/);
            }
            assert.ok(!output(run).includes(bridgePassword), "the password is in the output");
        });

        it("creates the stack with every finding advisory (config/dev.json): the double creates each aws-native resource, the password stays secret", () => {
            const dir = program();
            const log = path.join(ws.home, "native-provider.log");
            const run = pulumi(ws, ["up", "--yes", "--skip-preview", "--policy-pack", ROOT, "--policy-pack-config", path.join(ROOT, "config", "dev.json")], {
                cwd: dir, env: { AWS_DOUBLE_LOG: log },
            });
            assert.strictEqual(run.status, 0, output(run));
            assert.match(run.stdout, /\[advisory\] \[severity: critical\]\s+mq-configuration-no-embedded-credentials/);
            assert.doesNotMatch(run.stdout, /\[mandatory\]/);
            const created = readFileSync(log, "utf8").trim().split("\n").map(l => JSON.parse(l)).filter(e => e.op === "create");
            const types = new Set(created.map(e => e.urn.split("::")[2]));
            for (const type of ["aws-native:amazonmq:Broker", "aws-native:amazonmq:Configuration", "aws-native:kms:Key", "aws-native:ec2:SecurityGroup", "aws-native:ec2:Subnet"]) {
                assert.ok(types.has(type), `${type} created`);
            }
            // The broker got the configuration's id and revision from the created configuration (outputs, not inputs).
            const broker = created.find(e => e.urn.endsWith("::aws-native:amazonmq:Broker::orders"));
            assert.match(String(broker.inputs.configuration?.id), /^c-[0-9a-f]+$/);
            assert.strictEqual(broker.inputs.configuration?.revision, 1);
            // The configuration data is derived from a secret: the state holds it encrypted, and nothing prints it.
            const exported = pulumi(ws, ["stack", "export"], { cwd: dir });
            assert.strictEqual(exported.status, 0, exported.stderr);
            const state = JSON.parse(exported.stdout);
            const configuration = state.deployment.resources.find((r: { type: string }) => r.type === "aws-native:amazonmq:Configuration");
            assert.ok(configuration.inputs.data.ciphertext, "data is a secret in the state");
            assert.ok(!output(run).includes(bridgePassword) && !exported.stdout.includes(bridgePassword), "the password is printed");
        });
    });
});
