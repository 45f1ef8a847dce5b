// Faults stay where they are: a resource the policy SDK cannot decode (a hash-only asset or archive, such as a
// Lambda's code in the same stack) is set aside with a note while every other resource is judged; a pack that
// misses an Analyze or AnalyzeStack deadline is stopped, with a clear error.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SIG_KEY } from "../../engine/properties";
import { CallTimeoutError, livePackPids, PackSession, startPack } from "../../engine/session";
import { parseStackExport } from "../../engine/state";
import { RequestEncoder } from "../../engine/wire";
import { compliantActiveMq } from "../support/fixtures";
import { PACK_DIR, sharedSession, STACK, urnOf } from "./support";

const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const HASH = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

describe("integration: fault containment", function () {
    this.timeout(60_000);

    describe("a Lambda with a hash-only archive in the same stack as a broker", () => {
        const stackUrn = urnOf("pulumi:pulumi:Stack", "messaging-prod");
        const providerUrn = urnOf("pulumi:providers:aws", "default_7_48_0");
        const brokerUrn = urnOf("aws:mq/broker:Broker", "orders");
        const lambdaUrn = urnOf("aws:lambda/function:Function", "consumer");
        const common = { custom: true, parent: stackUrn, provider: `${providerUrn}::p-1` };
        const brokerInputs = { ...compliantActiveMq(), brokerName: "orders", publiclyAccessible: true };
        const lambdaInputs = { role: "arn:aws:iam::111122223333:role/consumer", runtime: "nodejs20.x", code: { [SIG_KEY]: ARCHIVE_SIG, hash: HASH } };
        const text = JSON.stringify({
            version: 3,
            deployment: {
                manifest: { time: "2026-03-09T14:21:37Z", magic: "x", version: "v3.248.0" },
                resources: [
                    { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
                    { urn: providerUrn, custom: true, id: "p-1", type: "pulumi:providers:aws", inputs: { region: "us-east-1" }, outputs: { region: "us-east-1" } },
                    { ...common, urn: brokerUrn, id: "b-1", type: "aws:mq/broker:Broker", inputs: brokerInputs, outputs: brokerInputs },
                    { ...common, urn: lambdaUrn, id: "consumer", type: "aws:lambda/function:Function", inputs: lambdaInputs, outputs: lambdaInputs },
                ],
            },
        });

        it("judges the broker, in Analyze and AnalyzeStack, and notes the Lambda it had to set aside", async () => {
            const session = await sharedSession();
            const state = parseStackExport(text);
            assert.deepStrictEqual(state.skipped.map(s => s.urn), [lambdaUrn]);
            assert.match(state.skipped[0].reason, /archive with only its hash/);
            assert.deepStrictEqual(state.resources.map(r => r.urn), [brokerUrn]);
            const found = (await session.analyze(state.resources[0])).map(d => d.policyName);
            assert.ok(found.includes("mq-broker-no-public-access"), found.join("\n"));
            // AnalyzeStack is where the SDK decodes every resource for every stack policy: it must not fail.
            await session.analyzeStack(state.stackResources);
        });
    });

    describe("the pack on its own, as `pulumi preview --policy-pack` drives it", () => {
        // The real engine sends what the state holds, hash-only archive included, and @pulumi/policy's
        // deserializeProperties throws on it ("Invalid archive encountered when unmarshaling resource property")
        // inside AnalyzeStack's loop over every resource, failing every stack policy's call. The CLI sets such a
        // resource aside (engine/state.ts); the pack catches the SDK's error where it wraps deserializeProperties
        // (policies/lib/sdk-decode-cache.ts) and decodes again with the asset or archive as an unknown value.
        it("judges a stack whose Lambda has a hash-only archive", async () => {
            const session = await sharedSession();
            const lambda = {
                urn: urnOf("aws:lambda/function:Function", "consumer"), type: "aws:lambda/function:Function", name: "consumer",
                properties: { role: "arn:aws:iam::111122223333:role/consumer", code: { [SIG_KEY]: ARCHIVE_SIG, hash: HASH } },
            };
            const shared = { ...compliantActiveMq(), brokerName: "shared-name" };
            const stack = [
                { urn: urnOf("aws:mq/broker:Broker", "a"), type: "aws:mq/broker:Broker", name: "a", properties: shared },
                { urn: urnOf("aws:mq/broker:Broker", "b"), type: "aws:mq/broker:Broker", name: "b", properties: shared },
                lambda,
            ];
            const found = (await session.analyzeStack(stack)).map(d => d.policyName);
            assert.ok(found.includes("mq-stack-unique-broker-names"), found.join("\n"));
        });
    });

    describe("a pack that misses a deadline", () => {
        let dir: string;
        let session: PackSession | undefined;

        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-mq-slow-pack-"));
            fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
            fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "slow-pack", version: "1.0.0", main: "index.js" }));
            fs.writeFileSync(path.join(dir, "index.js"), [
                "const { PolicyPack } = require(\"@pulumi/policy\");",
                "new PolicyPack(\"slow-pack\", { policies: [",
                "  { name: \"slow\", description: \"takes 600 ms for test:slow\", enforcementLevel: \"mandatory\",",
                "    validateResource: args => args.type === \"test:slow\" ? new Promise(r => setTimeout(r, 600)) : undefined },",
                "  { name: \"spins\", description: \"blocks its event loop for test:spin\", enforcementLevel: \"mandatory\",",
                "    validateStack: args => { if (args.resources.some(r => r.type === \"test:spin\")) { for (;;) { /* spin */ } } } },",
                "] });",
                "",
            ].join("\n"));
        });
        afterEach(async () => {
            await session?.close();
            session = undefined;
        });
        after(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        const slow = { urn: urnOf("test:slow", "s"), type: "test:slow", name: "s", properties: {} };
        const spin = { urn: urnOf("test:spin", "p"), type: "test:spin", name: "p", properties: {} };

        it("stops a pack that misses a call's deadline, with a clear error; a call's own deadline wins over the session's", async () => {
            // One boot for the whole story: the pack is stopped at the end of it.
            session = await startPack({ packDir: dir, stack: STACK, callTimeoutMs: 300 });
            const encoder = new RequestEncoder();
            // A policy that takes 600 ms: over the session's 300 ms, within the call's own 10 s.
            assert.deepStrictEqual(await session.analyzeEncoded(encoder.analyzeRequest(slow), { timeoutMs: 10_000 }), []);
            // A stack policy that blocks the pack's event loop: the session's deadline ends it.
            const started = Date.now();
            await assert.rejects(session.analyzeStackEncoded(encoder.analyzeStackRequest([spin])), (e: unknown) => {
                assert.ok(e instanceof CallTimeoutError, String(e));
                assert.strictEqual(e.rpc, "AnalyzeStack");
                assert.strictEqual(e.timeoutMs, 300);
                assert.strictEqual(e.message, "AnalyzeStack did not answer within 300 ms; the policy pack was stopped");
                return true;
            });
            assert.ok(Date.now() - started < 5000, `rejected after ${Date.now() - started} ms`);
            assert.throws(() => process.kill(session!.pid, 0), /ESRCH/, "the pack process is gone");
            assert.ok(!livePackPids().includes(session.pid));
            // The session is over: the next call says so rather than hanging.
            await assert.rejects(session.analyze(slow), /Analyze: the policy pack (was killed by|exited with)/);
        });

        it("names the resource a timed-out Analyze was about, bounded", () => {
            assert.strictEqual(new CallTimeoutError("Analyze", 300, slow.urn, true).message,
                "Analyze of urn:pulumi:prod::messaging::test:slow::s did not answer within 300 ms; the policy pack was stopped");
            assert.ok(new CallTimeoutError("Remediate", 1, "u".repeat(100_000), true).message.length < 400);
        });

        it("refuses a deadline that is not a positive number of milliseconds", async () => {
            const shared = await sharedSession();
            await assert.rejects(shared.analyzeEncoded(new Uint8Array(), { timeoutMs: -1 }), /timeout must be a positive number of milliseconds/);
            await assert.rejects(shared.analyzeStackEncoded(new Uint8Array(), { timeoutMs: Number.NaN }), /timeout must be a positive/);
        });
    });
});
