// Generators for the property-based specs: broker inputs and stacks as the engine could send them, with
// wrong types, unknowns and secrets at random depths, missing properties, huge strings, mixed-case enums.
// Not a spec: the property specs import it.
import * as fc from "fast-check";
import { compliantActiveMq, compliantRabbitMq, CUSTOMER_KEY_ARN } from "../support/fixtures";
import { brokerUrn, secret, StackResource, unknown } from "../support/runtime";
import { TYPES } from "../support/stacks";
import { isSecretObject } from "../../engine/properties";

/**
 * Run options for every property. `npm test` uses a fixed seed so CI is deterministic; FC_SEED=<n>
 * reproduces a failure (fast-check prints the seed and the shrunk counterexample), FC_SEED=random explores
 * new cases, and FC_RUNS_SCALE multiplies the number of runs.
 */
const DEFAULT_SEED = 20261127;

export function runs(numRuns: number): fc.Parameters<unknown> {
    const requested = process.env.FC_SEED;
    const seed = requested === "random" ? undefined : requested !== undefined && requested !== "" ? Number(requested) : DEFAULT_SEED;
    const scale = Number(process.env.FC_RUNS_SCALE ?? "1");
    return {
        numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
        ...(seed !== undefined && Number.isFinite(seed) ? { seed } : {}),
        // Shrinking a failure over a dozen policies is slow; keep it bounded so a failing run still ends.
        endOnFailure: false,
        interruptAfterTimeLimit: 120_000,
    };
}

// ---- Leaves. ----

/** A value as a secret; never a secret inside a secret, which the engine never sends (MakeSecret is idempotent). */
export function asSecret(value: unknown): Record<string, unknown> {
    return isSecretObject(value) ? value as Record<string, unknown> : secret(value);
}

/** An object key: any string but "__proto__" (see tagKey). */
const safeKey = (maxLength: number) => fc.string({ maxLength }).filter(k => k !== "__proto__");

export const UNKNOWNS: string[] = Object.values(unknown);
export const unknownValue = fc.constantFrom(...UNKNOWNS);

/** Precomputed huge strings (100k characters): built once, so generating them costs nothing. */
const HUGE = 100_000;
export const hugeStrings: string[] = [
    "a".repeat(HUGE),
    "4".repeat(HUGE),
    "1 ".repeat(HUGE / 2),
    `${"x".repeat(HUGE - 20)}@example.com`,
    "-".repeat(HUGE),
    "(".repeat(HUGE),
    "5.18".repeat(HUGE / 4),
    "é😀".repeat(HUGE / 3),
];
export const hugeString = fc.constantFrom(...hugeStrings);

/** Enum-ish values the policies compare case-insensitively, in random case and with stray whitespace. */
export const ENUM_WORDS = [
    "ActiveMQ", "RabbitMQ", "SINGLE_INSTANCE", "ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ", "efs", "ebs",
    "SIMPLE", "LDAP", "CONFIG_MANAGED", "CRDR", "NONE", "mq.m5.large", "mq.t3.micro", "mq.m7g.medium",
    "mq.t2.micro", "mq.m4.large", "mq.m5.xlarge", "5.18", "5.17.6", "3.13", "3.13.7", "4.2", "3.11.20", "5",
    "", " ", "true", "false", "TRUE", "False", "null", "undefined", "NaN", "__proto__", "constructor",
    "toString", "hasOwnProperty", "aws-owned", "customer-managed", CUSTOMER_KEY_ARN, "alias/aws/mq",
];
export const mixedCase = (word: string) => fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map(flags => word.split("").map((c, i) => (flags[i] ? c.toUpperCase() : c.toLowerCase())).join(""));
export const enumish = fc.oneof(
    fc.constantFrom(...ENUM_WORDS),
    fc.constantFrom(...ENUM_WORDS).chain(mixedCase),
    fc.tuple(fc.constantFrom("", " ", "\t"), fc.constantFrom(...ENUM_WORDS), fc.constantFrom("", " ", "\n"))
        .map(([a, b, c]) => a + b + c),
);

/** A strong password: long, random, containing none of `,` `:` `=`; cannot appear in a message by chance. */
export const strongPassword = fc.string({
    unit: fc.constantFrom(..."ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%^&*()[]{}<>?/|~-_+."),
    minLength: 16,
    maxLength: 40,
}).filter(p => new Set(p).size >= 8);

/** Weak and odd passwords: known defaults, short, forbidden characters, unicode, numbers. */
export const weakPassword = fc.oneof(
    fc.constantFrom("brokerpassword", "brokeruser", "<password>", "changeme", "password", "Password123!", "a",
        "", "aaaaaaaaaaaaaaaa", "has,comma:colon=eq12345", "guest", "admin"),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
);

export const scalar: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
    { arbitrary: enumish, weight: 3 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e308, -1, 2 ** 53)), weight: 2 },
    { arbitrary: fc.boolean(), weight: 2 },
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: unknownValue, weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 1 },
    { arbitrary: hugeString, weight: 1 },
);

/** Any JSON-ish value, with unknowns and secrets at random depths. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>(tie => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        { arbitrary: scalar, weight: 5 },
        { arbitrary: fc.array(tie("value"), { maxLength: 4 }), weight: 1 },
        { arbitrary: fc.array(fc.array(tie("value"), { maxLength: 2 }), { maxLength: 2 }), weight: 1 },
        { arbitrary: fc.dictionary(fc.oneof(safeKey(8), fc.constantFrom("general", "audit", "username", "password", "value", "constructor", "toString")), tie("value"), { maxKeys: 4 }), weight: 1 },
        { arbitrary: tie("value").map(v => asSecret(v)), weight: 1 },
    ),
})).value;

/** A value for a property: often plausible, sometimes anything, unknown, secret, or removed. */
function around<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
    return fc.oneof(
        { arbitrary: plausible, weight: 6 },
        { arbitrary: anyValue, weight: 2 },
        { arbitrary: unknownValue, weight: 1 },
        { arbitrary: plausible.map(v => asSecret(v)), weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
    );
}

const bool = around(fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "TRUE", "False")));

// ---- Users, tags, blocks. ----

export const username = fc.oneof(
    fc.constantFrom("orders-app", "orders-admin", "guest", "admin", "a", "x~y", "jane.doe@example.com",
        "svc-password", "AKIAIOSFODNN7EXAMPLE", "+1 555 123 4567", ""),
    fc.string({ maxLength: 24 }),
    fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-._~"), minLength: 2, maxLength: 30 }),
);

/** A user entry; the password may embed the username, or the username the password. */
export const user: fc.Arbitrary<unknown> = fc.record({
    username: username,
    password: fc.oneof({ arbitrary: strongPassword, weight: 3 }, { arbitrary: weakPassword, weight: 1 }),
    embed: fc.constantFrom("none", "none", "password-has-username", "username-has-password", "same"),
    consoleAccess: bool,
    groups: around(fc.array(fc.oneof(fc.string({ maxLength: 10 }), unknownValue), { maxLength: 3 })),
    replicationUser: bool,
    wrapPassword: fc.constantFrom("plain", "plain", "secret", "unknown", "absent", "number"),
    wrapUser: fc.constantFrom("plain", "plain", "plain", "secret", "unknown", "weird"),
    weird: anyValue,
}).map(u => {
    let name: unknown = u.username;
    let password: unknown = u.password;
    if (u.embed === "password-has-username") {
        password = `Q7#${u.username}#z9K!${u.password}`;
    } else if (u.embed === "username-has-password") {
        name = `svc-${u.password}`;
    } else if (u.embed === "same") {
        name = u.password;
    }
    if (u.wrapPassword === "secret") {
        password = secret(password);
    } else if (u.wrapPassword === "unknown") {
        password = unknown.string;
    } else if (u.wrapPassword === "absent") {
        password = undefined;
    } else if (u.wrapPassword === "number") {
        password = 123456789012345;
    }
    const entry: Record<string, unknown> = { username: name, password, consoleAccess: u.consoleAccess, groups: u.groups, replicationUser: u.replicationUser };
    for (const key of Object.keys(entry)) {
        if (entry[key] === undefined) {
            delete entry[key];
        }
    }
    if (u.wrapUser === "secret") {
        return secret(entry);
    }
    if (u.wrapUser === "unknown") {
        return unknown.object;
    }
    return u.wrapUser === "weird" ? u.weird : entry;
});

export const users = fc.oneof(
    { arbitrary: fc.array(user, { maxLength: 5 }), weight: 6 },
    { arbitrary: fc.array(user, { maxLength: 3 }).map(list => asSecret(list)), weight: 1 },
    { arbitrary: user, weight: 1 }, // an object where a list belongs
    { arbitrary: unknownValue, weight: 1 },
    { arbitrary: anyValue, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
);

// No "__proto__" keys: assigning one (as the SDK's deserializer and engine/properties.ts do) sets the
// prototype instead of a key, so such a key never reaches a policy as a key.
const tagKey = fc.oneof(
    fc.constantFrom("team", "environment", "aws:cloudformation:stack-name", "owner-email", "password", "Name",
        "constructor", "toString", "hasOwnProperty", "", "cost-center"),
    safeKey(20),
);
const tagValue = fc.oneof(
    { arbitrary: fc.constantFrom("payments", "prod", "jane.doe@example.com", "4111 1111 1111 1111", "password=hunter2", "secret", ""), weight: 3 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
    { arbitrary: scalar, weight: 2 },
    { arbitrary: strongPassword.map(p => secret(p)), weight: 1 },
);
export const tags = fc.oneof(
    { arbitrary: fc.dictionary(tagKey, tagValue, { maxKeys: 6 }), weight: 6 },
    { arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), weight: 1 }, // an array where a map belongs
    { arbitrary: unknownValue, weight: 1 },
    { arbitrary: anyValue, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
);

/** A nested block as the provider models it in some version: an object, a one-element list, or worse. */
function block(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
    const obj = fc.record(fields, { requiredKeys: [] });
    return fc.oneof(
        { arbitrary: obj, weight: 5 },
        { arbitrary: obj.map(o => [o]), weight: 2 },
        { arbitrary: fc.array(obj, { maxLength: 3 }), weight: 1 },
        { arbitrary: obj.map(o => asSecret(o)), weight: 1 },
        { arbitrary: unknownValue, weight: 1 },
        { arbitrary: anyValue, weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
    );
}

const ldap = block({
    hosts: around(fc.array(fc.oneof(fc.constantFrom("ldap.example.com", "ldaps://admin:hunter2@ldap.example.com", "jane@example.com"), fc.string({ maxLength: 20 }), unknownValue), { maxLength: 3 })),
    serviceAccountUsername: around(username),
    serviceAccountPassword: around(fc.oneof(strongPassword, weakPassword)),
    roleBase: around(fc.string({ maxLength: 20 })),
    userBase: around(fc.string({ maxLength: 20 })),
});

const stringList = around(fc.array(fc.oneof(
    fc.constantFrom("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003", "sg-0123456789abcdef0"),
    fc.string({ maxLength: 12 }), unknownValue, fc.constant(null)), { maxLength: 4 }));

/** Generators for each broker input, plausible first. */
export const brokerFields: Record<string, fc.Arbitrary<unknown>> = {
    brokerName: around(fc.oneof(fc.constantFrom("orders-activemq", "orders-rabbitmq", "jane.doe@example.com", "a".repeat(60), ""), fc.string({ maxLength: 60 }))),
    engineType: around(enumish),
    engineVersion: around(fc.oneof(enumish, fc.tuple(fc.nat(9), fc.nat(30), fc.option(fc.nat(40))).map(([a, b, c]) => c === null ? `${a}.${b}` : `${a}.${b}.${c}`))),
    hostInstanceType: around(enumish),
    deploymentMode: around(enumish),
    storageType: around(enumish),
    authenticationStrategy: around(enumish),
    dataReplicationMode: around(enumish),
    subnetIds: stringList,
    securityGroups: stringList,
    publiclyAccessible: bool,
    autoMinorVersionUpgrade: bool,
    applyImmediately: bool,
    encryptionOptions: block({ useAwsOwnedKey: bool, kmsKeyId: around(fc.oneof(fc.constantFrom(CUSTOMER_KEY_ARN, "alias/aws/mq", "alias/orders", ""), fc.string({ maxLength: 30 }))) }),
    logs: block({ general: bool, audit: bool }),
    users,
    tags,
    tagsAll: tags,
    ldapServerMetadata: ldap,
    configuration: block({ id: around(fc.string({ maxLength: 10 })), revision: around(fc.integer()) }),
    maintenanceWindowStartTime: block({ dayOfWeek: around(enumish), timeOfDay: around(fc.string({ maxLength: 6 })), timeZone: around(fc.string({ maxLength: 6 })) }),
};

const golden = fc.constantFrom<() => Record<string, unknown>>(compliantActiveMq, compliantRabbitMq, () => ({}));

/**
 * A broker: a golden broker (or nothing) with a random subset of its inputs replaced by generated values
 * (`undefined` removes the input), sometimes a whole broker of junk keys.
 */
export const broker: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    { arbitrary: fc.tuple(golden, fc.record(brokerFields, { requiredKeys: [] })).map(([base, change]) => applyChange(base(), change)), weight: 8 },
    { arbitrary: fc.dictionary(safeKey(10), anyValue, { maxKeys: 6 }), weight: 1 },
    { arbitrary: fc.tuple(golden, fc.dictionary(fc.constantFrom(...Object.keys(brokerFields)), anyValue, { maxKeys: 4 })).map(([base, change]) => applyChange(base(), change)), weight: 2 },
);

export function applyChange(base: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
    const result = { ...base };
    for (const [key, value] of Object.entries(change)) {
        if (value === undefined) {
            delete result[key];
        } else {
            result[key] = value;
        }
    }
    return result;
}

/** The values a broker holds in password positions (plain or secret), found at any depth. */
export function passwordsIn(value: unknown, out: string[] = [], key = ""): string[] {
    if (isSecretObject(value)) {
        passwordsIn(value.value, out, key);
    } else if (Array.isArray(value)) {
        value.forEach(v => passwordsIn(v, out, key));
    } else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            passwordsIn(v, out, k);
        }
    } else if ((key === "password" || key === "serviceAccountPassword") && (typeof value === "string" || typeof value === "number")) {
        out.push(String(value));
    }
    return out;
}

/**
 * The secret strings in tag values (`tags`, `tagsAll`), at any depth. Only these and passwords are checked
 * against messages: the SDK hands Analyze its properties with secrets already unwrapped, so a policy knows
 * a value is secret only by where it sits (a password), and a tag value is never quoted. A secret engine
 * version or username (a whole `users` list made secret by an `apply`) reads like any other value.
 */
export function secretTagValuesIn(props: Record<string, unknown>): string[] {
    const out: string[] = [];
    const walk = (value: unknown, inSecret: boolean) => {
        if (isSecretObject(value)) {
            walk(value.value, true);
        } else if (Array.isArray(value)) {
            value.forEach(v => walk(v, inSecret));
        } else if (typeof value === "object" && value !== null) {
            Object.values(value).forEach(v => walk(v, inSecret));
        } else if (inSecret && typeof value === "string") {
            out.push(value);
        }
    };
    for (const key of ["tags", "tagsAll"]) {
        const tags = isSecretObject(props[key]) ? (props[key] as { value?: unknown }).value : props[key];
        if (typeof tags === "object" && tags !== null && !Array.isArray(tags)) {
            Object.values(tags).forEach(v => walk(v, isSecretObject(props[key])));
        }
    }
    return out;
}

// ---- Stacks. ----

const OTHER_TYPES = [
    "aws:ec2/instance:Instance", "pulumi:pulumi:Stack", "pulumi:providers:aws", "random:index/randomString:RandomString",
    "custom:component:Thing", "__proto__", "constructor", "toString", "",
];
const STACK_TYPES = [...Object.values(TYPES), ...OTHER_TYPES];
const INPUT_NAMES = [
    "kmsKeyId", "encryptionOptions", "users", "ldapServerMetadata", "securityGroups", "subnetIds", "securityGroupId",
    "targetKeyId", "secretString", "value", "cidrIpv4", "vpcId", "password", "constructor", "toString", "hasOwnProperty", "",
];

/** Plausible outputs for a non-broker resource, mixed with junk. */
const otherProps: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.record({
        arn: around(fc.constantFrom(CUSTOMER_KEY_ARN, "arn:aws:kms:us-east-1:111122223333:alias/orders")),
        keyId: around(fc.string({ maxLength: 10 })),
        targetKeyId: around(fc.string({ maxLength: 10 })),
        keyUsage: around(enumish),
        customerMasterKeySpec: around(fc.constantFrom("SYMMETRIC_DEFAULT", "RSA_2048", "symmetric_default")),
        isEnabled: bool,
        enableKeyRotation: bool,
        deletionWindowInDays: around(fc.integer({ min: -5, max: 40 })),
        policy: around(fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ maxLength: 20 }))),
        result: around(strongPassword),
        secretString: around(fc.oneof(strongPassword, fc.json({ maxDepth: 2 }))),
        value: around(strongPassword),
        type: around(fc.constantFrom("SecureString", "String", "securestring")),
        ingress: around(fc.array(fc.record({
            fromPort: around(fc.constantFrom(0, 5671, 8162, 61617, 443, -1)),
            toPort: around(fc.constantFrom(0, 5671, 8162, 61617, 65535, -1)),
            protocol: around(fc.constantFrom("tcp", "-1", "all", "TCP", "udp")),
            cidrBlocks: around(fc.array(fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "::/0", "999.1.1.1/99", "junk"), { maxLength: 3 })),
            ipv6CidrBlocks: around(fc.array(fc.constantFrom("::/0", "2001:db8::/32", "::ffff:0:0/96"), { maxLength: 2 })),
        }, { requiredKeys: [] }), { maxLength: 3 })),
        type_: around(fc.constantFrom("ingress", "egress", "INGRESS")),
        fromPort: around(fc.constantFrom(0, 5671, 8162, 61617, -1)),
        toPort: around(fc.constantFrom(0, 5671, 8162, 61617, 65535, -1)),
        protocol: around(fc.constantFrom("tcp", "-1", "all")),
        cidrBlocks: around(fc.array(fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "junk"), { maxLength: 2 })),
        cidrIpv4: around(fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "junk", "1.2.3.4/33")),
        cidrIpv6: around(fc.constantFrom("::/0", "2001:db8::/32", "::/-1")),
        ipProtocol: around(fc.constantFrom("tcp", "-1", "6")),
        availabilityZone: around(fc.constantFrom("us-east-1a", "us-east-1b", "")),
        availabilityZoneId: around(fc.constantFrom("use1-az1", "use1-az2")),
        vpcId: around(fc.constantFrom("vpc-1", "vpc-2")),
        name: around(fc.string({ maxLength: 12 })),
    }, { requiredKeys: [] }).map(r => {
        const { type_, ...rest } = r as Record<string, unknown>;
        return type_ === undefined ? rest : { ...rest, type: type_ };
    }),
    fc.dictionary(safeKey(8), anyValue, { maxKeys: 4 }),
);

interface StackPlan {
    type: string;
    name: string;
    props: Record<string, unknown>;
    deps: [string, number[]][];
    dangling: [string, string][];
    parent: number | null;
}

/**
 * A stack of up to `max` resources of random types, linked by random `propertyDependencies` (so cycles,
 * self-references and duplicates happen), dangling URNs, odd input names, odd and duplicate URNs.
 */
export function stack(max = 12): fc.Arbitrary<StackResource[]> {
    const plan: fc.Arbitrary<StackPlan> = fc.record({
        type: fc.oneof({ arbitrary: fc.constant(TYPES.broker), weight: 3 }, { arbitrary: fc.constantFrom(...STACK_TYPES), weight: 5 }),
        name: fc.oneof(fc.constantFrom("orders", "orders", "b", "a::b", "", "urn:x"), fc.string({ maxLength: 10 })),
        props: otherProps,
        deps: fc.array(fc.tuple(fc.constantFrom(...INPUT_NAMES), fc.array(fc.nat(max * 2), { maxLength: 3 })), { maxLength: 4 }),
        dangling: fc.array(fc.tuple(fc.constantFrom(...INPUT_NAMES), fc.constantFrom("urn:pulumi:prod::messaging::aws:kms/key:Key::gone", "", "not-a-urn")), { maxLength: 1 }),
        parent: fc.option(fc.nat(max * 2)),
    });
    return fc.tuple(fc.array(plan, { maxLength: max }), fc.array(broker, { minLength: max, maxLength: max }), fc.boolean())
        .map(([plans, brokers, oddUrns]) => {
            const urns = plans.map((p, i) => {
                if (oddUrns && i % 3 === 2) {
                    return ["", "no-separators", plans[0] ? `urn:pulumi:prod::messaging::${plans[0].type}::${plans[0].name}` : "x"][i % 3];
                }
                return p.type === TYPES.broker ? brokerUrn(p.name) : `urn:pulumi:prod::messaging::${p.type}::${p.name}`;
            });
            return plans.map((p, i): StackResource => {
                const propertyDependencies: Record<string, string[]> = {};
                const add = (input: string, more: string[]) => {
                    const had = Object.prototype.hasOwnProperty.call(propertyDependencies, input) ? propertyDependencies[input] : [];
                    propertyDependencies[input] = [...had, ...more];
                };
                for (const [input, targets] of p.deps) {
                    add(input, targets.map(t => urns[t % Math.max(1, urns.length)] ?? "urn:missing"));
                }
                for (const [input, urn] of p.dangling) {
                    add(input, [urn]);
                }
                const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
                const parent = p.parent === null ? undefined : urns[p.parent % Math.max(1, urns.length)];
                return {
                    urn: urns[i],
                    type: p.type,
                    props: p.type === TYPES.broker ? brokers[i] : p.props,
                    dependencies,
                    propertyDependencies,
                    ...(parent !== undefined ? { parent } : {}),
                };
            });
        });
}
