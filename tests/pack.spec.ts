// Pack-wide invariants: every policy file is registered once, every policy carries its metadata and a valid
// config schema and has a spec, the generated README catalogue and configs are current, every policy carries
// the broker type for the SDK's fast path, and the run-wide check that no test password reaches a message is
// loaded and can fail.
import * as assert from "assert";
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { catalogueMarkdown, generatedFiles, prodConfig, readmeBlock } from "../scripts/catalogue";
import { brokerProps, readBlock, readBoolean, readString, UNKNOWN_VALUES } from "../policies/lib/values";
import { brokerPolicy, PackResourcePolicy } from "../policies/lib/policy";
import { analyze, messagesSeen, passwordsSeen, testPassword } from "./support/runtime";
import { compliantActiveMq, withChange } from "./support/fixtures";
import { leakError, mochaHooks, passwordLeaks } from "./support/root-hooks";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { call, countedStruct } from "./support/sdk-server";
import { BROKER_TYPE } from "../policies/lib/broker";
import { installDecodeCache, uninstallDecodeCache } from "../policies/lib/sdk-decode-cache";

// The SDK's server and its type-marker reader, as the pack runs them (their typings are not published).
 
const sdkServer = require("@pulumi/policy/server");
 
const { getPulumiType } = require("@pulumi/policy/policy");

const ROOT = path.resolve(__dirname, "..");

describe("the aws-mq-guardrails pack", () => {
    it("registers every policy file of policies/ once, named as its file, its kind as its name says", () => {
        // The list is derived: a new policy is its file, its line in policies/index.ts and its spec.
        const files = fs.readdirSync(path.join(ROOT, "policies")).filter(f => /^mq-.*\.ts$/.test(f)).map(f => f.replace(/\.ts$/, ""));
        const names = policies.map(p => p.name);
        assert.strictEqual(new Set(names).size, names.length, "policy names are unique");
        assert.deepStrictEqual([...names].sort(), [...files].sort(), "policies/index.ts registers every policy file, and only those");
        for (const file of files) {
             
            const exported = Object.values(require(path.join(ROOT, "policies", file))) as unknown[];
            assert.ok(exported.some(e => policies.includes(e as never) && (e as { name: string }).name === file), `policies/${file}.ts exports the policy named ${file}`);
        }
        for (const p of policies) {
            const kind = "validateStack" in p ? "stack" : "broker";
            // Resource policies on configurations (issue 11) are named mq-configuration-*.
            const prefixes = kind === "stack" ? ["mq-stack-"] : ["mq-broker-", "mq-configuration-"];
            assert.ok(prefixes.some(prefix => p.name.startsWith(prefix)), `${p.name} is a ${kind} policy: its name starts with ${prefixes.join(" or ")}`);
        }
    });

    it("gives every policy its description, severity, level, remediation steps, url and tags", () => {
        for (const p of policies) {
            assert.ok(p.description.length > 10, `${p.name} description`);
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity!), `${p.name} severity`);
            assert.ok(["advisory", "mandatory", "remediate", "disabled"].includes(p.enforcementLevel!), `${p.name} level`);
            assert.ok((p.remediationSteps ?? "").length > 10, `${p.name} remediationSteps`);
            assert.match(p.url ?? "", /^https:\/\//, `${p.name} url`);
            assert.ok((p.tags ?? []).length > 0, `${p.name} tags`);
        }
    });

    it("keeps each policy's config schema valid, with a default and a description for every setting", () => {
        const ajv = new Ajv({ strict: true, strictTypes: false });
        for (const p of policies) {
            assert.doesNotThrow(() => ajv.compile({ type: "object", properties: p.configSchema.properties }), `${p.name} schema compiles`);
            assert.ok(!("enforcementLevel" in p.configSchema.properties), `${p.name}: the SDK refuses enforcementLevel in the schema`);
            for (const [key, setting] of Object.entries(p.configSchema.properties)) {
                assert.ok("default" in setting, `${p.name}.${key} has a default`);
                assert.ok(typeof setting.description === "string" && setting.description.length > 10, `${p.name}.${key} has a description`);
            }
            assert.deepStrictEqual(p.validateConfig({}), [], `${p.name}: the defaults are a valid config`);
        }
    });

    it("has a spec for every policy", () => {
        for (const p of policies) {
            assert.ok(fs.existsSync(path.join(ROOT, "tests", "policies", `${p.name}.spec.ts`)), `tests/policies/${p.name}.spec.ts`);
        }
    });

    it("keeps the README catalogue and config reference, config/prod.json and config/dev.json generated from the policies (npm run docs)", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.strictEqual(readmeBlock(readme), catalogueMarkdown(), "README catalogue is stale: run npm run docs");
        for (const [file, text] of Object.entries(generatedFiles(readme))) {
            assert.strictEqual(fs.readFileSync(path.join(ROOT, file), "utf8"), text, `${file} is stale: run npm run docs`);
        }
    });

    it("the generated-files check can fail: a policy's new default shows in config/prod.json", () => {
        const p = policies.find(q => Object.keys(q.configSchema.properties).length > 2)!;
        const [key, setting] = Object.entries(p.configSchema.properties)[0] as [string, { default?: unknown }];
        const saved = setting.default;
        try {
            setting.default = "changed-for-the-test";
            assert.match(prodConfig(), /"changed-for-the-test"/);
            assert.notStrictEqual(prodConfig(), fs.readFileSync(path.join(ROOT, "config", "prod.json"), "utf8"), `${p.name}.${key}`);
        } finally {
            setting.default = saved;
        }
    });

    it("refuses a misspelled broker property name at type-checking (npm test runs tsc over this file)", () => {
        const broker = brokerProps({ publiclyAccessible: true, logs: { general: true } });
        // @ts-expect-error "publiclyAcessible" is not a property of aws.mq.Broker (BrokerArgs or BrokerState)
        assert.strictEqual(readBoolean(broker, "publiclyAcessible"), undefined);
        assert.strictEqual(readBoolean(broker, "publiclyAccessible"), true);
        // In a policy's check, the broker is typed too.
        brokerPolicy({
            name: "typed-keys", description: "d", severity: "low", enforcementLevel: "advisory", remediationSteps: "r",
            url: "https://example.com", tags: ["t"],
            // @ts-expect-error "hostInstanceTyp" is not a property of aws.mq.Broker
            check: b => (readString(b, "hostInstanceTyp") === undefined ? [] : []),
        });
        // Nested blocks and other resources' properties take any key.
        const logs = readBlock(broker, "logs");
        assert.strictEqual(typeof logs === "object" ? readBoolean(logs, "general") : undefined, true);
    });

    it("reads the unknown sentinels the installed @pulumi/policy uses", () => {
         
        const proxy = require("@pulumi/policy/proxy");
        const sdk = ["unknownBooleanValue", "unknownNumberValue", "unknownStringValue", "unknownArrayValue",
            "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"].map(k => proxy[k]);
        assert.deepStrictEqual(new Set(sdk), new Set(Object.values(UNKNOWN_VALUES)));
    });
});

describe("the SDK's fast path for what is not a broker", () => {
    it("marks every policy that judges one type with it, and leaves those judging aws and aws-native types unmarked", () => {
        for (const p of policies) {
            const fns = "validateStack" in p ? [p.validateStack] : [p.validateResource, p.remediateResource].filter(f => f);
            // Every broker and configuration policy judges both providers' types (issue 11); the SDK's marker
            // holds one type, so those policies check the type themselves (BENCHMARKS.md measures the cost).
            assert.ok(p.types.includes(BROKER_TYPE) || p.types.includes("aws:mq/configuration:Configuration"), p.name);
            assert.ok(p.types.some(t => t.startsWith("aws-native:amazonmq:")), p.name);
            for (const fn of fns) {
                assert.strictEqual(getPulumiType(fn), p.types.length === 1 ? p.types[0] : undefined, `${p.name}`);
            }
        }
    });

    it("answers Analyze on a non-broker with every enabled policy not applicable, decoding it once with the decode cache", async () => {
        const counter = { decodes: 0 };
        const req = new analyzerpb.AnalyzeRequest();
        req.setType("aws:s3/bucket:Bucket");
        req.setUrn("urn:pulumi:prod::p::aws:s3/bucket:Bucket::b");
        req.setName("b");
        req.setProperties(countedStruct({ bucket: "b", acl: "public-read" }, counter));
        req.setOptions(new analyzerpb.AnalyzerResourceOptions());
        installDecodeCache();
        let res: analyzerpb.AnalyzeResponse;
        try {
            res = await call<analyzerpb.AnalyzeResponse>(sdkServer.makeAnalyzeRpcFun("pack", "1.0.0", "mandatory", policies), req);
        } finally {
            uninstallDecodeCache();
        }
        const enabled = policies.filter(p => !("validateStack" in p) && p.enforcementLevel !== "disabled");
        assert.deepStrictEqual(res.getNotApplicableList().map(n => n.getPolicyName()).sort(), enabled.map(p => p.name).sort());
        for (const na of res.getNotApplicableList()) {
            assert.match(na.getReason(), /only applies to resources of type '(aws:mq|aws-native:amazonmq)[^']*' or '(aws:mq|aws-native:amazonmq)/);
        }
        assert.deepStrictEqual(res.getDiagnosticsList(), []);
        assert.strictEqual(counter.decodes, 1);
    });

    it("answers AnalyzeStack on a stack without a broker with every enabled stack policy not applicable, decoding each resource once with the decode cache", async () => {
        const counter = { decodes: 0 };
        const req = new analyzerpb.AnalyzeStackRequest();
        req.setResourcesList(["a", "b", "c"].map(name => {
            const r = new analyzerpb.AnalyzerResource();
            r.setType("aws:s3/bucket:Bucket");
            r.setUrn(`urn:pulumi:prod::p::aws:s3/bucket:Bucket::${name}`);
            r.setName(name);
            r.setProperties(countedStruct({ bucket: name }, counter));
            r.setOptions(new analyzerpb.AnalyzerResourceOptions());
            return r;
        }));
        installDecodeCache();
        let res: analyzerpb.AnalyzeResponse;
        try {
            res = await call<analyzerpb.AnalyzeResponse>(sdkServer.makeAnalyzeStackRpcFun("pack", "1.0.0", "mandatory", policies), req);
        } finally {
            uninstallDecodeCache();
        }
        const enabled = policies.filter(p => "validateStack" in p && p.enforcementLevel !== "disabled").map(p => p.name);
        assert.deepStrictEqual(res.getNotApplicableList().map(n => n.getPolicyName()).sort(), enabled.sort());
        assert.strictEqual(counter.decodes, 3);
    });
});

// No test password may appear in any message of any spec: checked by the root hooks (tests/support/root-hooks.ts)
// after the run, or after each spec file in each worker of a parallel run. These prove the check sees the
// messages and can fail.
describe("the run-wide check that no test password reaches a message", () => {
    it("is loaded for every run by .mocharc.json, after ts-node", () => {
        const rc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8"));
        assert.deepStrictEqual(rc.require, ["ts-node/register/transpile-only", "tests/support/root-hooks.ts"]);
        assert.strictEqual(typeof mochaHooks.afterAll, "function");
    });

    it("receives every message a policy reports through the test runtime, with the password the input carried", async () => {
        const password = testPassword("Zq8wRt3nVb6yKm1xPd4s");
        const before = messagesSeen.length;
        const policy = policies.find(p => p.name === "mq-broker-no-public-access") as PackResourcePolicy;
        const violations = await analyze(policy, withChange(compliantActiveMq(), {
            publiclyAccessible: true,
            users: [{ username: "orders-admin", password, consoleAccess: true, groups: ["admins"] }],
        }));
        assert.ok(violations.length > 0, "the public broker is reported");
        assert.strictEqual(messagesSeen.length - before, violations.length);
        assert.ok(passwordsSeen.has(password));
        assert.deepStrictEqual(passwordLeaks(messagesSeen.slice(before), [password], 0, 0, () => "this test"), []);
    });

    it("finds a password in a message whichever came first, names the test that reported it, and compares each pair once", () => {
        const messages = ["the broker is public; set publiclyAccessible to false", "user orders-admin has password Secr3t-Abc"];
        const reportedBy = (i: number) => `test ${i}`;
        assert.deepStrictEqual(passwordLeaks(messages, ["Secr3t-Abc"], 0, 0, reportedBy),
            [{ password: "Secr3t-Abc", message: messages[1], reportedBy: "test 1" }]);
        // Both already compared: nothing new to report.
        assert.deepStrictEqual(passwordLeaks(messages, ["Secr3t-Abc"], 2, 1, reportedBy), []);
        // A password registered after the message was checked (another spec's) still finds it.
        assert.deepStrictEqual(passwordLeaks(messages, ["Secr3t-Abc", "publiclyAccessible"], 2, 1, reportedBy).map(l => l.reportedBy), ["test 0"]);
        // A message reported after the check, against a password registered before it.
        assert.deepStrictEqual(passwordLeaks([...messages, "x Secr3t-Abc"], ["Secr3t-Abc"], 2, 1, reportedBy).map(l => l.reportedBy), ["test 2"]);
        assert.match(leakError(passwordLeaks(messages, ["Secr3t-Abc"], 0, 0, reportedBy)).message,
            /^a test password appeared in a violation message: "Secr3t-Abc", reported during "test 1": /);
    });
});
