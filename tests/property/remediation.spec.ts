// Property-based tests of remediation (the `remediate` enforcement level) on generated brokers: a policy
// changes only the properties it remediates, keeps every secret a secret, never throws, and is idempotent.
// Reproduce a failure with the seed fast-check prints: FC_SEED=<seed> npx mocha tests/property/remediation.spec.ts
import * as assert from "assert";
import * as fc from "fast-check";
import { isSecretObject } from "../../engine/properties";
import { toStruct } from "../engine/reference-encoder";
import { policies } from "../../policies";
import type { PackResourcePolicy } from "../../policies/lib/policy";
import { analyze, remediate, secret } from "../support/runtime";
import { compliantActiveMq, compliantRabbitMq } from "../support/fixtures";
import { broker, runs } from "./arbitraries";

/** What each remediating policy may change: top-level inputs, and within them the fields it sets. */
const REMEDIATES: Record<string, { input: string; fields?: string[] }> = {
    "mq-broker-auto-minor-version-upgrade": { input: "autoMinorVersionUpgrade" },
    "mq-broker-logging": { input: "logs", fields: ["general", "audit"] },
};

const remediating = policies.filter((p): p is PackResourcePolicy => "validateResource" in p && !!p.remediateResource);

/** The properties as the engine sends them (the wire form remediation results are compared with). */
function wire(props: Record<string, unknown>): Record<string, unknown> {
    return toStruct(props).toJavaScript() as Record<string, unknown>;
}

/** Paths (through secrets, arrays and objects) of every secret in a wire-form value. */
function secretPaths(value: unknown, path: string[] = [], out: string[][] = []): string[][] {
    if (isSecretObject(value)) {
        out.push(path);
        secretPaths(value.value, path, out);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => secretPaths(v, [...path, String(i)], out));
    } else if (typeof value === "object" && value !== null) {
        Object.entries(value).forEach(([k, v]) => secretPaths(v, [...path, k], out));
    }
    return out;
}

/** The value at a path, looking through secrets; `missing` when the path is gone. */
const MISSING = Symbol("missing");
function at(value: unknown, path: string[]): unknown {
    let node: any = value;
    for (const key of path) {
        while (isSecretObject(node)) {
            node = node.value;
        }
        if (typeof node !== "object" || node === null || !(key in node)) {
            return MISSING;
        }
        node = node[key];
    }
    return node;
}

/** The remediated input's own fields, secrets looked through (the block, or the block in a one-element list). */
function blockOf(value: unknown): Record<string, unknown> | undefined {
    while (isSecretObject(value)) {
        value = value.value;
    }
    if (Array.isArray(value) && value.length === 1) {
        return blockOf(value[0]);
    }
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

describe("property: remediation on generated brokers", function () {
    this.timeout(120_000);

    it("covers every policy that remediates", () => {
        assert.deepStrictEqual(remediating.map(p => p.name).sort(), Object.keys(REMEDIATES).sort());
    });

    for (const policy of remediating) {
        const { input, fields } = REMEDIATES[policy.name] ?? { input: "?" };

        it(`${policy.name} changes only ${input}${fields ? ` (${fields.join(", ")})` : ""}, keeps secrets secret and is idempotent`, async () => {
            await fc.assert(fc.asyncProperty(broker, async props => {
                const before = wire(props);
                const after = await remediate(policy, props);
                if (after === undefined) {
                    return;
                }
                // Every other input exactly as it was, secrets still wrapped.
                const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
                for (const key of keys) {
                    if (key !== input) {
                        assert.deepStrictEqual(after[key], before[key], `${policy.name} changed ${key}`);
                    }
                }
                // Within the remediated input, only the remediated fields.
                if (fields) {
                    const was = blockOf(before[input]) ?? {};
                    const now = blockOf(after[input]);
                    assert.ok(now, `${policy.name} left ${input} a block`);
                    for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
                        if (!fields.includes(key)) {
                            assert.deepStrictEqual(now[key], was[key], `${policy.name} changed ${input}.${key}`);
                        }
                    }
                }
                // Every secret is still a secret where it was, the remediated values included. A secret nested
                // in a wrong-typed value of the remediated input may go with the value it replaced.
                for (const path of secretPaths(before)) {
                    if (path.length > 1 && path[0] === input && at(after, path) === MISSING) {
                        continue;
                    }
                    assert.ok(isSecretObject(at(after, path)), `${policy.name} made ${path.join(".")} plain`);
                }
                // Remediating the result changes nothing more, and the remediated rule is then satisfied.
                assert.strictEqual(await remediate(policy, after), undefined, `${policy.name} is idempotent`);
                const left = (await analyze(policy, after)).map(v => v.message);
                assert.ok(!left.some(m => /is not true|is false|not set/.test(m)), `${policy.name} left ${JSON.stringify(left)}`);
            }), runs(150));
        });
    }

    it("keeps a secret remediated value secret (logs.general, logs.audit, autoMinorVersionUpgrade)", async () => {
        // A value the program made secret stays secret when remediation sets it, as the SDK's
        // secrets-preserving proxy would keep it.
        for (const base of [compliantActiveMq, compliantRabbitMq]) {
            const props = { ...base(), autoMinorVersionUpgrade: secret(false), logs: { general: secret(false), audit: secret("false") } };
            for (const policy of remediating) {
                const after = await remediate(policy, props);
                assert.ok(after, `${policy.name} remediates`);
                for (const path of secretPaths(wire(props))) {
                    assert.ok(isSecretObject(at(after, path)), `${policy.name} made ${path.join(".")} plain`);
                }
            }
        }
    });
});
