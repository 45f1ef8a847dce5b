import type { PolicyResource } from "@pulumi/policy";
import { shown } from "./lib/display";
import { PasswordSet } from "./lib/passwords";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { isNative } from "./lib/aws-native";
import {
    acceptedSources, DEFAULT_SECRET_SOURCE_TYPES, isSecretSource, NATIVE_SECRET_TYPE, stackConfigValues, whyNotSecretSource,
} from "./lib/secret-sources";
import { allPropertyDependencies, dependenciesOf, listNames, resourceName } from "./lib/stack";
import { isUnknown, PlainObject, readBlock, readList, readString, UNKNOWN, Unknown } from "./lib/values";

/** A password the broker is given, by where it sits (never by its value). */
interface Credential {
    label: string;
    password: string | Unknown;
}

/** The broker inputs that carry passwords, each with how to read them and how the fix reads. */
const CREDENTIAL_INPUTS: ReadonlyArray<{
    input: string;
    read: (broker: PlainObject, stackPasswords: PasswordSet) => Credential[] | Unknown;
    /** How the fix reads the stored password: from an aws SecretVersion, or (aws-native) from the generator. */
    reads: { aws: string; native: string };
}> = [
    {
        input: "users",
        read: userPasswords,
        reads: {
            aws: `users: [{ username: "orders-app", password: stored.secretString as pulumi.Output<string> }]`,
            native: `users: [{ username: "orders-app", password: pw.result }]`,
        },
    },
    {
        input: "ldapServerMetadata",
        read: ldapPassword,
        reads: {
            aws: "ldapServerMetadata: { serviceAccountPassword: stored.secretString } // beside hosts, bases and searches",
            native: "ldapServerMetadata: { serviceAccountPassword: pw.result } // beside hosts, bases and searches",
        },
    },
];

/** The known passwords of one broker: its users' and its LDAP service account's. */
function passwordsOf(broker: PlainObject): PasswordSet {
    const passwords = new PasswordSet([]);
    const users = readList(broker, "users");
    for (const user of Array.isArray(users) ? users : []) {
        passwords.add(readString(user, "password"));
    }
    const ldap = readBlock(broker, "ldapServerMetadata");
    passwords.add(ldap === UNKNOWN ? undefined : readString(ldap, "serviceAccountPassword"));
    return passwords;
}

/**
 * The passwords of `users`; UNKNOWN when the list itself is not known yet (preview). A username is named only
 * when naming it shows no password of this broker (equal, containing or contained, compared NFKC-normalized
 * without invisible characters) and equals no password of any other broker in the stack (`stackPasswords`,
 * a hash lookup, so a stack of 15,000 brokers stays linear).
 */
function userPasswords(broker: PlainObject, stackPasswords: PasswordSet): Credential[] | Unknown {
    const users = readList(broker, "users");
    if (users === UNKNOWN) {
        return UNKNOWN;
    }
    const credentials: Credential[] = [];
    // Absent or another type: no users to judge (mq-broker-user-credentials checks them). terraform-provider-aws marks
    // `user` Required (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read
    // 2026-12-03), though @pulumi/aws 7.48.0 and aws-native 1.79.0 type `users` as optional (mq/broker.d.ts,
    // amazonmq/broker.d.ts) and an OAuth 2.0 RabbitMQ broker "accepts one or no users" (CloudFormation User page):
    // absent is judged as no users either way.
    const list = users ?? [];
    const passwords = list.map(user => (isUnknown(user) ? UNKNOWN : readString(user, "password")));
    const own = passwordsOf(broker);
    list.forEach((user, i) => {
        const username = readString(user, "username");
        const named = own.mayShow(username) && !stackPasswords.equalsOne(username);
        const label = named ? `users[${i}] (${shown(username)})` : `users[${i}]`;
        const password = passwords[i];
        if (password !== undefined) {
            credentials.push({ label, password });
        }
    });
    return credentials;
}

/** The LDAP service account password; absent when the broker does not use LDAP. */
function ldapPassword(broker: PlainObject): Credential[] | Unknown {
    const ldap = readBlock(broker, "ldapServerMetadata");
    if (ldap === UNKNOWN) {
        return UNKNOWN;
    }
    const password = readString(ldap, "serviceAccountPassword");
    return password === undefined ? [] : [{ label: "ldapServerMetadata.serviceAccountPassword", password }];
}

/** Whether a secret source feeds the input directly or one resource further back (RandomPassword -> SecretVersion). */
function fedBySecretSource(feeders: PolicyResource[], sourceTypes: ReadonlySet<string>): boolean {
    return feeders.some(feeder => isSecretSource(feeder, sourceTypes) ||
        allPropertyDependencies(feeder).some(upstream => isSecretSource(upstream, sourceTypes)));
}

/**
 * Why an input's passwords are not secret-backed, or undefined when they are. With a secret source among
 * the feeders every password of the input counts as backed (the engine tracks feeders per top-level
 * input, not per user). Without one: a known password is hard-coded unless it is a stack config value
 * (when `isStackConfigValue` is given, i.e. allowStackConfig). A password whose value cannot be seen
 * (unknown in preview, or an encrypted secret in an exported stack) is never called hard-coded: the
 * feeders decide. Fed by resources that are not secret sources, it is unmanaged. Fed by no resource at
 * all, it is a literal, a config value or a data source read, all of which this policy rejects, unless
 * config values are allowed, when it cannot be told apart from one and is not judged.
 */
export function unbackedReason(
    credentials: Credential[],
    feeders: PolicyResource[],
    sourceTypes: ReadonlySet<string>,
    isStackConfigValue?: (password: string) => boolean,
): string | undefined {
    if (credentials.length === 0 || fedBySecretSource(feeders, sourceTypes)) {
        return undefined;
    }
    const hardCoded = credentials.filter(c => typeof c.password === "string" && !isStackConfigValue?.(c.password));
    const unseen = credentials.filter(c => c.password === UNKNOWN);
    const parts: string[] = [];
    if (hardCoded.length > 0) {
        parts.push(`the password of ${listNames(hardCoded.map(c => c.label))} is hard-coded or unmanaged`);
    }
    if (unseen.length > 0 && feeders.length > 0) {
        parts.push(`the password of ${listNames(unseen.map(c => c.label))} comes from ` +
            `${listNames(feeders.map(f => describeFeeder(f, sourceTypes)))}, which is not a secret source`);
    } else if (unseen.length > 0 && !isStackConfigValue) {
        parts.push(`the password of ${listNames(unseen.map(c => c.label))} comes from no resource in the stack ` +
            "(so from a literal, a config value or a data source read)");
    }
    return parts.length > 0 ? parts.join("; ") : undefined;
}

/** Longest message: the reason (names of users and feeders, each already cut) is cut further so the fix is always whole. */
const MAX_MESSAGE = 1000;

/** `reason; fix`, the reason cut between whole characters when both together would pass MAX_MESSAGE. */
function bounded(reason: string, fix: string): string {
    const room = MAX_MESSAGE - fix.length - "; ".length;
    // shown() adds "… (N characters)": keep room for it.
    return `${reason.length <= room ? reason : shown(reason, Math.max(room - 24, 40))}; ${fix}`;
}

/** A feeder for a message: its name and type, and why a resource of a source type is not one (an empty secret). */
function describeFeeder(feeder: PolicyResource, sourceTypes: ReadonlySet<string>): string {
    const why = whyNotSecretSource(feeder, sourceTypes);
    return `${resourceName(feeder)} (${feeder.type}${why ? `, ${why}` : ""})`;
}

/** The fix, in the broker's own provider: an aws-native broker is shown aws-native code. */
function fixFor(
    input: string,
    reads: { aws: string; native: string },
    sourceTypes: ReadonlySet<string>,
    native: boolean,
    nativeContext: boolean,
): string {
    const intro = `no secret source in the stack feeds ${input} (accepted: ${acceptedSources(sourceTypes, nativeContext)}). `;
    if (native) {
        return intro + "Generate the password, keep it in Secrets Manager, and have the broker read the generated value:\n" +
            `  const pw = new random.RandomPassword("orders-app-password", { length: 32, special: false });\n` +
            `  new awsNative.secretsmanager.Secret("orders-app-password", { secretString: pw.result });\n` +
            `  // in the aws-native broker's arguments:\n` +
            `  ${reads.native}`;
    }
    return intro + "Generate the password and keep it in Secrets Manager, then have the broker read it:\n" +
        `  const pw = new random.RandomPassword("orders-app-password", { length: 32, special: false });\n` +
        `  const secret = new aws.secretsmanager.Secret("orders-app-password");\n` +
        `  const stored = new aws.secretsmanager.SecretVersion("orders-app-password", { secretId: secret.id, secretString: pw.result });\n` +
        `  // in the broker's arguments:\n` +
        `  ${reads.aws}`;
}

export interface MqStackSecretBackedUsersConfig {
    secretSourceTypes: string[];
    allowStackConfig: boolean;
}

export const mqStackSecretBackedUsers = stackPolicy<MqStackSecretBackedUsersConfig>({
    name: "mq-stack-secret-backed-users",
    description: "Amazon MQ broker passwords must come from a secret source in the stack, not be hard-coded.",
    severity: "critical",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            secretSourceTypes: {
                type: "array",
                items: { type: "string", pattern: "^[^:\\s]+:[^:\\s]*:[^:\\s]+$" },
                default: [],
                description: "Resource type tokens (`package:module:Type`, e.g. `vault:generic/secret:Secret`) that " +
                    "also count as secret sources, in addition to random:index/randomPassword:RandomPassword, " +
                    "aws:secretsmanager/secretVersion:SecretVersion, aws:ssm/parameter:Parameter (type SecureString) and " +
                    "aws-native:secretsmanager:Secret (with generateSecretString or secretString).",
            },
            allowStackConfig: {
                type: "boolean",
                default: false,
                description: "When true, a password equal to a value of the stack's configuration (PULUMI_CONFIG, " +
                    "e.g. set with `pulumi config set --secret`) counts as secret-backed. The policy cannot see whether " +
                    "that value is a secret.",
            },
        },
    },
    // Password changes: see the sources at mq-broker-user-credentials.ts remediationSteps (@pulumi/aws 7.48.0 and
    // @pulumi/aws-native 1.79.0 mq/amazonmq broker.d.ts users notes, terraform-provider-aws UpdateUser; read 2026-12-03).
    remediationSteps: "Generate each broker password with random.RandomPassword, store it in an " +
        "aws.secretsmanager.SecretVersion, and pass the version's secretString to users[].password (and " +
        "ldapServerMetadata.serviceAccountPassword). To use an existing secret, read it as a resource with " +
        "aws.secretsmanager.SecretVersion.get(...) so the dependency is visible; a data source such as " +
        "getSecretVersion is not a resource and cannot be seen by the policy. With aws-native, an " +
        "awsNative.secretsmanager.Secret with generateSecretString or secretString is a source too (an empty one is not); " +
        "generate the password with random.RandomPassword, store it as the secret's secretString and pass the same result " +
        "to the aws-native broker. Changing a password updates an ActiveMQ broker in place (aws-native applies a " +
        "password-only change only with another change); on RabbitMQ, @pulumi/aws replaces the broker and aws-native " +
        "ignores user changes after creation." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "import * as pulumi from \"@pulumi/pulumi\";\n" +
        "import * as random from \"@pulumi/random\";\n" +
        "\n" +
        "const password = new random.RandomPassword(\"orders-app\", { length: 32, special: false });\n" +
        "const secret = new aws.secretsmanager.Secret(\"orders-app-password\");\n" +
        "const stored = new aws.secretsmanager.SecretVersion(\"orders-app-password\", {\n" +
        "    secretId: secret.id,\n" +
        "    secretString: password.result,\n" +
        "});\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    users: [{ username: \"orders-app\", password: stored.secretString as pulumi.Output<string> }],\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html",
    tags: ["CWE-798 (hard-coded credentials)"],
    check: (resources, context) => {
        const sourceTypes = new Set([...DEFAULT_SECRET_SOURCE_TYPES, ...context.config.secretSourceTypes]);
        // Parsed only when a literal password needs it, and then once.
        let configValues: ReadonlySet<string> | undefined;
        const isStackConfigValue = context.config.allowStackConfig
            ? (password: string) => (configValues ??= stackConfigValues()).has(password)
            : undefined;

        // Every known password of every broker in the stack (excluded ones too), indexed once by value: no
        // username equal to one of them is named.
        const stackPasswords = new PasswordSet([]);
        for (const broker of context.allBrokers) {
            const props = propsOf(broker);
            const users = readList(props, "users");
            for (const user of Array.isArray(users) ? users : []) {
                stackPasswords.add(readString(user, "password"));
            }
            const ldap = readBlock(props, "ldapServerMetadata");
            stackPasswords.add(ldap === UNKNOWN ? undefined : readString(ldap, "serviceAccountPassword"));
        }

        const findings: StackFinding[] = [];
        // Select the brokers; relate each credential input to the resources that feed it; judge; report on the broker.
        for (const broker of context.brokers) {
            const props = propsOf(broker);
            for (const { input, read, reads } of CREDENTIAL_INPUTS) {
                const credentials = read(props, stackPasswords);
                if (credentials === UNKNOWN) {
                    continue;
                }
                const feeders = dependenciesOf(broker, input);
                const reason = unbackedReason(credentials, feeders, sourceTypes, isStackConfigValue);
                if (reason) {
                    const native = isNative(broker.type);
                    // aws-native's secret is named where relevant: an aws-native broker, or one fed by such a secret.
                    const nativeContext = native || feeders.some(f => f.type === NATIVE_SECRET_TYPE);
                    findings.push({ urn: broker.urn, message: bounded(`${input}: ${reason}`, fixFor(input, reads, sourceTypes, native, nativeContext)) });
                }
            }
        }
        return findings;
    },
});
