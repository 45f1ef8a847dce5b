import { engineOf } from "./lib/broker";
import { shown } from "./lib/display";
import { AWS_MIN_PASSWORD_LENGTH, PasswordSet, passwordWeaknesses } from "./lib/passwords";
import { brokerPolicy } from "./lib/policy";
import { isPlainObject, isUnknown, PlainObject, readBlock, readBoolean, readEnum, readList, readString, UNKNOWN } from "./lib/values";

const GENERATE = "generate a random password (e.g. @pulumi/random RandomPassword) and pass it as a secret";

/** A password the policy could read, and how to name its owner in a message (never the password). */
interface Account {
    label: string;
    password: string;
}

export interface UserCredentialsConfig {
    /** The organization's minimum password length (AWS requires 12). */
    minimumPasswordLength: number;
    /** Whether ActiveMQ users may have web console access. */
    allowConsoleAccess: boolean;
}

/**
 * Findings for the RabbitMQ user list as a whole: "For Amazon MQ for RabbitMQ brokers, one and only one administrative
 * user is accepted and created when a broker is first provisioned", and "When OAuth 2.0 is enabled, the broker
 * accepts one or no users" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html, read 2026-12-03;
 * @pulumi/aws 7.48.0 mq/broker.d.ts says the same of provisioning).
 */
function rabbitUserCountFinding(broker: PlainObject, users: unknown[]): string | undefined {
    if (users.length > 1) {
        return `users has ${users.length} entries, but RabbitMQ accepts exactly one (its administrator) when the ` +
            "broker is created; keep one and create the others through the RabbitMQ management UI or API";
    }
    if (users.length === 0) {
        // Absent means SIMPLE (DEFAULT_AUTHENTICATION_STRATEGY, cited in lib/configuration-facts.ts). OAuth 2.0
        // (CONFIG_MANAGED) brokers accept one user or none (CloudFormation User, above), so none is not a finding.
        const strategy = readEnum(broker, "authenticationStrategy");
        if (strategy !== UNKNOWN && strategy !== "CONFIG_MANAGED") {
            return "users is empty, but a RabbitMQ broker needs exactly one user (its administrator); add one " +
                "with a generated password";
        }
    }
    return undefined;
}

/** Engine-specific rules for one user, apart from the password. */
function userFindings(user: unknown, label: string, username: string | undefined, engine: unknown,
    config: UserCredentialsConfig): string[] {
    const findings: string[] = [];
    // consoleAccess absent means false: terraform-provider-aws console_access "Default: false" (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go,
    // read 2026-12-03); groups absent means none.
    const consoleAccess = readBoolean(user, "consoleAccess");
    if (engine === "RabbitMQ") {
        // "Amazon MQ for RabbitMQ does not support the username guest" (developer guide, RabbitMQ users,
        // https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-basic-elements-user.html, read 2026-12-03).
        if (username !== undefined && username.trim().toLowerCase() === "guest") {
            findings.push(`${label}: the username guest is not allowed on RabbitMQ (AWS prohibits it); choose another username`);
        }
        // consoleAccess and groups: "Does not apply to RabbitMQ brokers" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html) and "Applies to
        // `engineType` of `ActiveMQ` only" (@pulumi/aws 7.48.0 types/input.d.ts BrokerUser); both read 2026-12-03. That
        // the API REJECTS them on RabbitMQ (rather than ignoring them) is not confirmed by an AWS source as of
        // 2026-12-03; either way the setting is a mistake to remove.
        if (consoleAccess === true) {
            findings.push(`${label}: consoleAccess applies to ActiveMQ only and the API rejects it on RabbitMQ; remove consoleAccess`);
        }
        const groups = readList(user, "groups");
        if (Array.isArray(groups) && groups.length > 0) {
            findings.push(`${label}: groups applies to ActiveMQ only and the API rejects it on RabbitMQ; remove groups ` +
                "and set permissions in RabbitMQ instead");
        }
    }
    // AWS rejects a replication user with console access: "Replication user couldn't have console access.
    // [replicationUser] and [consoleAccess] are mutually exclusive parameters." (the Amazon MQ API's error,
    // quoted in https://github.com/hashicorp/terraform-provider-aws/issues/32446, read 2026-12-03; the API
    // reference documents replicationUser as "intended for CRDR replication purposes":
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html,
    // read 2026-12-03). Absent replicationUser means false ("Defaults to `false`", @pulumi/aws 7.48.0 types/input.d.ts
    // BrokerUser, read 2026-12-03). Judged whatever the engine:
    // RabbitMQ rejects consoleAccess anyway.
    if (consoleAccess === true && readBoolean(user, "replicationUser") === true) {
        findings.push(`${label}: replicationUser and consoleAccess are both true, which Amazon MQ rejects (a replication ` +
            "user cannot have console access); set consoleAccess: false on the replication user and give console access " +
            "to another user");
    }
    if (engine === "ActiveMQ" && !config.allowConsoleAccess && consoleAccess === true) {
        findings.push(`${label}: consoleAccess is true, but this organization does not allow ActiveMQ web console ` +
            "access (allowConsoleAccess: false); set consoleAccess: false");
    }
    return findings;
}

/** One finding for all of a password's weaknesses; `subject` names the password, never shows it. */
function passwordFinding(subject: string, password: string, username: string | undefined, minimumLength: number): string | undefined {
    const reasons = passwordWeaknesses(password, { minimumLength, username });
    return reasons.length > 0 ? `${subject} ${reasons.join("; ")}; ${GENERATE}` : undefined;
}

/** At most this many accounts are named in one finding; the rest are counted. */
const MAX_NAMED = 5;

/** `a`, `a and b`, `a, b and c`, or the first MAX_NAMED and how many more. */
function listLabels(labels: string[]): string {
    if (labels.length > MAX_NAMED) {
        return `${labels.slice(0, MAX_NAMED).join(", ")} and ${labels.length - MAX_NAMED} more`;
    }
    return labels.length <= 2 ? labels.join(" and ") : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

/** Accounts that share a password, named together; grouped by value in one pass (linear in the accounts). */
function sharedPasswordFindings(accounts: Account[]): string[] {
    const byPassword = new Map<string, string[]>();
    for (const { label, password } of accounts) {
        const labels = byPassword.get(password);
        if (labels) {
            labels.push(label);
        } else {
            byPassword.set(password, [label]);
        }
    }
    const findings: string[] = [];
    for (const labels of byPassword.values()) {
        if (labels.length > 1) {
            findings.push(`${listLabels(labels)} share a password; give each user its own password (${GENERATE})`);
        }
    }
    return findings;
}

export const mqBrokerUserCredentials = brokerPolicy<UserCredentialsConfig>({
    name: "mq-broker-user-credentials",
    description: "Amazon MQ broker users must have strong, unique passwords and only the access their engine supports.",
    severity: "critical",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumPasswordLength: {
                type: "integer",
                minimum: AWS_MIN_PASSWORD_LENGTH,
                // "Must be 12 to 250 characters long" (@pulumi/aws 7.48.0 types/input.d.ts BrokerUser password;
                // terraform-provider-aws ValidBrokerPassword max 250; both read 2026-12-03).
                maximum: 250,
                default: 16,
                description: "The minimum length of every broker user password and the LDAP service account " +
                    "password, in characters. At least 12 (the AWS minimum); the default is 16.",
            },
            allowConsoleAccess: {
                type: "boolean",
                default: true,
                description: "Whether ActiveMQ users may have `consoleAccess: true` (the ActiveMQ web console). Set " +
                    "false to require console-less users.",
            },
        },
    },
    // Password changes: ActiveMQ users are updated in place with UpdateUser (terraform-provider-aws https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go; CloudFormation
    // Password "Update requires: No interruption"); for RabbitMQ "Terraform cannot update or manage users after broker
    // creation. Any changes to the `user` block will trigger full broker recreation" (@pulumi/aws 7.48.0
    // mq/broker.d.ts), and aws-native: "For RabbitMQ, this should be one user, created when the broker is created, and
    // changes thereafter are ignored" (@pulumi/aws-native 1.79.0 amazonmq/broker.d.ts). All read 2026-12-03. The
    // older provider source suppressed RabbitMQ user diffs instead; the newer, provider-specific 7.48.0 text wins.
    remediationSteps: "Generate each password (for example with `@pulumi/random` `RandomPassword`, at least " +
        "`minimumPasswordLength` characters, no `,` `:` `=`), give every user its own, keep it out of the username, " +
        "and pass it as a secret. RabbitMQ: declare exactly one user, not `guest`, without `consoleAccess` or " +
        "`groups`. A password change updates an ActiveMQ broker in place; on RabbitMQ, @pulumi/aws replaces the broker " +
        "for any change to users (aws-native ignores it after creation)." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "import * as random from \"@pulumi/random\";\n" +
        "\n" +
        "const password = new random.RandomPassword(\"orders-app\", {\n" +
        "    length: 32,\n" +
        "    overrideSpecial: \"!#$%&*()-_+[]{}<>?\", // Amazon MQ refuses , : =\n" +
        "});\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    users: [{ username: \"orders-app\", password: password.result }],\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html",
    tags: ["CWE-521", "CWE-1393"],
    check: (broker, { config }) => {
        const findings: string[] = [];
        const accounts: Account[] = [];
        const engine = engineOf(broker);
        const minimumLength = config.minimumPasswordLength;

        // Read every account first: a username may only be printed when no password contains it.
        const entries: { index: number; user: PlainObject; username?: string; password?: string }[] = [];
        const users = readList(broker, "users");
        if (users !== UNKNOWN) {
            // Absent means no users (ActiveMQ with LDAP needs none; RabbitMQ needs one).
            const list = users ?? [];
            if (engine === "RabbitMQ") {
                const count = rabbitUserCountFinding(broker, list);
                if (count) {
                    findings.push(count);
                }
            }
            list.forEach((user, index) => {
                if (isUnknown(user) || !isPlainObject(user)) {
                    return;
                }
                const username = readString(user, "username");
                // An unknown password is not judged; an absent one is the provider's error to report.
                const password = readString(user, "password");
                entries.push({
                    index,
                    user,
                    username: typeof username === "string" ? username : undefined,
                    password: typeof password === "string" ? password : undefined,
                });
            });
        }
        // Absent means no LDAP (simple authentication).
        const ldap = readBlock(broker, "ldapServerMetadata");
        const ldapPassword = ldap === UNKNOWN ? undefined : readString(ldap, "serviceAccountPassword");
        const ldapAccount = ldap === UNKNOWN ? undefined : readString(ldap, "serviceAccountUsername");

        // A username is shown only when showing it shows no password of this broker (PasswordSet: indexed by
        // value, so 20,000 users cost linear time, not 20,000 x 20,000 comparisons).
        const passwords = new PasswordSet([...entries.map(e => e.password), ldapPassword]);
        const printable = (name: string | undefined): name is string => passwords.mayShow(name);
        for (const { index, user, username, password } of entries) {
            const label = printable(username) ? `users[${index}] (${shown(username)})` : `users[${index}]`;
            findings.push(...userFindings(user, label, username, engine, config));
            if (password !== undefined) {
                const weak = passwordFinding(`${label}: password`, password, username, minimumLength);
                if (weak) {
                    findings.push(weak);
                }
                accounts.push({ label, password });
            }
        }
        if (typeof ldapPassword === "string") {
            const username = typeof ldapAccount === "string" ? ldapAccount : undefined;
            const label = "ldapServerMetadata.serviceAccountPassword";
            const weak = passwordFinding(label, ldapPassword, username, minimumLength);
            if (weak) {
                findings.push(weak);
            }
            accounts.push({ label: printable(username) ? `${label} (${shown(username)})` : label, password: ldapPassword });
        }

        findings.push(...sharedPasswordFindings(accounts));
        return findings;
    },
});
