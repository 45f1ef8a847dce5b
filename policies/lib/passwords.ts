// Facts about Amazon MQ broker passwords: the AWS password rules, the known default and documentation
// passwords, and the weaknesses a password can have. Every function returns reasons phrased without the
// password itself, so a caller can put them in a message: no value, no length, no prefix, no offending
// character.

/** AWS: "at least 12 characters long, at least 4 unique characters, no commas, colons, or equal signs". */
export const AWS_MIN_PASSWORD_LENGTH = 12;
export const AWS_MIN_DISTINCT_CHARACTERS = 4;
export const AWS_FORBIDDEN_PASSWORD_CHARACTERS: readonly string[] = [",", ":", "="];

/**
 * Passwords from engine defaults, vendor and AWS/Terraform/Pulumi/CloudFormation examples and tutorials,
 * and the commonest placeholder passwords. Compared case-insensitively; see isKnownDefaultPassword for how
 * decorated variants (`Password123!`, `P@ssw0rd`) are recognised.
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
    const username = rules.username?.trim().toLowerCase();
    if (username && password.toLowerCase().includes(username)) {
        reasons.push("equals or contains the username");
    }
    if (isKnownDefaultPassword(password)) {
        reasons.push("is a known default or documentation password");
    }
    return reasons;
}
