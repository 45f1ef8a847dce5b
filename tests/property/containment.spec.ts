// A bug in one policy must not stop the others: a deliberately broken policy, built with the pack's own
// brokerPolicy()/stackPolicy(), surfaces as one clear diagnostic naming it (never a silent pass, never a thrown
// error, never the failing value), while a real policy called on the same resource still reports.
import * as assert from "assert";
import * as fc from "fast-check";
import { BROKER_TYPE } from "../../policies/lib/broker";
import { brokerPolicy, stackPolicy } from "../../policies/lib/policy";
import { mqBrokerNoPublicAccess } from "../../policies/mq-broker-no-public-access";
import { mqStackUniqueBrokerNames } from "../../policies/mq-stack-unique-broker-names";
import { compliantActiveMq, withChange } from "../support/fixtures";
import { analyze, analyzeStack, remediate, testPassword } from "../support/runtime";
import { broker as stackBroker } from "../support/stacks";
import { broker, runs, stack } from "./arbitraries";

const PASSWORD = testPassword("Xq9#vLt4Wm2zRk7pJn5c");

const metadata = {
    description: "A policy with a bug, for the containment tests.",
    severity: "high" as const,
    enforcementLevel: "mandatory" as const,
    remediationSteps: "None: it exists to fail.",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/",
    tags: ["test"],
};

/** Ways a check can be broken: an exception quoting the input, a thrown non-Error, a wrong return value. */
const BUGS: Record<string, (broker: Record<string, unknown>) => string[]> = {
    "throws a TypeError quoting the broker": b => {
        throw new TypeError(`cannot read ${JSON.stringify(b)}`);
    },
    "throws a string": b => {
        throw `bad value ${JSON.stringify(b)}`;  
    },
    "overflows the stack": b => {
        const recurse = (n: number): number => recurse(n + 1) + 1;
        return [String(recurse(0)), String(b)];
    },
    "returns undefined instead of a list": () => undefined as unknown as string[],
    "returns a list holding a non-string": () => [{ message: PASSWORD }] as unknown as string[],
};

function brokenBrokerPolicy(name: string, bug: (broker: Record<string, unknown>) => string[]) {
    return brokerPolicy({
        name,
        ...metadata,
        check: broker => bug(broker),
        remediate: () => {
            throw new RangeError("a remediation bug");
        },
    });
}

/** One diagnostic that names the policy, says it was not judged, and shows nothing of the input. */
function assertContained(messages: string[], name: string): void {
    assert.strictEqual(messages.length, 1, `one diagnostic, not a silent pass: ${JSON.stringify(messages)}`);
    assert.match(messages[0], new RegExp(`${name} could not evaluate this resource \\(internal \\w+\\), so it was not judged`));
    assert.ok(!messages[0].includes(PASSWORD), "the diagnostic never shows the input");
    assert.ok(!messages[0].includes("orders-admin"), "the diagnostic never quotes the input");
}

describe("property: a broken policy is contained", function () {
    this.timeout(60_000);
    const publicBroker = () => withChange(compliantActiveMq(), {
        publiclyAccessible: true,
        users: [{ username: "orders-admin", password: PASSWORD }],
    });

    for (const [bug, check] of Object.entries(BUGS)) {
        it(`reports a resource policy that ${bug} as a diagnostic naming it, while a real policy still reports`, async () => {
            const broken = brokenBrokerPolicy("test-broken-policy", check);
            const violations = await analyze(broken, publicBroker());
            assertContained(violations.map(v => v.message), "test-broken-policy");
            assert.strictEqual(violations[0].enforcementLevel, "mandatory", "as loud as the policy's level");
            // A remediation that throws leaves the broker alone instead of failing the update.
            assert.strictEqual(await remediate(broken, publicBroker()), undefined);
            // The real policy on the same broker, in the same run, is unaffected.
            const real = await analyze(mqBrokerNoPublicAccess, publicBroker());
            assert.strictEqual(real.length, 1);
            assert.match(real[0].message, /publiclyAccessible is true/);
        });

        it(`reports a stack policy that ${bug} as a diagnostic naming it, while a real policy still reports`, async () => {
            const broken = stackPolicy({
                name: "test-broken-stack-policy",
                ...metadata,
                check: resources => check({ count: resources.length }) as never,
            });
            const resources = [stackBroker("a", { brokerName: "same" }), stackBroker("b", { brokerName: "same" })];
            assertContained((await analyzeStack(broken, resources)).map(v => v.message), "test-broken-stack-policy");
            assert.strictEqual((await analyzeStack(mqStackUniqueBrokerNames, resources)).length, 2);
        });
    }

    it("loses only the broker a stack policy throws on, with a diagnostic naming that broker", async () => {
        // Reports every broker it judges; throws on the one named "bad" (a bug triggered by one broker's input).
        const flaky = stackPolicy({
            name: "test-flaky-stack-policy",
            ...metadata,
            check: (_resources, context) => context.brokers.map(b => {
                if (b.name === "bad") {
                    throw new TypeError(`cannot read ${JSON.stringify(b.props)}`);
                }
                return { urn: b.urn, message: `judged ${b.name}` };
            }),
        });
        const resources = [
            stackBroker("good", { brokerName: "one" }),
            stackBroker("bad", { brokerName: "two", users: [{ username: "orders-admin", password: PASSWORD }] }),
            stackBroker("also-good", { brokerName: "three" }),
        ];
        const violations = await analyzeStack(flaky, resources);
        const byUrn = new Map(violations.map(v => [v.urn, v.message]));
        assert.strictEqual(violations.length, 3, JSON.stringify(violations));
        assert.match(byUrn.get(resources[0].urn)!, /judged good$/);
        assert.match(byUrn.get(resources[2].urn)!, /judged also-good$/);
        const bad = byUrn.get(resources[1].urn)!;
        assert.match(bad, /test-flaky-stack-policy could not evaluate broker bad \(internal TypeError\), so it was not judged/);
        assert.ok(!bad.includes(PASSWORD) && !bad.includes("orders-admin"), "the diagnostic never quotes the input");
    });

    it("does not judge a broker reached only by relating when another broker's judgement throws", async () => {
        // Relates every broker (allBrokers) and reports on each; throws while judging "bad".
        const relating = stackPolicy({
            name: "test-relating-stack-policy",
            ...metadata,
            check: (_resources, context) => {
                if (context.brokers.some(b => b.name === "bad")) {
                    throw new RangeError("bug");
                }
                return context.allBrokers.map(b => ({ urn: b.urn, message: `seen ${b.name}` }));
            },
        });
        const resources = [stackBroker("good", {}), stackBroker("bad", {})];
        const messages = (await analyzeStack(relating, resources)).map(v => `${v.urn} ${v.message}`);
        assert.strictEqual(messages.length, 2, JSON.stringify(messages));
        assert.ok(messages.some(m => m.startsWith(resources[0].urn) && /seen good$/.test(m)));
        assert.ok(messages.some(m => m.startsWith(resources[1].urn) && /could not evaluate broker bad \(internal RangeError\)/.test(m)));
    });

    it("reports a validateConfig that throws as a config error naming the policy", async () => {
        const broken = brokerPolicy({
            name: "test-broken-config",
            ...metadata,
            validateConfig: () => {
                throw new RangeError("bad");
            },
            check: () => [],
        });
        const violations = await analyze(broken, compliantActiveMq());
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /The policy config of test-broken-config is invalid: the policy config could not be checked \(RangeError\)/);
    });

    it("contains a throwing resource policy on any generated broker, leaving the real policies' findings unchanged", async () => {
        const broken = brokenBrokerPolicy("test-broken-policy", BUGS["throws a TypeError quoting the broker"]);
        await fc.assert(fc.asyncProperty(broker, async props => {
            const messages = (await analyze(broken, props)).map(v => v.message);
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /test-broken-policy could not evaluate this resource \(internal TypeError\)/);
            await analyze(mqBrokerNoPublicAccess, props); // still runs, never throws
        }), runs(40));
    });

    it("contains a throwing stack policy on any generated stack", async () => {
        const broken = stackPolicy({ name: "test-broken-stack-policy", ...metadata, check: () => { throw new Error("boom"); } });
        await fc.assert(fc.asyncProperty(stack(8), async resources => {
            const messages = (await analyzeStack(broken, resources)).map(v => v.message);
            // A stack without a broker is not the policy's to judge (the SDK does not even call it).
            const brokers = resources.filter(r => r.type === BROKER_TYPE).length;
            assert.strictEqual(messages.length, brokers === 0 ? 0 : 1);
            if (brokers > 0) {
                assert.match(messages[0], /test-broken-stack-policy could not evaluate this resource \(internal Error\)/);
            }
        }), runs(20));
    });
});
