// The example stacks in examples/, read as `analyze` reads them, through every policy in-process: the
// compliant ones give no finding at all, the insecure one gives each finding its README row promises, and the
// aws-native one with a credential in its configuration gives exactly the resource-policy finding it is for.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readStackExport } from "../engine/state";
import { policies } from "../policies";
import type { PackResourcePolicy, PackStackPolicy } from "../policies/lib/policy";
import { analyze, analyzeStack, Violation } from "./support/runtime";

const EXAMPLES = path.resolve(__dirname, "..", "examples");

/** Every policy's violations on the example, each with the URN of the resource it is on. */
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
                found.push(...(await analyze(policy as PackResourcePolicy, r.properties, { name: r.name, urn: r.urn, type: r.type }))
                    .map(v => ({ ...v, urn: r.urn })));
            }
        }
        result.set(policy.name, found);
    }
    return result;
}

describe("the example stacks", () => {
    for (const file of ["compliant-activemq-stack.json", "compliant-rabbitmq-stack.json", "compliant-aws-native-activemq-stack.json"]) {
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

    describe("aws-native-configuration-credential-stack.json", () => {
        const file = "aws-native-configuration-credential-stack.json";
        const urn = (type: string, name: string) => `urn:pulumi:prod::messaging-native::${type}::${name}`;
        const configurationUrn = urn("aws-native:amazonmq:Configuration", "orders-activemq-config");
        const brokerUrn = urn("aws-native:amazonmq:Broker", "orders");

        /** The credential in the configuration's base64 data: the user:password of its networkConnector uri. */
        function embeddedPassword(): string {
            const { state } = readStackExport(path.join(EXAMPLES, file));
            const configuration = state.stackResources.find(r => r.urn === configurationUrn)!;
            const xml = Buffer.from(String(configuration.properties.data), "base64").toString("utf8");
            const match = /<networkConnector\b[^>]*\buri="static:\(ssl:\/\/[^:@"\/]+:([^@"\/]+)@[^"]+"/.exec(xml);
            assert.ok(match, "a networkConnector uri with user:password in the decoded data");
            return match[1];
        }

        it("is an aws-native stack: broker, configuration, KMS key, security group with inline securityGroupIngress, subnets", () => {
            const { state } = readStackExport(path.join(EXAMPLES, file));
            const byType = (type: string) => state.stackResources.filter(r => r.type === type);
            assert.strictEqual(byType("aws-native:amazonmq:Broker").length, 1);
            assert.strictEqual(byType("aws-native:amazonmq:Configuration").length, 1);
            assert.strictEqual(byType("aws-native:kms:Key").length, 1);
            assert.strictEqual(byType("aws-native:ec2:Subnet").length, 2);
            const [group] = byType("aws-native:ec2:SecurityGroup");
            assert.ok(Array.isArray(group.properties.securityGroupIngress) && group.properties.securityGroupIngress.length > 0);
            assert.deepStrictEqual(state.stackResources.filter(r => r.type.startsWith("aws:")).map(r => r.type), []);
            const broker = state.stackResources.find(r => r.urn === brokerUrn)!;
            assert.deepStrictEqual(broker.propertyDependencies?.configuration, [configurationUrn]);
        });

        it("embeds a password in a networkConnector uri of the configuration's base64 data, not marked secret", () => {
            assert.ok(embeddedPassword().length >= 12);
            const raw = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8")).deployment.resources
                .find((r: { urn: string }) => r.urn === configurationUrn);
            assert.strictEqual(typeof raw.inputs.data, "string");
            assert.strictEqual(raw.outputs.data, raw.inputs.data);
        });

        it("fails mq-configuration-no-embedded-credentials on the configuration and no other resource policy", async () => {
            const found = await findings(file);
            const resourceFindings = policies.filter(p => !("validateStack" in p))
                .flatMap(p => found.get(p.name)!.map(v => `${p.name} ${v.enforcementLevel} ${v.urn}`));
            assert.deepStrictEqual(resourceFindings, [`mq-configuration-no-embedded-credentials mandatory ${configurationUrn}`]);
            assert.match(found.get("mq-configuration-no-embedded-credentials")![0].message, /^data embeds credentials at line \d+, attribute uri of <networkConnector>/m);
        });

        it("is otherwise compliant: each stack-policy finding is on the broker and about its configuration", async () => {
            const found = await findings(file);
            for (const policy of policies.filter(p => "validateStack" in p)) {
                for (const v of found.get(policy.name)!) {
                    assert.strictEqual(v.urn, brokerUrn, policy.name);
                    assert.match(v.message, /\bconfiguration orders-activemq-config\b/, policy.name);
                }
            }
        });

        it("never quotes the embedded password in a message", async () => {
            const password = embeddedPassword();
            for (const [policy, violations] of await findings(file)) {
                for (const v of violations) {
                    assert.ok(!v.message.includes(password), `${policy} quotes the password`);
                }
            }
        });

        it("has the resources of compliant-aws-native-activemq-stack.json, whose configuration differs in the networkConnector line only", () => {
            const read = (name: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), "utf8")).deployment.resources as any[];
            const credential = read(file);
            const compliant = read("compliant-aws-native-activemq-stack.json");
            assert.deepStrictEqual(credential.map(r => r.urn), compliant.map(r => r.urn));
            const decode = (r: any) => Buffer.from(String(r.inputs.data), "base64").toString("utf8");
            const config = (rs: any[]) => rs.find(r => r.urn === configurationUrn);
            const lines = (text: string) => text.split("\n");
            const changed = lines(decode(config(credential))).filter((l, i) => l !== lines(decode(config(compliant)))[i]);
            assert.strictEqual(changed.length, 1);
            assert.match(changed[0], /<networkConnector /);
        });
    });
});
