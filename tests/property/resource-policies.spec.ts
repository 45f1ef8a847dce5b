// Property-based tests over every resource policy of the pack: generated brokers with wrong types, unknowns
// and secrets at random depths, missing properties, huge strings and mixed-case enums. Reproduce a failure
// with the seed fast-check prints: FC_SEED=<seed> npx mocha tests/property/resource-policies.spec.ts
import * as assert from "assert";
import * as fc from "fast-check";
import { policies } from "../../policies";
import type { PackResourcePolicy } from "../../policies/lib/policy";
import { compliantActiveMq, compliantRabbitMq } from "../support/fixtures";
import { analyze, secret, unknown, Violation } from "../support/runtime";
import { broker, ENUM_WORDS, passwordsIn, runs, secretTagValuesIn, strongPassword, UNKNOWNS } from "./arbitraries";

const resourcePolicies = policies.filter((p): p is PackResourcePolicy => "validateResource" in p);

/** The message the shared wrapper gives when a check throws: a bug in the policy, never an input's fault. */
const INTERNAL = /could not evaluate this resource \(internal/;

/** Messages are bounded whatever the input: no policy quotes a huge value back. */
const MAX_MESSAGE = 4000;

/** Settings that open the policies' optional paths (allow-lists, conventions), used on some runs. */
const SETTINGS: Record<string, Record<string, unknown>> = {
    "mq-broker-kms-encryption": { allowedKmsKeyArns: ["arn:aws:kms:*:111122223333:key/*"], minimumKeyManagement: "aws-managed" },
    "mq-broker-user-credentials": { allowConsoleAccess: false, minimumPasswordLength: 20 },
    "mq-broker-safe-naming": { brokerNamePattern: "(orders|payments)-[a-z0-9-]+" },
    "mq-broker-instance-type": { allowedInstanceTypes: ["mq.m5.*"] },
    "mq-broker-required-tags": { requiredTagKeys: ["team", "environment"] },
};

/** Every policy, the disabled-by-default ones turned on, on one broker. */
async function analyzeAll(props: Record<string, unknown>, name?: string, configured = false): Promise<Map<string, Violation[]>> {
    const results = new Map<string, Violation[]>();
    for (const policy of resourcePolicies) {
        const enforcementLevel = policy.enforcementLevel === "disabled" ? "mandatory" : undefined;
        const config = configured ? SETTINGS[policy.name] : undefined;
        results.set(policy.name, await analyze(policy, props, { name, enforcementLevel, config }));
    }
    return results;
}

const VOCABULARY = new Set(ENUM_WORDS.map(w => w.toLowerCase()));

/**
 * A password or secret that cannot appear in a message by coincidence: long, varied, and not a word the
 * policies use themselves (a password of "customer-managed" would match the KMS policy's own text).
 */
function distinctive(value: string): boolean {
    return value.length >= 12 && new Set(value).size >= 6 && !VOCABULARY.has(value.trim().toLowerCase());
}

function leaks(message: string, value: string): boolean {
    return message.includes(value) || message.includes(JSON.stringify(value).slice(1, -1));
}

const resourceName = fc.oneof(
    { arbitrary: fc.constantFrom("orders-broker", "jane.doe@example.com", "x"), weight: 4 },
    { arbitrary: fc.string({ maxLength: 80 }), weight: 2 },
    { arbitrary: fc.constant("n".repeat(100_000)), weight: 1 },
);

describe("property: every resource policy on generated brokers", function () {
    this.timeout(120_000);

    it("never throws, never reports an internal error, and gives the same findings twice", async () => {
        await fc.assert(fc.asyncProperty(broker, resourceName, fc.boolean(), async (props, name, configured) => {
            const first = await analyzeAll(props, name, configured);
            const second = await analyzeAll(props, name, configured);
            for (const [policy, violations] of first) {
                for (const v of violations) {
                    assert.doesNotMatch(v.message, INTERNAL, `${policy} hit an internal error`);
                    assert.ok(v.message.length <= MAX_MESSAGE, `${policy} reported a ${v.message.length}-character message`);
                }
                assert.deepStrictEqual(second.get(policy), violations, `${policy} is deterministic`);
            }
        }), runs(120));
    });

    it("never shows a password or a secret value in any message", async () => {
        // Passwords sit in users[].password and ldapServerMetadata.serviceAccountPassword, plain or secret,
        // sometimes embedded in (or equal to) a username; secret tag values too (see secretTagValuesIn).
        await fc.assert(fc.asyncProperty(broker, fc.boolean(), async (props, configured) => {
            const hidden = [...passwordsIn(props), ...secretTagValuesIn(props)].filter(distinctive);
            fc.pre(hidden.length > 0);
            for (const [policy, violations] of await analyzeAll(props, undefined, configured)) {
                for (const v of violations) {
                    for (const value of hidden) {
                        assert.ok(!leaks(v.message, value), `${policy} showed a password or secret value in: ${v.message}`);
                    }
                }
            }
        }), runs(100));
    });

    it("never shows a strong password, whichever user, tag or name also carries it", async () => {
        await fc.assert(fc.asyncProperty(
            fc.constantFrom(compliantActiveMq, compliantRabbitMq),
            strongPassword,
            fc.constantFrom("username", "username-prefix", "ldap", "tag-value", "both-users", "weak-suffix"),
            fc.boolean(),
            async (base, password, where, asSecret) => {
                const props: Record<string, unknown> = base();
                const wrap = (p: string) => (asSecret ? secret(p) : p);
                const users = (props.users as Record<string, unknown>[]).map(u => ({ ...u }));
                if (where === "username") {
                    users[0] = { ...users[0], username: password, password: wrap(password) };
                } else if (where === "username-prefix") {
                    users[0] = { ...users[0], username: `app-${password}`, password: wrap(password) };
                } else if (where === "ldap") {
                    props.ldapServerMetadata = { hosts: ["ldap.example.com"], serviceAccountUsername: password, serviceAccountPassword: wrap(password) };
                } else if (where === "tag-value") {
                    users[0] = { ...users[0], password: wrap(password) };
                    props.tags = { team: "payments", note: `password=${password}` };
                } else if (where === "both-users") {
                    users.push({ username: "second-user", password: wrap(password) });
                    users[0] = { ...users[0], password: wrap(password) };
                } else {
                    users[0] = { ...users[0], password: wrap(`${password},:=`) };
                }
                // A second user with the same password: a finding that names the users (never the password).
                users.push({ username: "other-user", password: wrap(password) });
                props.users = users;
                for (const [policy, violations] of await analyzeAll(props)) {
                    for (const v of violations) {
                        assert.ok(!leaks(v.message, password), `${policy} showed the password (${where}) in: ${v.message}`);
                    }
                }
            }), runs(60));
    });

    it("reports nothing for a compliant broker with any of its inputs unknown (preview)", async () => {
        // Any subset of the golden inputs, top level or nested, replaced by any unknown sentinel.
        const paths = (props: Record<string, unknown>): string[][] => {
            const result: string[][] = [];
            const walk = (value: unknown, path: string[]) => {
                if (path.length > 0) {
                    result.push(path);
                }
                if (Array.isArray(value)) {
                    value.forEach((v, i) => walk(v, [...path, String(i)]));
                } else if (typeof value === "object" && value !== null) {
                    Object.entries(value).forEach(([k, v]) => walk(v, [...path, k]));
                }
            };
            walk(props, []);
            return result;
        };
        const setAt = (root: Record<string, unknown>, path: string[], value: unknown) => {
            let node: any = root;
            for (const key of path.slice(0, -1)) {
                if (typeof node[key] !== "object" || node[key] === null) {
                    return; // an ancestor was already replaced
                }
                node = node[key];
            }
            node[path[path.length - 1]] = value;
        };
        const scenario = fc.constantFrom(compliantActiveMq, compliantRabbitMq).chain(base => {
            const all = paths(base());
            return fc.tuple(fc.constant(base), fc.subarray(all, { minLength: 1 }), fc.array(fc.constantFrom(...UNKNOWNS), { minLength: all.length, maxLength: all.length }));
        });
        await fc.assert(fc.asyncProperty(scenario, async ([base, chosen, sentinels]) => {
            const props = JSON.parse(JSON.stringify(base())) as Record<string, unknown>;
            chosen.forEach((path, i) => setAt(props, path, sentinels[i]));
            for (const [policy, violations] of await analyzeAll(props)) {
                if (policy === "mq-broker-ldap-authentication") {
                    continue; // opt-in: the golden brokers use simple authentication, which it flags by design
                }
                assert.deepStrictEqual(violations.map(v => v.message), [], `${policy} judged an unknown value`);
            }
        }), runs(80));
    });

    it("never reports more findings for an unknown input than for the same input absent", async () => {
        // Absent is one value an unknown can turn out to be (an output may resolve to nothing), so whatever an
        // unknown may be reported for must also be reported when the input is absent.
        const keys = ["brokerName", "engineType", "engineVersion", "hostInstanceType", "deploymentMode", "storageType",
            "authenticationStrategy", "dataReplicationMode", "subnetIds", "securityGroups", "publiclyAccessible",
            "autoMinorVersionUpgrade", "encryptionOptions", "logs", "users", "tags", "tagsAll", "ldapServerMetadata"];
        await fc.assert(fc.asyncProperty(broker, fc.constantFrom(...keys), fc.constantFrom(...UNKNOWNS), async (props, key, sentinel) => {
            const absent = { ...props };
            delete absent[key];
            const withUnknown = { ...props, [key]: sentinel };
            const ifAbsent = await analyzeAll(absent);
            for (const [policy, violations] of await analyzeAll(withUnknown)) {
                assert.ok(violations.length <= ifAbsent.get(policy)!.length,
                    `${policy}: ${key} unknown gives ${JSON.stringify(violations.map(v => v.message))}, absent gives ` +
                    JSON.stringify(ifAbsent.get(policy)!.map(v => v.message)));
            }
        }), runs(80));
    });

    it("keeps every resource policy quiet on both golden brokers", async () => {
        // The anchor for the properties above: the baselines really are compliant.
        for (const base of [compliantActiveMq, compliantRabbitMq]) {
            for (const [policy, violations] of await analyzeAll(base())) {
                if (policy !== "mq-broker-ldap-authentication") {
                    assert.deepStrictEqual(violations, [], policy);
                }
            }
        }
        assert.ok(unknown.string);
    });
});
