// Facts about Amazon MQ broker passwords: the AWS password rules, the known default and documentation
// passwords, and the weaknesses a password can have. Every function returns reasons phrased without the
// password itself, so a caller can put them in a message: no value, no length, no prefix, no offending
// character.

/**
 * AWS: "at least 12 characters long, must contain at least 4 unique characters, and must not contain commas,
 * colons, or equal signs (,:=)" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html, read 2026-12-03).
 */
export const AWS_MIN_PASSWORD_LENGTH = 12;
export const AWS_MIN_DISTINCT_CHARACTERS = 4;
export const AWS_FORBIDDEN_PASSWORD_CHARACTERS: readonly string[] = [",", ":", "="];

/**
 * Passwords from engine defaults, vendor and AWS/Terraform/Pulumi/CloudFormation examples and tutorials,
 * and the commonest placeholder passwords. Compared case-insensitively; see isKnownDefaultPassword for how
 * decorated variants (`Password123!`, `P@ssw0rd`) are recognised.
 * Sources read 2026-12-03: the @pulumi/aws Broker example's `password: "<password>"`
 * (https://www.pulumi.com/registry/packages/aws/api-docs/mq/broker/); ActiveMQ's web console, "you can log on using
 * the credentials, username=admin, password=admin" (Fuse ESB 4.4 security guide,
 * https://docs.huihoo.com/fuse/esb/4.4/amq_security/Auth-WebConsole.html, a copy of Red Hat's ActiveMQ-based
 * product docs); RabbitMQ's `guest` (Amazon MQ "prohibits using guest",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html).
 * The other entries are the pack's own blocklist (common placeholders and most-used passwords, and example values
 * as the pack recorded them): not confirmed by a source as of 2026-12-03. A wrong entry costs a false alarm on a
 * password nobody should use, never a missed weak one.
 */
export const KNOWN_DEFAULT_PASSWORDS: readonly string[] = [
    // Placeholders in Amazon MQ, Conformity and provider examples.
    "brokerpassword",
    "brokeruser",
    "<password>",
    "<your-password>",
    "mindthegap",
    "mindthegapxyz",
    "examplepassword",
    "exampleuser",
    "amazonmq",
    "amazonmqpassword",
    "myamazonmqpassword",
    // Engine defaults (ActiveMQ admin/admin and user/password, RabbitMQ guest/guest).
    "admin",
    "user",
    "guest",
    "activemq",
    "rabbitmq",
    "system",
    "manager",
    // Common placeholders and the most used passwords.
    "changeme",
    "changeit",
    "password",
    "passw0rd",
    "mypassword",
    "yourpassword",
    "newpassword",
    "testpassword",
    "defaultpassword",
    "adminpassword",
    "administrator",
    "secret",
    "supersecret",
    "topsecret",
    "default",
    "test",
    "welcome",
    "letmein",
    "qwerty",
    "qwertyuiop",
    "abc123",
    "iloveyou",
    "123456789012",
    "1234567890123456",
    "000000000000",
];

const KNOWN = new Set(KNOWN_DEFAULT_PASSWORDS);

/** Characters written in place of letters in "clever" variants of a known password. */
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i" };

/**
 * Whether a password is a known default or documentation password, ignoring case, leading or trailing
 * digits and punctuation (`Changeme2024!`), and letter-for-symbol swaps (`P@ssw0rd`).
 */
export function isKnownDefaultPassword(password: string): boolean {
    const lower = password.trim().toLowerCase();
    const candidates = [lower, undecorated(lower), deleet(undecorated(lower)), undecorated(deleet(lower))];
    return candidates.some(c => c.length > 0 && KNOWN.has(c));
}

/** Without leading and trailing digits and punctuation. */
function undecorated(text: string): string {
    return text.replace(/^[^a-z]+/, "").replace(/[^a-z]+$/, "");
}

function deleet(text: string): string {
    return [...text].map(ch => LEET[ch] ?? ch).join("");
}

/**
 * Whether a password equals or contains the username, compared as `comparable` text (NFKC, invisible
 * characters removed, case ignored). Containment counts only for usernames of MIN_REVEALING_LENGTH or more:
 * AWS allows 2-character usernames, and a random password contains one by chance.
 */
export function containsUsername(password: string, username: string): boolean {
    const name = comparable(username);
    if (name === "") {
        return false;
    }
    const secret = comparable(password);
    return secret === name || (name.length >= MIN_REVEALING_LENGTH && secret.includes(name));
}

/** Length in characters (code points), as a person counts them. */
export function passwordLength(password: string): number {
    return [...password].length;
}

export interface PasswordRules {
    /** The organization's minimum length (never below the AWS minimum). */
    minimumLength: number;
    /** The account name the password belongs to, when known. */
    username?: string;
}

/**
 * The weaknesses of one password, each a phrase that completes "password ..." without revealing anything
 * about the password beyond the rule it breaks. Empty when the password passes every rule.
 */
export function passwordWeaknesses(password: string, rules: PasswordRules): string[] {
    const reasons: string[] = [];
    const length = passwordLength(password);
    const minimum = Math.max(rules.minimumLength, AWS_MIN_PASSWORD_LENGTH);
    if (length < AWS_MIN_PASSWORD_LENGTH) {
        reasons.push(`is shorter than ${AWS_MIN_PASSWORD_LENGTH} characters, which AWS rejects; ` +
            `use at least ${minimum} characters (minimumPasswordLength)`);
    } else if (length < minimum) {
        reasons.push(`is shorter than ${minimum} characters (minimumPasswordLength)`);
    }
    if (new Set(password).size < AWS_MIN_DISTINCT_CHARACTERS) {
        reasons.push(`has fewer than ${AWS_MIN_DISTINCT_CHARACTERS} distinct characters, which AWS rejects`);
    }
    if (AWS_FORBIDDEN_PASSWORD_CHARACTERS.some(ch => password.includes(ch))) {
        reasons.push("contains a comma, colon or equals sign, which AWS rejects (`,` `:` `=`)");
    }
    if (rules.username !== undefined && containsUsername(password, rules.username)) {
        reasons.push("equals or contains the username");
    }
    if (isKnownDefaultPassword(password)) {
        reasons.push("is a known default or documentation password");
    }
    return reasons;
}

// ---- Whether showing a name shows a password. ----

/**
 * Characters that render as nothing (zero-width space, joiners, word joiner, BOM, soft hyphen, the Mongolian
 * vowel separator): a name written `ord\u200Bers` reads as `orders`, so they are removed before comparing.
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/**
 * Text longer than this is compared by its first COMPARE_LIMIT characters (AWS caps passwords at 250: "Password:
 * must be 12-250 characters long", Quotas in Amazon MQ, Users,
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-limits.html#activemq-user-limits, read
 * 2026-12-03 in its Japanese and Korean versions, whose English copy in the store was cut before that table; the
 * CloudFormation User page gives only "at least 12 characters long", no maximum. They do not conflict: the
 * quota page is the more specific on the maximum). The limit here only bounds work; it decides no finding.
 */
const COMPARE_LIMIT = 1024;

/**
 * A name or password as compared for "equals or contains": Unicode NFKC (so full-width `ｏｒｄｅｒｓ` and
 * ligatures read as their plain letters), invisible characters removed, trimmed, lower-cased.
 */
export function comparable(text: string): string {
    const bounded = text.length > COMPARE_LIMIT ? text.slice(0, COMPARE_LIMIT) : text;
    return bounded.normalize("NFKC").replace(INVISIBLE, "").trim().toLowerCase();
}

/**
 * Names shorter than this (once comparable) are shown even when a password happens to contain them: AWS
 * allows 2-character usernames, and a random password contains a short name by chance, so it is no fragment
 * worth hiding. A password that *equals* a name is hidden whatever its length.
 */
export const MIN_REVEALING_LENGTH = 4;

/**
 * Containment checks (name inside password, password inside name) a PasswordSet makes before it stops
 * looking and hides every further name that could reveal one, counted in characters compared. Amazon MQ
 * takes at most 250 users per ActiveMQ broker (and one on RabbitMQ), so a real broker stays far below it
 * ("Users per broker | 250", Limits in Amazon MQ, the guide's archived source
 * https://github.com/awsdocs/amazon-mq-developer-guide/blob/main/doc_source/amazon-mq-limits.md; RabbitMQ: "one and
 * only one administrative user is accepted", "When OAuth 2.0 is enabled, the broker accepts one or no users",
 * AWS::AmazonMQ::Broker User, cfn TemplateReference aws-properties-amazonmq-broker-user.html; both read 2026-12-03;
 * the current quota page's user limit was not readable that day, so 250 is the older figure):
 * 250 x 250 comparisons of 100 characters is 6.25 million. Above it (a hostile stack with 20,000 users),
 * names are hidden, never shown by mistake, and the work stays linear in the input.
 */
export const CONTAINMENT_BUDGET = 8_000_000;

/**
 * The passwords a name must not reveal, indexed by value: equality is a hash lookup, so any number of names
 * against any number of passwords costs time linear in their size; containment costs at most
 * CONTAINMENT_BUDGET characters compared over the set's life, after which a name that could reveal a
 * password is hidden.
 */
export class PasswordSet {
    private readonly exact = new Set<string>();
    private readonly distinct: string[] = [];
    private spent = 0;

    constructor(passwords: Iterable<unknown>) {
        for (const password of passwords) {
            this.add(password);
        }
    }

    /** Adds a password; anything but a non-empty string is ignored. */
    add(password: unknown): void {
        if (typeof password !== "string") {
            return;
        }
        const key = comparable(password);
        if (key !== "" && !this.exact.has(key)) {
            this.exact.add(key);
            this.distinct.push(key);
        }
    }

    get size(): number {
        return this.distinct.length;
    }

    /**
     * Whether showing `name` would show a password or part of one: it equals one (any length), or, when it is
     * at least MIN_REVEALING_LENGTH long, it contains one or one contains it. An empty name reveals nothing
     * but is not worth showing either, so it counts as revealing.
     */
    reveals(name: string): boolean {
        const key = comparable(name);
        if (key === "" || this.exact.has(key)) {
            return true;
        }
        if (key.length < MIN_REVEALING_LENGTH) {
            return false;
        }
        for (const password of this.distinct) {
            if (this.spent > CONTAINMENT_BUDGET) {
                // Out of budget: hide rather than risk showing a password.
                return true;
            }
            this.spent += password.length + key.length;
            if (password.includes(key) || key.includes(password)) {
                return true;
            }
        }
        return false;
    }

    /** Whether `name` equals one of the passwords once both are comparable (a hash lookup, any length). */
    equalsOne(name: string): boolean {
        const key = comparable(name);
        return key !== "" && this.exact.has(key);
    }

    /** Whether `name` may appear in a message (a string that reveals no password). */
    mayShow(name: unknown): name is string {
        return typeof name === "string" && !this.reveals(name);
    }
}
