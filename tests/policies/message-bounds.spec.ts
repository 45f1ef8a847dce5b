// Every message of every policy stays short whatever the input: no policy echoes a huge value back (a
// 100,000-character storageType was echoed whole). Two sweeps: a deterministic one that replaces every string
// and every key of rich brokers and stacks with hostile values (huge, astral, ending in half a surrogate pair),
// and a fast-check one over generated brokers and stacks. Reproduce a failure with the seed fast-check prints:
// FC_SEED=<seed> npx mocha tests/policies/message-bounds.spec.ts
import * as assert from "assert";
import * as fc from "fast-check";
import { policies } from "../../policies";
import type { PackResourcePolicy, PackStackPolicy } from "../../policies/lib/policy";
import { broker as brokerArbitrary, runs, stack as stackArbitrary } from "../property/arbitraries";
import { compliantActiveMq, compliantRabbitMq, passwords } from "../support/fixtures";
import { analyze, analyzeStack, StackResource, Violation } from "../support/runtime";
import { broker, goodKeyProps, resource, TYPES } from "../support/stacks";

/** The longest a policy's own message may be (the description the SDK prepends is not counted). */
const MAX_MESSAGE = 1000;

const resourcePolicies = policies.filter((p): p is PackResourcePolicy => "validateResource" in p);
const stackPolicies = policies.filter((p): p is PackStackPolicy => "validateStack" in p);

/**
 * Three times the bound is enough to show a value echoed whole; the policies' own huge-value specs use
 * 100,000 characters (decoding that for every mutation of every policy would take minutes).
 */
const HUGE = 3 * MAX_MESSAGE;
/** Hostile strings: huge, huge astral text, a lone high surrogate at the cut, near-valid values made huge. */
const HOSTILE: readonly string[] = [
    "a".repeat(HUGE),
    "😀".repeat(HUGE / 2),
    `${"b".repeat(79)}😀${"c".repeat(HUGE)}`,
    `ebs${" ".repeat(HUGE)}x`,
    `mq.m5.${"large".repeat(HUGE / 5)}`,
    `5.18.${"9".repeat(HUGE)}`,
    `us-east-1${"a".repeat(HUGE)}`,
    `${"0".repeat(HUGE)}.0.0.0/0`,
    `arn:aws:kms:us-east-1:111122223333:key/${"k".repeat(HUGE)}`,
];

/** The policy's own message: what follows the description line the SDK prepends. */
function own(violation: Violation): string {
    const newline = violation.message.indexOf("\n");
    return newline >= 0 ? violation.message.slice(newline + 1) : violation.message;
}

function assertBounded(violations: Violation[], where: string): void {
    for (const v of violations) {
        const message = own(v);
        assert.ok(message.length <= MAX_MESSAGE, `${where}: a ${message.length}-character message: ${message.slice(0, 300)}…`);
        // Never half of a surrogate pair: a lone surrogate corrupts terminals, JSON and SARIF.
        assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(message),
            `${where}: a message ends or breaks a surrogate pair`);
    }
}

/** Every way to replace one string leaf (or one object key) of `value` with `replacement`. */
function* mutations(value: unknown, replacement: string): Generator<unknown> {
    if (typeof value === "string") {
        yield replacement;
    } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            for (const changed of mutations(value[i], replacement)) {
                yield value.map((v, j) => (j === i ? changed : v));
            }
        }
    } else if (typeof value === "object" && value !== null) {
        for (const [key, child] of Object.entries(value)) {
            for (const changed of mutations(child, replacement)) {
                yield { ...value, [key]: changed };
            }
            // The key itself (tag keys are user text too).
            const renamed: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) {
                renamed[k === key ? replacement : k] = v;
            }
            yield renamed;
        }
    }
}

/** A broker with every property the policies read set to something, so every path is exercised. */
function richBroker(engine: "ActiveMQ" | "RabbitMQ"): Record<string, unknown> {
    const base = engine === "ActiveMQ" ? compliantActiveMq() : compliantRabbitMq();
    return {
        ...base,
        deploymentMode: "SINGLE_INSTANCE",
        storageType: "ebs",
        hostInstanceType: "mq.m5.large",
        engineVersion: engine === "ActiveMQ" ? "5.17.6" : "3.12",
        authenticationStrategy: "simple",
        dataReplicationMode: "CRDR",
        publiclyAccessible: true,
        autoMinorVersionUpgrade: false,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        ldapServerMetadata: {
            hosts: ["ldap.example.com"],
            serviceAccountUsername: "svc-mq",
            serviceAccountPassword: passwords.activeApp,
            userBase: "ou=Users,dc=example,dc=com",
            roleBase: "ou=Groups,dc=example,dc=com",
        },
        users: [
            { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true, replicationUser: true, groups: ["admins"] },
            { username: "orders-app", password: passwords.activeAdmin },
        ],
        tags: { team: "payments", owner: "ops" },
        tagsAll: { team: "payments", owner: "ops", cost: "1234" },
    };
}

/** Settings that open the policies' optional paths, so their messages are exercised too. */
const SETTINGS: Record<string, Record<string, unknown>> = {
    "mq-broker-kms-encryption": { allowedKmsKeyArns: ["arn:aws:kms:*:999999999999:key/*"] },
    "mq-broker-instance-type": { allowedInstanceTypes: ["mq.m7g.*"] },
    "mq-broker-required-tags": { requiredTagKeys: ["Team", "environment"] },
    "mq-broker-user-credentials": { allowConsoleAccess: false },
    "mq-stack-network-exposure": { allowedIngressCidrs: ["10.0.0.0/8"] },
};

async function resourceMessages(props: Record<string, unknown>, name = "orders-broker", configured = true): Promise<Violation[]> {
    const all: Violation[] = [];
    for (const policy of resourcePolicies) {
        const enforcementLevel = policy.enforcementLevel === "disabled" ? "mandatory" : undefined;
        all.push(...await analyze(policy, props, { name, enforcementLevel, config: configured ? SETTINGS[policy.name] : undefined }));
    }
    return all;
}

async function stackMessages(resources: StackResource[], configured = true): Promise<Violation[]> {
    const all: Violation[] = [];
    for (const policy of stackPolicies) {
        const enforcementLevel = policy.enforcementLevel === "disabled" ? "mandatory" : undefined;
        all.push(...await analyzeStack(policy, resources, { enforcementLevel, config: configured ? SETTINGS[policy.name] : undefined }));
    }
    return all;
}

const PROVIDER = { urn: "urn:pulumi:prod::messaging::pulumi:providers:aws::east", type: "pulumi:providers:aws", name: "east", props: { region: "us-east-1", useFipsEndpoint: "false" } };

/** A stack with every kind of resource the stack policies relate, each with weak settings. */
function richStack(): StackResource[] {
    const key = resource(TYPES.key, "orders-key", { ...goodKeyProps(), enableKeyRotation: false, deletionWindowInDays: 7, keyUsage: "SIGN_VERIFY" });
    const group = resource(TYPES.securityGroup, "orders-sg", {
        ingress: [{ protocol: "tcp", fromPort: 5671, toPort: 5671, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"], ipv6CidrBlocks: ["::/0"] }],
    });
    const rule = resource(TYPES.securityGroupRule, "orders-rule", {
        type: "ingress", protocol: "tcp", fromPort: 61617, toPort: 61617, cidrBlocks: ["0.0.0.0/0", "203.0.113.0/24"],
    }, { securityGroupId: [group] });
    const ingress = resource(TYPES.ingressRule, "orders-ingress", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [group] });
    const subnets = ["a", "b"].map(zone => resource(TYPES.subnet, `subnet-${zone}`, { availabilityZone: "us-east-1a", availabilityZoneId: "use1-az1" }));
    const active = broker("orders", { ...richBroker("ActiveMQ"), deploymentMode: "ACTIVE_STANDBY_MULTI_AZ", brokerName: "orders" },
        { encryptionOptions: [key], securityGroups: [group], subnetIds: subnets, users: [] });
    const rabbit = broker("orders-2", { ...richBroker("RabbitMQ"), deploymentMode: "CLUSTER_MULTI_AZ", brokerName: "orders", subnetIds: ["subnet-a"] },
        { encryptionOptions: [key], securityGroups: [group], subnetIds: [subnets[0]] }, "RabbitMQ");
    return [key, group, rule, ingress, ...subnets, { ...active, provider: PROVIDER }, { ...rabbit, provider: PROVIDER }];
}

describe("message bounds: every message of every policy stays short for any input", function () {
    this.timeout(600_000);

    it("holds for the rich brokers as they are (the sweep starts from findings, not silence)", async () => {
        for (const engine of ["ActiveMQ", "RabbitMQ"] as const) {
            const violations = await resourceMessages(richBroker(engine));
            assert.ok(violations.length >= 8, `${engine}: ${violations.length} findings`);
            assertBounded(violations, engine);
        }
        const violations = await stackMessages(richStack());
        assert.ok(violations.length >= 5, `stack: ${violations.length} findings`);
        assertBounded(violations, "stack");
    });

    it("holds when any one string or key of a broker is a hostile value", async () => {
        for (const engine of ["ActiveMQ", "RabbitMQ"] as const) {
            const base = richBroker(engine);
            for (const hostile of HOSTILE) {
                for (const changed of mutations(base, hostile)) {
                    assertBounded(await resourceMessages(changed as Record<string, unknown>), `${engine} with one hostile value`);
                }
            }
        }
    });

    it("holds for a hostile resource name", async () => {
        for (const hostile of HOSTILE) {
            assertBounded(await resourceMessages({ ...richBroker("ActiveMQ"), brokerName: undefined }, hostile), "hostile resource name");
        }
    });

    it("holds when any one string or key of any resource of a stack is a hostile value", async () => {
        const base = richStack();
        for (const hostile of HOSTILE.slice(0, 4)) {
            for (let i = 0; i < base.length; i++) {
                for (const changed of mutations(base[i].props, hostile)) {
                    const resources = base.map((r, j) => (j === i ? { ...r, props: changed as Record<string, unknown> } : r));
                    assertBounded(await stackMessages(resources), `stack with one hostile value in ${base[i].urn}`);
                }
            }
            // Hostile provider inputs (region, useFipsEndpoint).
            for (const changed of mutations(PROVIDER.props, hostile)) {
                const resources = base.map(r => (r.provider ? { ...r, provider: { ...PROVIDER, props: changed as Record<string, unknown> } } : r));
                assertBounded(await stackMessages(resources), "stack with hostile provider inputs");
            }
        }
    });

    it("holds for generated brokers", async () => {
        await fc.assert(fc.asyncProperty(brokerArbitrary, fc.boolean(), async (props, configured) => {
            assertBounded(await resourceMessages(props, "orders-broker", configured), "generated broker");
        }), runs(150));
    });

    it("holds for generated stacks", async () => {
        await fc.assert(fc.asyncProperty(stackArbitrary(10), fc.boolean(), async (resources, configured) => {
            assertBounded(await stackMessages(resources, configured), "generated stack");
        }), runs(80));
    });
});
