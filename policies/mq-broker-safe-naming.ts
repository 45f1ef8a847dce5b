import { displayEngine, Engine, engineOf } from "./lib/broker";
import { PasswordSet } from "./lib/passwords";
import { brokerPolicy } from "./lib/policy";
import { findSensitiveData, ScanOptions } from "./lib/sensitive-data";
import { matchesWhole, patternProblem } from "./lib/user-pattern";
import { asString, field, isPlainObject, isUnknown, readBlock, readList, readObject, readString, UNKNOWN } from "./lib/values";

/**
 * AWS: a broker name is 1-50 letters, digits, dashes and underscores: "This value must be unique in your Amazon Web
 * Services account, 1-50 characters long, must contain only letters, numbers, dashes, and underscores, and must not
 * contain white spaces, brackets, wildcard characters, or special characters" (CreateBroker brokerName,
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-broker-request, read 2026-12-03; the same
 * text in CloudFormation BrokerName, as quoted in @pulumi/aws-native 1.79.0 amazonmq/broker.d.ts).
 */
const BROKER_NAME_MAX = 50;
const BROKER_NAME_CHAR = /[A-Za-z0-9_-]/;
/**
 * Without brokerName the provider names the broker `<resource name>-<7 random hex>`, so the resource name must
 * leave room for those 8 characters within AWS's 50. @pulumi/aws does so through tfbridge AutoName;
 * @pulumi/aws-native, whose brokerName is optional for that reason, through getDefaultName ("the name followed by
 * 7 random hex characters separated by a '-'", pulumi-aws-native provider/pkg/autonaming/application.go, read
 * 2026-12-03; it shortens the suffix only for a property with a maximum length, and the CloudFormation schema it
 * is built from gives BrokerName none: aws-cloudformation-schema/aws-amazonmq-broker.json, read 2026-12-03). Pulumi
 * documents the rule for both: https://www.pulumi.com/docs/iac/concepts/resources/names/ (read 2026-12-03). So one
 * rule judges the resource name of a broker without brokerName under either provider.
 */
const AUTONAME_SUFFIX_LENGTH = 8;
/**
 * AWS: a username is 2-100 letters, digits, `-`, `.`, `_` and `~`; RabbitMQ refuses `~` ("For Amazon MQ for
 * RabbitMQ brokers, this value can contain only alphanumeric characters, dashes, periods, underscores (- . _).
 * This value must not contain a tilde (~) character", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html, read 2026-12-03).
 */
const USERNAME_MIN = 2;
const USERNAME_MAX = 100;
const USERNAME_CHAR: Record<Engine, RegExp> = { ActiveMQ: /[A-Za-z0-9._~-]/, RabbitMQ: /[A-Za-z0-9._-]/ };
const USERNAME_ACCEPTS: Record<Engine, string> = { ActiveMQ: "letters, digits, - . _ and ~", RabbitMQ: "letters, digits, - . and _" };
/** Names longer than this already break the AWS limits; the naming convention is not run on them. */
const PATTERN_INPUT_MAX = 256;

const NAME: ScanOptions = { secretWords: "name" };
const VALUE: ScanOptions = { secretWords: "value" };
/**
 * "Any data that you enter into tags or free-form fields used for names may be used for billing or diagnostic logs",
 * and "Broker names are accessible to other AWS services, including CloudWatch Logs" / "Broker usernames are
 * accessible to other AWS services, including CloudWatch Logs"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/data-protection.html; the broker-name and username
 * notes also in CloudFormation, as quoted in @pulumi/aws-native 1.79.0; read 2026-12-03).
 */
const NAME_FIX = "broker names reach CloudWatch Logs, billing and other AWS services";

interface SafeNamingConfig {
    /** An organization's naming convention for brokerName, a regular expression; empty for none. */
    brokerNamePattern: string;
}

export const mqBrokerSafeNaming = brokerPolicy<SafeNamingConfig>({
    name: "mq-broker-safe-naming",
    description: "Amazon MQ broker names, usernames, tags and LDAP hosts must carry no personal or sensitive data " +
        "and must follow the AWS naming rules.",
    severity: "medium",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            brokerNamePattern: {
                type: "string",
                default: "",
                description: "The organization's naming convention for brokerName: an RE2 regular expression the whole " +
                    "name must match, such as `^(orders|payments)-(dev|prod)-[a-z0-9-]+$`, matched in linear time. " +
                    "Empty (the default) checks no convention. Patterns over 200 characters, and features RE2 does not " +
                    "have (backreferences, lookahead and lookbehind, atomic groups, possessive quantifiers), are " +
                    "rejected as config errors.",
            },
        },
    },
    remediationSteps: "Rename brokers, users and tags so they hold no email addresses, phone numbers, card numbers, " +
        "national ID numbers, access keys or secrets: use role names (`orders-app`) and team names instead of " +
        "people. Keep secrets in AWS Secrets Manager and LDAP credentials in serviceAccountUsername and " +
        "serviceAccountPassword, never in a host URL. Broker names are 1-50 letters, digits, - and _; usernames " +
        "2-100 letters, digits, - . _ (and ~ on ActiveMQ). A new brokerName replaces the broker." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "import * as random from \"@pulumi/random\";\n" +
        "\n" +
        "const password = new random.RandomPassword(\"orders-app\", { length: 32, special: false });\n" +
        "// Merge into your broker's arguments: new aws.mq.Broker(name, { ...yourArgs, ...fix })\n" +
        "const fix: Partial<aws.mq.BrokerArgs> = {\n" +
        "    brokerName: \"orders-prod\", // a role or purpose, not a person\n" +
        "    users: [{ username: \"orders-app\", password: password.result }],\n" +
        "};\n" +
        "```",
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/data-protection.html",
    tags: ["Checkov CKV_SECRET_2", "Amazon MQ data protection guidance"],
    validateConfig: config => {
        const pattern = config.brokerNamePattern;
        if (typeof pattern !== "string" || pattern === "") {
            return [];
        }
        const problem = patternProblem(pattern);
        return problem ? [`brokerNamePattern ${problem}`] : [];
    },
    check: (broker, { name, config }) => {
        const engine = engineOf(broker);
        return [
            ...checkBrokerName(broker, name, config.brokerNamePattern),
            ...checkUsernames(broker, engine === UNKNOWN ? undefined : engine),
            ...checkTags(broker),
            ...checkLdapAccount(broker),
            ...checkLdapHosts(broker),
        ];
    },
});

function listPhrases(phrases: string[]): string {
    return phrases.length <= 1 ? phrases.join("") : `${phrases.slice(0, -1).join(", ")} and ${phrases[phrases.length - 1]}`;
}

/** `subject contains what looks like ...; fix`, or nothing when the text is clean. */
function sensitiveMessage(text: string, options: ScanOptions, subject: string, fix: string): string[] {
    const findings = findSensitiveData(text, options);
    if (findings.length === 0) {
        return [];
    }
    return [`${subject} contains ${listPhrases(findings.map(f => f.description))}; ${fix}`];
}

/** The broker's passwords that are known strings (users and the LDAP service account), never shown. */
function brokerPasswords(broker: object, users: unknown[]): PasswordSet {
    const passwords = new PasswordSet(users.map(user => (isPlainObject(user) ? readString(user, "password") : undefined)));
    const ldap = readBlock(broker, "ldapServerMetadata");
    passwords.add(isPlainObject(ldap) ? readString(ldap, "serviceAccountPassword") : undefined);
    return passwords;
}

/** The characters of `text` that `allowed` refuses, quoted, at most five. */
function rejectedCharacters(text: string, allowed: RegExp): string[] {
    const rejected = new Set<string>();
    for (const c of text.slice(0, 1000)) {
        if (!allowed.test(c)) {
            rejected.add(JSON.stringify(c));
            if (rejected.size === 5) {
                break;
            }
        }
    }
    return [...rejected];
}

function checkBrokerName(broker: object, resourceName: string, pattern: string): string[] {
    const brokerName = readString(broker, "brokerName");
    if (brokerName === UNKNOWN) {
        return [];
    }
    if (brokerName === undefined && field(broker, "brokerName") !== undefined) {
        return ["brokerName is not a string; set it to 1-50 letters, digits, - and _"];
    }
    const messages: string[] = [];
    const explicit = typeof brokerName === "string";
    // Absent: the provider generates the name from the resource name, so the resource name is what to judge.
    const text = explicit ? brokerName : resourceName;
    const subject = explicit ? "brokerName" : "brokerName is not set, and the resource name it is generated from";
    // A new brokerName replaces the broker: terraform-provider-aws marks broker_name ForceNew
    // (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go) and
    // @pulumi/aws-native 1.79.0 lists brokerName in replaceOnChanges (amazonmq/broker.js); both read 2026-12-03.
    const replace = explicit ? "; a new brokerName replaces the broker" : "";

    if (explicit && text.length === 0) {
        messages.push("brokerName is empty; set it to 1-50 letters, digits, - and _");
    } else if (explicit && text.length > BROKER_NAME_MAX) {
        messages.push(`brokerName is ${text.length} characters long; AWS accepts at most ${BROKER_NAME_MAX}: ` +
            `shorten it${replace}`);
    } else if (!explicit && text.length > BROKER_NAME_MAX - AUTONAME_SUFFIX_LENGTH) {
        messages.push(`brokerName is not set, and the resource name is ${text.length} characters long: the provider ` +
            `names the broker <resource name>-<7 random characters>, and AWS accepts at most ${BROKER_NAME_MAX}; ` +
            `shorten the resource name to ${BROKER_NAME_MAX - AUTONAME_SUFFIX_LENGTH} characters or set brokerName`);
    }
    const rejected = rejectedCharacters(text, BROKER_NAME_CHAR);
    if (rejected.length > 0) {
        messages.push(`${subject} contains characters AWS rejects in broker names (${rejected.join(", ")}); ` +
            `use only letters, digits, - and _${replace}`);
    }
    messages.push(...sensitiveMessage(text, NAME, subject, explicit
        ? `choose a name without personal or sensitive data (${NAME_FIX})${replace}`
        : `set brokerName, or rename the resource, to a name without personal or sensitive data (${NAME_FIX})`));

    if (typeof pattern === "string" && pattern !== "" && text.length <= PATTERN_INPUT_MAX) {
        const convention = `the naming convention brokerNamePattern /${pattern}/`;
        if (!matchesWhole(pattern, text)) {
            messages.push(explicit
                ? `brokerName does not match ${convention}; choose a name that matches${replace}`
                : `brokerName is not set, and the resource name it is generated from does not match ${convention}; ` +
                  "set brokerName to a name that matches");
        }
    }
    return messages;
}

function checkUsernames(broker: object, engine: Engine | undefined): string[] {
    const users = readList(broker, "users");
    if (users === UNKNOWN || users === undefined) {
        // Absent: a broker with LDAP authentication (or one defined later) has no users here.
        return [];
    }
    // An unknown or unrecognized engine gets ActiveMQ's wider character set: no finding it cannot prove.
    const rules: Engine = engine ?? "ActiveMQ";
    const messages: string[] = [];
    const passwords = brokerPasswords(broker, users);
    users.forEach((user, index) => {
        const username = isPlainObject(user) ? readString(user, "username") : undefined;
        if (typeof username !== "string") {
            // Unknown, absent (the provider requires it) or another type: nothing to judge.
            return;
        }
        const subject = `users[${index}].username`;
        // A username that equals a password, contains one or is contained in one is described without its
        // characters or its length, which would show part of that password; a name of fewer than 4 characters
        // found inside a password is coincidence, not a fragment worth hiding (PasswordSet.reveals).
        const mayShow = passwords.mayShow(username);
        if (username.length < USERNAME_MIN || username.length > USERNAME_MAX) {
            messages.push(mayShow
                ? `${subject} is ${username.length} characters long; AWS accepts ${USERNAME_MIN}-${USERNAME_MAX}`
                : `${subject} has a length AWS rejects; AWS accepts ${USERNAME_MIN}-${USERNAME_MAX} characters`);
        }
        const rejected = rejectedCharacters(username, USERNAME_CHAR[rules]);
        if (rejected.length > 0) {
            const who = engine ? `Amazon MQ for ${displayEngine(engine)}` : "AWS";
            messages.push(`${subject} contains characters ${who} rejects${mayShow ? ` (${rejected.join(", ")})` : ""}; ` +
                `use only ${USERNAME_ACCEPTS[rules]}`);
        }
        messages.push(...sensitiveMessage(username, NAME, subject,
            "use a username without personal or sensitive data, such as the application's role " +
            "(usernames reach CloudWatch Logs and other AWS services)"));
    });
    return messages;
}

function checkTags(broker: object): string[] {
    // An aws-native broker's list of { key, value } arrives as this map (policies/lib/aws-native.ts), with the
    // aws-native provider's defaultTags already in it (MergeDefaultTags, https://github.com/pulumi/pulumi-aws-native/blob/master/provider/pkg/default_tags/merging.go,
    // read 2026-12-03); its tag #n is the n-th entry of that list whose key is known.
    const tags = readObject(broker, "tags");
    // tagsAll (@pulumi/aws only): "Map of tags assigned to the resource, including those inherited from the provider
    // `defaultTags` configuration block" (@pulumi/aws 7.48.0 mq/broker.d.ts, read 2026-12-03); that pulumi-aws fills it
    // during Check, before a policy sees the inputs, is not confirmed by a provider document as of 2026-12-03 (it
    // rests on the pack's own runs). The tags plus the defaultTags reach AWS the same way. Only the
    // entries that tags does not already hold are judged again, so a tag is reported once.
    const all = readObject(broker, "tagsAll");
    const own = tags === UNKNOWN || tags === undefined ? {} : tags;
    const messages = tags === UNKNOWN || tags === undefined ? [] : checkTagMap(tags, "tag", "tags");
    if (all !== UNKNOWN && all !== undefined) {
        const defaults: Record<string, unknown> = {};
        for (const key of Object.keys(all)) {
            if (!Object.prototype.hasOwnProperty.call(own, key) || field(own, key) !== field(all, key)) {
                defaults[key] = all[key];
            }
        }
        messages.push(...checkTagMap(defaults, "tagsAll entry", "tagsAll"));
    }
    // Absent: no tags, nothing to leak.
    return messages;
}

/** `noun` names one entry (`tag`, `tagsAll entry`); `where` names the property the fix goes to. */
function checkTagMap(tags: Record<string, unknown>, noun: string, where: "tags" | "tagsAll"): string[] {
    const messages: string[] = [];
    const fix = "tags reach billing and cost reports and other AWS services";
    const rename = where === "tags" ? "rename the tag key" : "rename the key in the provider's defaultTags";
    const remove = where === "tags" ? "remove it from the tag" : "remove it from the provider's defaultTags";
    Object.keys(tags).forEach((key, index) => {
        const keyMessages = sensitiveMessage(key, NAME, `the key of ${noun} #${index + 1}`,
            `${rename} without personal or sensitive data (${fix})`);
        messages.push(...keyMessages);
        // A clean key names the tag in messages; a key that is itself sensitive is named by position.
        const label = keyMessages.length === 0 && /^[\x20-\x7e]{1,64}$/.test(key) ? `${noun} ${JSON.stringify(key)}` : `${noun} #${index + 1}`;
        const value = asString(field(tags, key));
        if (typeof value === "string") {
            messages.push(...sensitiveMessage(value, VALUE, `the value of ${label}`,
                `${remove} (${fix}); keep secrets in AWS Secrets Manager`));
        }
    });
    return messages;
}

/**
 * The LDAP service account's username is a username like any other: it reaches CloudWatch Logs and other
 * services, so the same personal-data checks apply. It is never quoted, and a finding does not say what
 * kind of data it holds when the name would reveal (part of) a password.
 */
function checkLdapAccount(broker: object): string[] {
    const ldap = readBlock(broker, "ldapServerMetadata");
    if (ldap === UNKNOWN || ldap === undefined) {
        // Absent: simple authentication, no service account.
        return [];
    }
    const username = readString(ldap, "serviceAccountUsername");
    if (typeof username !== "string") {
        // Unknown (preview) or absent (mq-broker-ldap-authentication reports it missing).
        return [];
    }
    return sensitiveMessage(username, NAME, "ldapServerMetadata.serviceAccountUsername",
        "use a service account name without personal or sensitive data, such as the application's role " +
        "(usernames reach CloudWatch Logs and other AWS services)");
}

function checkLdapHosts(broker: object): string[] {
    const ldap = readBlock(broker, "ldapServerMetadata");
    if (ldap === UNKNOWN || ldap === undefined) {
        // Absent: simple authentication, no LDAP hosts.
        return [];
    }
    const hosts = readList(ldap, "hosts");
    if (hosts === UNKNOWN || hosts === undefined) {
        return [];
    }
    const messages: string[] = [];
    hosts.forEach((host, index) => {
        const text = isUnknown(host) ? undefined : asString(host);
        if (typeof text === "string") {
            messages.push(...sensitiveMessage(text, VALUE, `ldapServerMetadata.hosts[${index}]`,
                "list the LDAP server by host name only (ldap.example.com) and keep the service account's credentials " +
                "in serviceAccountUsername and serviceAccountPassword"));
        }
    });
    return messages;
}
