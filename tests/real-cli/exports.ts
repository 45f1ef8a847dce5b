// Realistic stack exports for the real-CLI suites, derived from the compliant examples: each "unit" is a whole
// compliant broker with its VPC, subnets, KMS key, security group and secret, renamed, with one mutation.
// Secrets are written in plaintext form ({sig, plaintext}); the suites turn them into ciphertext with the real CLI.
import { createHash } from "crypto";
import { readFileSync } from "fs";
import path from "path";
import { ROOT } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
type Json = any;

export interface Mutation {
    /** Short label, used in resource names. */
    name: string;
    /** The policy expected to report the mutated broker (or the resource named by `on`). */
    expect?: string;
    /** Which resource the expected finding is on, by type; the broker when absent. */
    on?: string;
    apply(unit: Unit): void;
}

interface Unit {
    broker: Json;
    byType(type: string): Json[];
    setPassword(value: string): void;
}

const STRONG = (i: number) => `Zq7!vR2#mW9$kT4%nB6^xY${i}pL8&`;

export const ACTIVEMQ_MUTATIONS: Mutation[] = [
    { name: "ok", apply: () => undefined },
    { name: "public", expect: "mq-broker-no-public-access", apply: u => { u.broker.inputs.publiclyAccessible = true; } },
    {
        name: "single", expect: "mq-broker-high-availability",
        apply: u => { u.broker.inputs.deploymentMode = "SINGLE_INSTANCE"; u.broker.inputs.subnetIds = u.broker.inputs.subnetIds.slice(0, 1); },
    },
    { name: "awskey", expect: "mq-broker-kms-encryption", apply: u => { u.broker.inputs.encryptionOptions = { useAwsOwnedKey: true }; } },
    { name: "nologs", expect: "mq-broker-logging", apply: u => { u.broker.inputs.logs = { general: false, audit: false }; } },
    { name: "small", expect: "mq-broker-instance-type", apply: u => { u.broker.inputs.hostInstanceType = "mq.t2.micro"; } },
    { name: "weakpw", expect: "mq-broker-user-credentials", apply: u => u.setPassword("password") },
    { name: "noupgrade", expect: "mq-broker-auto-minor-version-upgrade", apply: u => { u.broker.inputs.autoMinorVersionUpgrade = false; } },
    { name: "notags", expect: "mq-broker-required-tags", apply: u => { delete u.broker.inputs.tags; } },
    {
        name: "norotate", expect: "mq-stack-kms-key-hygiene", on: "aws:kms/key:Key",
        apply: u => { for (const k of u.byType("aws:kms/key:Key")) k.inputs.enableKeyRotation = false; },
    },
];

export const RABBITMQ_MUTATIONS: Mutation[] = [
    { name: "ok", apply: () => undefined },
    { name: "public", expect: "mq-broker-no-public-access", apply: u => { u.broker.inputs.publiclyAccessible = true; } },
    {
        name: "single", expect: "mq-broker-high-availability",
        apply: u => { u.broker.inputs.deploymentMode = "SINGLE_INSTANCE"; u.broker.inputs.subnetIds = u.broker.inputs.subnetIds.slice(0, 1); },
    },
    { name: "awskey", expect: "mq-broker-kms-encryption", apply: u => { u.broker.inputs.encryptionOptions = { useAwsOwnedKey: true }; } },
    { name: "nologs", expect: "mq-broker-logging", apply: u => { u.broker.inputs.logs = { general: false }; } },
    { name: "weakpw", expect: "mq-broker-user-credentials", apply: u => u.setPassword("guest") },
    { name: "notags", expect: "mq-broker-required-tags", apply: u => { delete u.broker.inputs.tags; } },
];

/** The aws-native twins of the ActiveMQ mutations, on examples/compliant-aws-native-activemq-stack.json. */
export const NATIVE_MUTATIONS: Mutation[] = [
    ...ACTIVEMQ_MUTATIONS.filter(m => m.on === undefined),
    {
        name: "norotate", expect: "mq-stack-kms-key-hygiene", on: "aws-native:kms:Key",
        apply: u => { for (const k of u.byType("aws-native:kms:Key")) k.inputs.enableKeyRotation = false; },
    },
];

const BROKER_TYPES = new Set(["aws:mq/broker:Broker", "aws-native:amazonmq:Broker"]);

/** Every string in `value` with `from` replaced by `to` (names, URNs, IDs). */
function rename(value: Json, from: RegExp, to: string): Json {
    if (typeof value === "string") return value.replace(from, to);
    if (Array.isArray(value)) return value.map(v => rename(v, from, to));
    if (value && typeof value === "object") {
        const out: Json = {};
        for (const [k, v] of Object.entries(value)) out[k] = rename(v, from, to);
        return out;
    }
    return value;
}

/** Replaces every ciphertext secret with a plaintext one holding `password(i)` (JSON-encoded, as the engine stores it). */
function plaintextSecrets(value: Json, password: () => string): Json {
    if (Array.isArray(value)) return value.map(v => plaintextSecrets(v, password));
    if (value && typeof value === "object") {
        if (value[SIG] === SECRET) return { [SIG]: SECRET, plaintext: JSON.stringify(password()) };
        const out: Json = {};
        for (const [k, v] of Object.entries(value)) out[k] = plaintextSecrets(v, password);
        return out;
    }
    return value;
}

/**
 * A stack export with one unit per mutation, from examples/<template>: `<name>-<mutation>` for each resource name
 * of the unit. Project and stack stay the template's.
 */
export function generatedExport(template: string, base: string, mutations: Mutation[]): { deployment: Json; expected: Array<{ policy: string; type: string; name: string }> } {
    const source = JSON.parse(readFileSync(path.join(ROOT, "examples", template), "utf8"));
    const all: Json[] = source.deployment.resources;
    const shared = all.filter(r => r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:"));
    const unitResources = all.filter(r => !shared.includes(r));
    const resources: Json[] = [...shared];
    const expected: Array<{ policy: string; type: string; name: string }> = [];
    mutations.forEach((mutation, index) => {
        const suffix = `${mutation.name}${index}`;
        // Names like `orders`, `orders-vpc`: every occurrence of the base name becomes `<base>-<suffix>`,
        // and every AWS id gets the suffix too, so units never share a resource.
        let copy: Json[] = rename(unitResources, new RegExp(`\\b${base}(?=[-/\\"]|$)`, "g"), `${base}-${suffix}`);
        copy = rename(copy, /\b(vpc|subnet|sg|b)-([0-9a-f]{6,})\b/g, `$1-$2${index.toString(16).padStart(2, "0")}`);
        // Children of the stack (or of a provider) keep their parent: only the unit's own resources are renamed.
        copy.forEach((r: Json, i: number) => {
            const parent = unitResources[i].parent;
            if (parent && shared.some(x => x.urn === parent)) r.parent = parent;
        });
        let n = 0;
        copy = plaintextSecrets(copy, () => STRONG(index * 10 + n++));
        const broker = copy.find(r => BROKER_TYPES.has(r.type));
        const unit: Unit = {
            broker,
            byType: type => copy.filter(r => r.type === type),
            setPassword: value => {
                for (const user of broker.inputs.users ?? []) user.password = { [SIG]: SECRET, plaintext: JSON.stringify(value) };
            },
        };
        mutation.apply(unit);
        // Outputs echo the inputs, as the provider would after an update.
        for (const r of copy) if (r.inputs && r.outputs) r.outputs = { ...r.outputs, ...r.inputs };
        if (mutation.expect) {
            const target = mutation.on ? copy.find(r => r.type === mutation.on) : broker;
            expected.push({ policy: mutation.expect, type: target.type, name: target.urn.split("::").pop() });
        }
        resources.push(...copy);
    });
    // The engine refuses an import whose magic cookie is not the SHA-256 of the manifest's version.
    const version: string = source.deployment.manifest.version;
    const manifest = { ...source.deployment.manifest, magic: createHash("sha256").update(version).digest("hex") };
    const deployment = { version: 3, deployment: { manifest, resources } };
    return { deployment, expected };
}
