// Property-based tests over every stack policy of the pack: random stacks of random resource types, brokers
// from the broker generator, random and dangling propertyDependencies (cycles, self-references, odd input
// names), odd and duplicate URNs and parents. Reproduce a failure with the seed fast-check prints:
// FC_SEED=<seed> npx mocha tests/property/stack-policies.spec.ts
import * as assert from "assert";
import * as fc from "fast-check";
import type { PolicyResource } from "@pulumi/policy";
import { policies } from "../../policies";
import type { PackStackPolicy } from "../../policies/lib/policy";
import { analyzeStack, StackResource, Violation } from "../support/runtime";
import { isSecretObject } from "../../engine/properties";
import { passwordsIn, runs, stack } from "./arbitraries";

const stackPolicies = policies.filter((p): p is PackStackPolicy => "validateStack" in p);

const INTERNAL = /could not evaluate this resource \(internal/;
const MAX_MESSAGE = 4000;

async function analyzeAllStack(resources: StackResource[]): Promise<Map<string, Violation[]>> {
    const results = new Map<string, Violation[]>();
    for (const policy of stackPolicies) {
        const enforcementLevel = policy.enforcementLevel === "disabled" ? "mandatory" : undefined;
        results.set(policy.name, await analyzeStack(policy, resources, { enforcementLevel }));
    }
    return results;
}

/** Strings that stand in the open (not a secret, not a password) anywhere in a resource's properties. */
function openStringsIn(value: unknown, out: Set<string>, key = ""): void {
    if (typeof value === "string") {
        if (key !== "password" && key !== "serviceAccountPassword") {
            out.add(value);
        }
    } else if (Array.isArray(value)) {
        value.forEach(v => openStringsIn(v, out, key));
    } else if (typeof value === "object" && value !== null && !isSecretObject(value)) {
        for (const [k, v] of Object.entries(value)) {
            openStringsIn(v, out, k);
        }
    }
}

/** The passwords of a stack: broker passwords and generated secret values (RandomPassword result, ...). */
function stackPasswords(resources: StackResource[]): string[] {
    const out: string[] = [];
    for (const r of resources) {
        passwordsIn(r.props, out);
        for (const key of ["result", "secretString", "value"]) {
            const v = r.props[key];
            const text = typeof v === "object" && v !== null && "value" in v ? (v as { value: unknown }).value : v;
            if (typeof text === "string") {
                out.push(text);
            }
        }
    }
    // Only values that cannot appear in a message by coincidence: distinctive, and not also drawn, in the
    // open, for a field a policy may quote (a brokerName equal to some other resource's secret value).
    const open = new Set<string>();
    for (const r of resources) {
        openStringsIn(r.props, open);
    }
    return out.filter(p => p.length >= 12 && new Set(p).size >= 6 && !open.has(p));
}

describe("property: every stack policy on generated stacks", function () {
    this.timeout(120_000);

    it("never throws, never reports an internal error, and gives the same findings twice", async () => {
        await fc.assert(fc.asyncProperty(stack(), async resources => {
            const first = await analyzeAllStack(resources);
            const second = await analyzeAllStack(resources);
            for (const [policy, violations] of first) {
                for (const v of violations) {
                    assert.doesNotMatch(v.message, INTERNAL, `${policy} hit an internal error`);
                    assert.ok(v.message.length <= MAX_MESSAGE, `${policy} reported a ${v.message.length}-character message`);
                }
                assert.deepStrictEqual(second.get(policy), violations, `${policy} is deterministic`);
            }
        }), runs(60));
    });

    it("never shows a broker password or a generated secret in any message", async () => {
        await fc.assert(fc.asyncProperty(stack(), async resources => {
            const hidden = stackPasswords(resources);
            fc.pre(hidden.length > 0);
            for (const [policy, violations] of await analyzeAllStack(resources)) {
                for (const v of violations) {
                    for (const value of hidden) {
                        assert.ok(!v.message.includes(value), `${policy} showed a password or secret in: ${v.message}`);
                    }
                }
            }
        }), runs(40));
    });

    it("survives propertyDependencies the SDK would never build (holes, non-lists, foreign objects)", async () => {
        // Called directly, below the harness: the policies read propertyDependencies defensively.
        const odd = fc.constantFrom<unknown>(undefined, null, "urn", 42, {}, [null], [undefined], [{}], [{ urn: 7 }], [{ urn: "u", type: 7 }]);
        await fc.assert(fc.asyncProperty(stack(6), fc.array(fc.tuple(fc.nat(5), fc.constantFrom("kmsKeyId", "users", "securityGroups", "subnetIds", "securityGroupId", "targetKeyId", "secretString", "value"), odd), { maxLength: 6 }), async (resources, holes) => {
            for (const policy of stackPolicies) {
                const violations: string[] = [];
                const built = await buildResources(resources);
                for (const [index, input, value] of holes) {
                    const r = built[index % Math.max(1, built.length)];
                    if (r) {
                        (r.propertyDependencies as Record<string, unknown>)[input] = value;
                    }
                }
                await policy.validateStack({
                    resources: built,
                    stackTags: new Map(),
                    getConfig: () => ({}),
                    notApplicable: () => undefined,
                } as any, ((message: unknown) => violations.push(typeof message === "string" ? message : JSON.stringify(message))) as any);
                for (const m of violations) {
                    assert.doesNotMatch(m, INTERNAL, `${policy.name} hit an internal error`);
                }
            }
        }), runs(30));
    });
});

/** Resources as the harness builds them (linked by URN), to be bent afterwards. */
async function buildResources(resources: StackResource[]): Promise<PolicyResource[]> {
    let captured: PolicyResource[] = [];
    const spy = { ...stackPolicies[0], validateStack: (args: { resources: PolicyResource[] }) => { captured = args.resources; } } as unknown as PackStackPolicy;
    await analyzeStack(spy, resources);
    return captured;
}
