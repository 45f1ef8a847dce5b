// `analyze` on a generated export of over a thousand resources: the command (encoded requests, many Analyze
// calls in flight, one large AnalyzeStack) reports exactly what every policy reports in-process over the
// same resources, attributed to the right resources, in resource order. No timing assertion: the benchmark
// measures speed, this checks that the fast path is still right. 120 brokers (1,082 resources, every rule the
// generator breaks broken on 9 to 17 of them) show that as well as the 300 (2,702 resources) used before, at
// 40% of the cost: 1,080 Analyze calls keep the 16 in flight busy, and nothing in the path changes with size
// (the gRPC limit on both sides is far above a 2,702-resource AnalyzeStack).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SECRET_SIG, SIG_KEY } from "../../engine/properties";
import { readStackExport } from "../../engine/state";
import { policies } from "../../policies";
import { BROKER_TYPES } from "../../policies/lib/broker";
import { CONFIGURATION_TYPES } from "../../policies/lib/configuration-facts";
import type { PackResourcePolicy, PackStackPolicy } from "../../policies/lib/policy";
import { analyze, analyzeStack } from "../support/runtime";
import { CliResult, runCli, scratchDir } from "./support";

const BROKERS = 120;
const STACK = "prod";
const PROJECT = "messaging";
const PROVIDER = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`;
const ROOT = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;

const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
const encrypted = (i: number) => ({ [SIG_KEY]: SECRET_SIG, ciphertext: `v1:${i.toString(16).padStart(8, "0")}:AAECAwQFBgcICQ==` });
const hex = (i: number, width: number) => i.toString(16).padStart(width, "0");

/** Which brokers break which rule (so the test knows how many findings of each to expect). */
const isPublic = (i: number) => i % 7 === 3;
const isSingleInstance = (i: number) => i % 11 === 5;
const hasOpenRule = (i: number) => i % 13 === 6;

/** Resources per broker: key, alias, security group, ingress rule, two subnets, password, secret version, broker. */
const PER_BROKER = 9;

/** An export (deployment version 3) of the stack root, the default AWS provider and PER_BROKER resources per broker. */
function generatedExport(brokers: number): unknown {
    const resources: Array<Record<string, unknown>> = [
        { urn: ROOT, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        {
            urn: PROVIDER, custom: true, id: "005db20e-2a13-4fc8-a95a-7761dfa5aff9", type: "pulumi:providers:aws",
            inputs: { region: "us-east-1", version: "7.48.0" }, outputs: { region: "us-east-1", version: "7.48.0" },
        },
    ];
    const add = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>, feeds: Record<string, string[]> = {}) => {
        const id = urn(type, name);
        resources.push({
            urn: id, custom: true, id: `${name}-id`, type, inputs: { __defaults: [], ...inputs }, outputs,
            parent: ROOT, provider: `${PROVIDER}::005db20e-2a13-4fc8-a95a-7761dfa5aff9`,
            dependencies: [...new Set(Object.values(feeds).flat())], propertyDependencies: feeds,
        });
        return id;
    };
    for (let i = 0; i < brokers; i++) {
        const base = `orders-${i}`;
        const rabbit = i % 2 === 1;
        const keyArn = `arn:aws:kms:us-east-1:111122223333:key/${hex(i, 8)}-12ab-34cd-56ef-1234567890ab`;
        const keyProps = { keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: true, deletionWindowInDays: 30, description: `${base} key` };
        const key = add("aws:kms/key:Key", `${base}-key`, keyProps, { ...keyProps, arn: keyArn, isEnabled: true });
        add("aws:kms/alias:Alias", `${base}-alias`, { name: `alias/${base}`, targetKeyId: keyArn }, { name: `alias/${base}`, targetKeyId: keyArn, targetKeyArn: keyArn }, { targetKeyId: [key] });
        const sgId = `sg-${hex(i, 17)}`;
        const sg = add("aws:ec2/securityGroup:SecurityGroup", `${base}-sg`, { description: "Amazon MQ broker", vpcId: "vpc-0aa11bb22cc33dd44" },
            { id: sgId, description: "Amazon MQ broker", vpcId: "vpc-0aa11bb22cc33dd44", ingress: [], egress: [] });
        const port = rabbit ? 5671 : 61617;
        const rule = { type: "ingress", protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [hasOpenRule(i) ? "0.0.0.0/0" : "10.0.0.0/16"], securityGroupId: sgId };
        add("aws:ec2/securityGroupRule:SecurityGroupRule", `${base}-ingress`, rule, rule, { securityGroupId: [sg] });
        const subnets = [0, 1].map(k => {
            const props = { vpcId: "vpc-0aa11bb22cc33dd44", cidrBlock: `10.${i % 250}.${k * 16}.0/20`, availabilityZone: `us-east-1${"ab"[k]}` };
            return { id: `subnet-${hex(i * 2 + k, 17)}`, urn: add("aws:ec2/subnet:Subnet", `${base}-subnet-${k}`, props, { ...props, id: `subnet-${hex(i * 2 + k, 17)}` }) };
        });
        const password = add("random:index/randomPassword:RandomPassword", `${base}-password`, { length: 32, special: false },
            { length: 32, special: false, result: encrypted(i) });
        const version = add("aws:secretsmanager/secretVersion:SecretVersion", `${base}-password`, { secretId: `${base}-secret`, secretString: encrypted(i + 1) },
            { secretId: `${base}-secret`, secretString: encrypted(i + 1), versionId: `v-${hex(i, 12)}` }, { secretString: [password] });
        const single = isSingleInstance(i);
        const inputs: Record<string, unknown> = {
            brokerName: `orders-${rabbit ? "rabbitmq" : "activemq"}-${i}`,
            engineType: rabbit ? "RabbitMQ" : "ActiveMQ",
            engineVersion: rabbit ? "3.13" : "5.18",
            hostInstanceType: "mq.m5.large",
            deploymentMode: single ? "SINGLE_INSTANCE" : rabbit ? "CLUSTER_MULTI_AZ" : "ACTIVE_STANDBY_MULTI_AZ",
            subnetIds: single ? [subnets[0].id] : subnets.map(s => s.id),
            securityGroups: [sgId],
            publiclyAccessible: isPublic(i),
            autoMinorVersionUpgrade: true,
            encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: keyArn },
            logs: rabbit ? { general: true } : { general: true, audit: true },
            users: [{ username: "orders-app", password: encrypted(i + 2) }],
            tags: { team: "payments", environment: "prod" },
            ...(rabbit ? {} : { storageType: "efs" }),
        };
        add("aws:mq/broker:Broker", `${base}-broker`, inputs,
            { ...inputs, arn: `arn:aws:mq:us-east-1:111122223333:broker:${base}:b-${hex(i, 8)}`, id: `b-${hex(i, 8)}` },
            { encryptionOptions: [key], securityGroups: [sg], subnetIds: subnets.map(s => s.urn), users: [version] });
    }
    return { version: 3, deployment: { manifest: { time: "2026-03-10T09:45:02.000000Z", magic: "", version: "v3.248.0" }, resources } };
}

interface Found {
    policyName: string;
    urn: string;
    message: string;
}

const key = (f: Found) => `${f.policyName}\u0000${f.urn}\u0000${f.message}`;

/**
 * The resources a resource policy is run on in-process: every broker and configuration, and the first resource
 * of each other type (a resource policy judges only brokers and configurations: 8 of the 9 resources per broker
 * are of other types, and running 16 policies on each of them took most of this spec's time). A finding the
 * command reports on any other resource is still caught: it is in the command's list and not in this one.
 */
function judgedOneByOne<R extends { type: string }>(resources: R[]): R[] {
    const seen = new Set<string>();
    return resources.filter(r => BROKER_TYPES.includes(r.type) || CONFIGURATION_TYPES.includes(r.type)
        || (!seen.has(r.type) && seen.add(r.type) !== undefined));
}

/** What every policy reports in-process over the resources as `analyze` reads them. */
async function inProcess(file: string): Promise<Found[]> {
    const { state } = readStackExport(file);
    const found: Found[] = [];
    const judged = judgedOneByOne(state.resources);
    const strip = (description: string, message: string) =>
        (message.startsWith(`${description}\n`) ? message.slice(description.length + 1).trim() : message.trim()) || description;
    for (const policy of policies) {
        if ("validateStack" in policy) {
            const stack = state.stackResources.map(r => ({
                urn: r.urn, type: r.type, props: r.properties, parent: r.parent,
                dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
            }));
            for (const v of await analyzeStack(policy as PackStackPolicy, stack)) {
                found.push({ policyName: policy.name, urn: v.urn ?? "", message: strip(policy.description, v.message) });
            }
        } else {
            for (const r of judged) {
                for (const v of await analyze(policy as PackResourcePolicy, r.properties, { name: r.name, urn: r.urn, type: r.type })) {
                    found.push({ policyName: policy.name, urn: r.urn, message: strip(policy.description, v.message) });
                }
            }
        }
    }
    return found;
}

describe("aws-mq-guardrails analyze on a generated stack of over a thousand resources", function () {
    this.timeout(300_000);
    const scratch = scratchDir();
    const file = path.join(scratch.dir, "large-stack.json");
    let result: CliResult;
    let report: any;

    before(async () => {
        fs.writeFileSync(file, JSON.stringify(generatedExport(BROKERS), null, 2));
        result = await runCli(["analyze", "--file", file, "--format", "json"], { timeoutMs: 240_000 });
        try {
            report = JSON.parse(result.stdout);
        } catch {
            assert.fail(`stdout is not JSON; exit ${result.code}, stderr: ${result.stderr}`);
        }
    });
    after(() => scratch.cleanup());

    it("reads every resource and analyzes each custom one", () => {
        assert.strictEqual(result.code, 1, `mandatory violations exit 1; stderr: ${result.stderr}`);
        assert.strictEqual(report.summary.resources, BROKERS * PER_BROKER + 2);
        assert.strictEqual(report.summary.analyzedResources, BROKERS * PER_BROKER);
    });

    it("reports each rule the generator broke, on exactly the brokers it broke it on", () => {
        const brokersWith = (policy: string) => new Set(report.violations
            .filter((v: Found) => v.policyName === policy).map((v: Found) => v.urn));
        const expected = (pred: (i: number) => boolean, type = "aws:mq/broker:Broker", suffix = "broker") =>
            new Set(Array.from({ length: BROKERS }, (_, i) => i).filter(pred).map(i => urn(type, `orders-${i}-${suffix}`)));
        assert.deepStrictEqual(brokersWith("mq-broker-no-public-access"), expected(isPublic));
        assert.deepStrictEqual(brokersWith("mq-broker-high-availability"), expected(isSingleInstance));
        // The stack policy names the rule that lets the world reach a broker.
        const exposed = report.violations.filter((v: Found) => v.policyName === "mq-stack-network-exposure");
        assert.deepStrictEqual(new Set(exposed.map((v: Found) => v.urn)),
            expected(hasOpenRule, "aws:ec2/securityGroupRule:SecurityGroupRule", "ingress"));
        assert.ok(exposed.every((v: Found) => v.message.includes("0.0.0.0/0")), "the message names the open range");
    });

    it("reports exactly what every policy reports in-process over the same resources", async () => {
        const expected = (await inProcess(file)).map(key).sort();
        const actual = report.violations.map((v: Found) => key({ policyName: v.policyName, urn: v.urn, message: v.message })).sort();
        assert.ok(expected.length > BROKERS / 4, `the generated stack breaks rules (${expected.length} findings)`);
        assert.deepStrictEqual(actual, expected);
    });

    it("lists findings in resource order", () => {
        const order = new Map<string, number>();
        (readStackExport(file).state.stackResources).forEach((r, i) => order.set(r.urn, i));
        const positions = report.violations.map((v: Found) => order.get(v.urn) ?? Number.MAX_SAFE_INTEGER);
        assert.deepStrictEqual(positions, [...positions].sort((a: number, b: number) => a - b));
    });
});
