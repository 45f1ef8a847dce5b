// Every registered policy, end to end through the engine's protocol: the pack's own GetAnalyzerInfo lists the
// policies, and each one's minimal violating broker (or stack) comes back with the policy's enforcement level,
// severity and metadata. Policies disabled by default are switched on (advisory) through the policy config.
import * as assert from "assert";
import { Diagnostic, PackSession, PolicyInfo } from "../../engine/session";
import { policies } from "../../policies";
import { compliantActiveMq, compliantRabbitMq } from "../support/fixtures";
import { broker, enabledByConfig, PACK_NAME, PACK_VERSION, sharedSession, violatingResource, violatingStacks } from "./support";

describe("integration: every policy's violation through the Analyzer protocol", function () {
    this.timeout(60_000);
    let session: PackSession | undefined;

    before(async () => {
        session = await sharedSession();
    });

    const expectedLevel = (p: PolicyInfo) => (enabledByConfig.includes(p.name) ? "advisory" : p.enforcementLevel);

    function assertDiagnostic(d: Diagnostic, p: PolicyInfo) {
        assert.strictEqual(d.policyPackName, PACK_NAME);
        assert.strictEqual(d.policyPackVersion, PACK_VERSION);
        assert.strictEqual(d.enforcementLevel, expectedLevel(p), `${p.name} enforcement level`);
        assert.strictEqual(d.severity, p.severity, `${p.name} severity`);
        assert.strictEqual(d.description, p.description);
        assert.ok(d.message.startsWith(`${p.description}\n`), `${p.name}: the message is the description, then the finding`);
        assert.ok(d.message.length > p.description.length + 20, `${p.name}: the finding says what to fix`);
    }

    it("serves the same catalogue as policies/index.ts, with levels and severities", () => {
        const info = session!.info;
        assert.strictEqual(info.name, PACK_NAME);
        assert.strictEqual(info.version, PACK_VERSION);
        assert.deepStrictEqual(info.policies.map(p => p.name), policies.map(p => p.name));
        for (const p of info.policies) {
            const source = policies.find(s => s.name === p.name)!;
            assert.strictEqual(p.enforcementLevel, source.enforcementLevel, `${p.name} level`);
            assert.strictEqual(p.severity, source.severity, `${p.name} severity`);
            assert.strictEqual(p.policyType, "validateStack" in source ? "stack" : "resource", `${p.name} type`);
        }
    });

    it("has a violating resource for every registered resource policy and a violating stack for every stack policy", () => {
        const info = session!.info;
        const missing = info.policies.filter(p =>
            p.policyType === "resource" ? !violatingResource(p.name, "x") : !violatingStacks[p.name]).map(p => p.name);
        assert.deepStrictEqual(missing, [], "add these policies to tests/integration/support.ts");
    });

    it("reports each resource policy's violating resource with the policy's level and severity", async () => {
        const checked: string[] = [];
        for (const p of session!.info.policies.filter(q => q.policyType === "resource")) {
            const name = `violates-${p.name}`;
            const diagnostics = await session!.analyze(violatingResource(p.name, name)!);
            const own = diagnostics.filter(d => d.policyName === p.name);
            assert.ok(own.length > 0, `${p.name} reports its violating resource; got ${JSON.stringify(diagnostics.map(d => d.policyName))}`);
            own.forEach(d => assertDiagnostic(d, p));
            checked.push(p.name);
        }
        assert.ok(checked.includes("mq-broker-no-public-access"));
    });

    it("passes the compliant ActiveMQ and RabbitMQ brokers under every resource policy", async () => {
        for (const [name, props] of [["golden-activemq", compliantActiveMq()], ["golden-rabbitmq", compliantRabbitMq()]] as const) {
            const diagnostics = await session!.analyze(broker(name, props));
            // mq-broker-ldap-authentication is opt-in: switched on here, it flags SIMPLE authentication.
            const unexpected = diagnostics.filter(d => d.policyName !== "mq-broker-ldap-authentication");
            assert.deepStrictEqual(unexpected.map(d => `${d.policyName}: ${d.message}`), [], name);
        }
    });

    it("reports each stack policy's violating stack, against a resource of that stack, in one AnalyzeStack", async function () {
        const stackPolicies = session!.info.policies.filter(p => p.policyType === "stack");
        if (stackPolicies.length === 0) {
            this.skip();
        }
        const stacks = new Map(stackPolicies.map((p, i) => [p.name, violatingStacks[p.name](`s${i}`)]));
        const diagnostics = await session!.analyzeStack([...stacks.values()].flat());
        for (const p of stackPolicies) {
            const urns = new Set(stacks.get(p.name)!.map(r => r.urn));
            const own = diagnostics.filter(d => d.policyName === p.name && urns.has(d.urn));
            assert.ok(own.length > 0, `${p.name} reports its violating stack; got ` +
                JSON.stringify(diagnostics.map(d => [d.policyName, d.urn])));
            own.forEach(d => assertDiagnostic(d, p));
        }
    });
});
