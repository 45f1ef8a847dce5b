// The example stacks in examples/, read as `analyze` reads them, through every policy in-process: the
// compliant ones give no finding at all, the insecure one gives each finding its README row promises.
import * as assert from "assert";
import * as path from "path";
import { readStackExport } from "../engine/state";
import { policies } from "../policies";
import type { PackResourcePolicy, PackStackPolicy } from "../policies/lib/policy";
import { analyze, analyzeStack, Violation } from "./support/runtime";

const EXAMPLES = path.resolve(__dirname, "..", "examples");

async function findings(file: string): Promise<Map<string, Violation[]>> {
    const { state } = readStackExport(path.join(EXAMPLES, file));
    const result = new Map<string, Violation[]>();
    for (const policy of policies) {
        const found: Violation[] = [];
        if ("validateStack" in policy) {
            found.push(...await analyzeStack(policy as PackStackPolicy, state.stackResources.map(r => ({
                urn: r.urn, type: r.type, props: r.properties, parent: r.parent,
                dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            }))));
        } else {
            for (const r of state.resources) {
                found.push(...await analyze(policy as PackResourcePolicy, r.properties, { name: r.name, urn: r.urn, type: r.type }));
            }
        }
        result.set(policy.name, found);
    }
    return result;
}

describe("the example stacks", () => {
    for (const file of ["compliant-activemq-stack.json", "compliant-rabbitmq-stack.json"]) {
        it(`${file} passes every policy`, async () => {
            for (const [policy, violations] of await findings(file)) {
                assert.deepStrictEqual(violations.map(v => v.message), [], policy);
            }
        });
    }

    it("insecure-stack.json fails what the README says: public, single instance, AWS-owned key, weak plaintext password, PII in the name, open security group", async () => {
        const found = await findings("insecure-stack.json");
        const failing = [...found].filter(([, v]) => v.length > 0).map(([name]) => name);
        for (const policy of [
            "mq-broker-no-public-access",
            "mq-broker-high-availability",
            "mq-broker-kms-encryption",
            "mq-broker-user-credentials",
            "mq-broker-safe-naming",
            "mq-stack-secret-backed-users",
            "mq-stack-network-exposure",
        ]) {
            assert.ok(failing.includes(policy), `${policy} flags the insecure stack`);
        }
        assert.ok(found.get("mq-stack-network-exposure")!.some(v => /0\.0\.0\.0\/0/.test(v.message)));
    });
});
