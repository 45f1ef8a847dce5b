// Detectors for personal and sensitive data in names, tags and host lists: what AWS asks never to put in
// broker names, usernames or tags, because they reach CloudWatch Logs, billing and other services.
// Pure functions. Every scan is linear in the text (hand-written scanners, or regular expressions of
// fixed width), and only the first MAX_SCAN_LENGTH characters are read (AWS limits names to 50-100 and
// tag values to 256 characters), so no input can make it slow.
// Those limits, read 2026-12-03: broker names "Must be 1-50 characters long" (Quotas in Amazon MQ,
// https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-limits.html); usernames "must be 2-100
// characters long" (AWS::AmazonMQ::Broker User,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html);
// tags "Maximum key length - 128 Unicode characters", "Maximum value length - 256 Unicode characters" (the common
// AWS tag restrictions, as stated e.g. in https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html:
// no Amazon MQ page read states its own). The scan limit only bounds the work; it decides no finding.
// Findings name the kind of data, never the value: the value is the personal data.
//
// Data, not words: a name such as `auth-token-events`, `credentials-rotation` or `access-key-audit`, or a tag
// key such as `PasswordRotationDays` or `SecretsManagerArn`, talks *about* secrets and is fine; renaming a
// broker replaces it, so a false alarm on a word is expensive. What is flagged is data itself: an email
// address, a phone, card or national ID number, an AWS access key ID, credentials in a URL, a value that
// looks like a generated secret (high entropy), or a secret written as `password=...` in a free-text value.

export const MAX_SCAN_LENGTH = 1024;

export type SensitiveKind =
    | "email"
    | "phone"
    | "paymentCard"
    | "nationalId"
    | "awsAccessKey"
    | "urlCredentials"
    | "secretValue"
    | "secretAssignment";

export interface SensitiveFinding {
    kind: SensitiveKind;
    /** A phrase to follow "contains": `what looks like an email address`. Never quotes the text. */
    description: string;
}

export interface ScanOptions {
    /**
     * `name` (broker names, usernames, tag keys): identifiers, where no `name=value` can appear.
     * `value` (tag values, hosts): free text, where a secret written as an assignment (`password=...`) is
     * flagged too. Neither flags a word that merely names a secret (`password-rotation`).
     */
    secretWords: "name" | "value";
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);
const isAlnum = (c: string | undefined) => isDigit(c) || isLetter(c);

/** The Luhn checksum used by payment cards (and Canadian SINs). */
export function luhnValid(digits: string): boolean {
    let sum = 0;
    let double = false;
    for (let i = digits.length - 1; i >= 0; i--) {
        let d = digits.charCodeAt(i) - 48;
        if (double) {
            d *= 2;
            if (d > 9) {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
    }
    return digits.length > 0 && sum % 10 === 0;
}

// ---- Digit groups: runs of digits split by single separators, never glued to letters. ----

interface DigitGroup {
    digits: string;
    start: number;
    end: number; // exclusive
}

/**
 * Runs of digit groups: `4111 1111-1111 1111` is one run of four groups. A group touching a letter
 * (`sg-0a12`, `i-4111...abc`) belongs to an identifier, not a number, and ends the run.
 */
function digitRuns(text: string, separators: string, maxSeparatorRun: number): DigitGroup[][] {
    const runs: DigitGroup[][] = [];
    let current: DigitGroup[] = [];
    let i = 0;
    const flush = () => {
        if (current.length > 0) {
            runs.push(current);
        }
        current = [];
    };
    while (i < text.length) {
        if (!isDigit(text[i])) {
            i++;
            continue;
        }
        const start = i;
        while (isDigit(text[i])) {
            i++;
        }
        const group = { digits: text.slice(start, i), start, end: i };
        if (isLetter(text[start - 1]) || isLetter(text[i])) {
            flush();
            continue;
        }
        const previous = current[current.length - 1];
        if (previous) {
            const gap = text.slice(previous.end, start);
            const joined = gap.length >= 1 && gap.length <= maxSeparatorRun && [...gap].every(c => separators.includes(c));
            if (!joined) {
                flush();
            }
        }
        current.push(group);
    }
    flush();
    return runs;
}

/** 13-19 digits over whole groups, Luhn-valid, starting like a major card network's number (2-6). */
function hasPaymentCard(text: string): boolean {
    for (const run of digitRuns(text, " -", 1)) {
        for (let i = 0; i < run.length; i++) {
            let digits = "";
            for (let j = i; j < run.length && digits.length < 19; j++) {
                digits += run[j].digits;
                if (digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhnValid(digits)) {
                    return true;
                }
            }
        }
    }
    return false;
}

/** North American numbers: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567. */
const NANP_PHONE = /(?<![0-9A-Za-z])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?![0-9A-Za-z])/;

/** `+` and a country code: 8 to 15 digits (E.164), in groups split by spaces, dots, dashes or brackets. */
function hasInternationalPhone(text: string): boolean {
    for (const run of digitRuns(text, " .-()", 2)) {
        const before = text.slice(Math.max(0, run[0].start - 2), run[0].start);
        if (!/\+\(?$/.test(before)) {
            continue;
        }
        let count = 0;
        for (const group of run) {
            count += group.digits.length;
            if (count >= 8 && count <= 15) {
                return true;
            }
        }
    }
    return false;
}

function hasPhone(text: string): boolean {
    return NANP_PHONE.test(text) || hasInternationalPhone(text);
}

// ---- National identity numbers (formats with a structure or check digit, to keep false alarms rare). ----

/** US Social Security number, ddd-dd-dddd, excluding ranges never issued (000, 666, 9xx; 00; 0000). */
const US_SSN = /(?<![0-9A-Za-z])(\d{3})-(\d{2})-(\d{4})(?![0-9A-Za-z])/g;
/** UK National Insurance number: two prefix letters, six digits (optionally in pairs), suffix A-D. */
const UK_NINO = /(?<![0-9A-Za-z])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![0-9A-Za-z])/gi;
const NINO_INVALID_PREFIXES = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);
/** Canadian Social Insurance number, ddd-ddd-ddd or ddd ddd ddd, Luhn-valid, not starting with 0 or 8. */
const CA_SIN = /(?<![0-9A-Za-z])(\d{3})([ -])(\d{3})\2(\d{3})(?![0-9A-Za-z])/g;
/** Spanish DNI (8 digits) or NIE (X/Y/Z and 7 digits) with its check letter. */
const ES_DNI = /(?<![0-9A-Za-z])([XYZ]?)(\d{7,8})-?([A-Z])(?![0-9A-Za-z])/gi;
const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

function* matches(regex: RegExp, text: string): Generator<RegExpExecArray> {
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(text)) !== null) {
        yield match;
        if (match[0].length === 0) {
            regex.lastIndex++;
        }
    }
}

function nationalIds(text: string): string[] {
    const found: string[] = [];
    for (const m of matches(US_SSN, text)) {
        if (m[1] !== "000" && m[1] !== "666" && m[1][0] !== "9" && m[2] !== "00" && m[3] !== "0000") {
            found.push("US Social Security number");
            break;
        }
    }
    for (const m of matches(UK_NINO, text)) {
        if (!NINO_INVALID_PREFIXES.has(m[1].toUpperCase())) {
            found.push("UK National Insurance number");
            break;
        }
    }
    for (const m of matches(CA_SIN, text)) {
        const digits = m[1] + m[3] + m[4];
        if (!/^[08]/.test(digits) && luhnValid(digits)) {
            found.push("Canadian Social Insurance number");
            break;
        }
    }
    for (const m of matches(ES_DNI, text)) {
        const prefix = m[1].toUpperCase();
        const digits = m[2];
        if ((prefix === "" && digits.length !== 8) || (prefix !== "" && digits.length !== 7)) {
            continue;
        }
        const number = Number(({ "": "", X: "0", Y: "1", Z: "2" } as Record<string, string>)[prefix] + digits);
        if (DNI_LETTERS[number % 23] === m[3].toUpperCase()) {
            found.push("Spanish DNI/NIE number");
            break;
        }
    }
    return found;
}

/**
 * AWS access key IDs: long-term (AKIA) and temporary (ASIA), 20 characters. "Access key IDs beginning with AKIA are
 * long-term credentials for an IAM user or the AWS account root user. Access key IDs beginning with ASIA are
 * temporary credentials that are created using AWS STS operations" (STS GetAccessKeyInfo,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html, read 2026-12-03). The 20
 * characters rest on that page's example `AKIAIOSFODNN7EXAMPLE`: no AWS page read on 2026-12-03 states the length
 * as a rule (the API types the parameter as a longer range), so longer IDs of the same prefix are not confirmed
 * to be matched.
 */
const AWS_ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/;

// ---- Around each `@`: credentials in a URL, or an email address. ----

const LOCAL_PART = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;

function atSignFindings(text: string): { email: boolean; urlCredentials: boolean } {
    let email = false;
    let urlCredentials = false;
    for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
        // Userinfo: back to whitespace, `/`, `@` or the start (so each character is read once).
        let start = at;
        while (start > 0 && !/[\s/@]/.test(text[start - 1])) {
            start--;
        }
        const userinfo = text.slice(start, at);
        const colon = userinfo.indexOf(":");
        if (!/^mailto:/i.test(userinfo) && colon > 0 && colon < userinfo.length - 1 && isAlnum(text[at + 1])) {
            urlCredentials = true;
            continue;
        }
        let local = at;
        const localStart = /^mailto:/i.test(userinfo) ? start + "mailto:".length : start;
        while (local > localStart && LOCAL_PART.test(text[local - 1])) {
            local--;
        }
        let end = at + 1;
        while (end < text.length && DOMAIN_CHAR.test(text[end])) {
            end++;
        }
        const domain = text.slice(at + 1, end).replace(/[.-]+$/, "");
        const labels = domain.split(".");
        if (local < at && labels.length >= 2 && labels.every(l => l.length > 0) &&
            /^[A-Za-z]{2,}$/.test(labels[labels.length - 1])) {
            email = true;
        }
    }
    return { email, urlCredentials };
}

// ---- Values that look like generated secrets. ----

/**
 * Tokens shorter than this are not judged as secrets (AWS secret access keys are 40 characters, as in the example
 * `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` of API_GetAccessKeyInfo.html, read 2026-12-03; generated
 * passwords usually 20-32: the pack's estimate, no source): shorter mixed-case names such as `K8sClusterA1Prod2` are too easily mistaken for one,
 * and a false alarm on a broker name is expensive (renaming replaces the broker).
 */
const MIN_SECRET_TOKEN = 20;
/**
 * Names are made of words: most of their letters sit in lower-case runs of three or more (`Orders`, `Broker`,
 * `prod`): 0.54 and more of the characters in names such as `MyApp2Prod3Queue2024Main` or
 * `K8sClusterA1Prod2Eu3West1`. Random base62 text of 20 characters has under half of them in such runs 95% of
 * the time (99% at 32 characters; measured over 5,000 random strings each).
 */
const MAX_WORD_FRACTION = 0.5;
/** A token is a run of characters other than blanks and these delimiters (URL, ARN and list punctuation). */
const TOKEN_DELIMITER = /[\s:,;@"'`()[\]{}<>|]/;

type CharClass = "upper" | "lower" | "digit" | "other";

function classOf(c: string): CharClass {
    if (c >= "A" && c <= "Z") {
        return "upper";
    }
    if (c >= "a" && c <= "z") {
        return "lower";
    }
    return isDigit(c) ? "digit" : "other";
}

/**
 * Whether a token looks like a generated secret rather than a name: at least MIN_SECRET_TOKEN characters,
 * upper case, lower case and digits all present, and fewer than MAX_WORD_FRACTION of its characters in words
 * (a run of 3+ lower-case letters, with the capital that starts it). Generated secrets mix the three kinds at
 * random (`Vq7tRw2pLx9mZk4sNb6c`); names are words and numbers (`OrdersBroker2024Production`). Hex strings,
 * UUIDs and resource IDs use one letter case and are never flagged.
 */
export function looksGenerated(token: string): boolean {
    if (token.length < MIN_SECRET_TOKEN) {
        return false;
    }
    const seen = new Set<CharClass>();
    let inWords = 0;
    let i = 0;
    while (i < token.length) {
        const current = classOf(token[i]);
        seen.add(current);
        if (current !== "lower") {
            i++;
            continue;
        }
        let end = i;
        while (end < token.length && classOf(token[end]) === "lower") {
            end++;
        }
        if (end - i >= 3) {
            inWords += end - i + (i > 0 && classOf(token[i - 1]) === "upper" ? 1 : 0);
        }
        i = end;
    }
    if (!seen.has("upper") || !seen.has("lower") || !seen.has("digit")) {
        return false;
    }
    return inWords / token.length < MAX_WORD_FRACTION;
}

function hasGeneratedSecret(text: string): boolean {
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
        if (i === text.length || TOKEN_DELIMITER.test(text[i])) {
            if (i - start >= MIN_SECRET_TOKEN && looksGenerated(text.slice(start, i))) {
                return true;
            }
            start = i + 1;
        }
    }
    return false;
}

/**
 * `password=...`, `token: ...` written into a value: `=`, or `:` and a blank, so an ARN's resource type
 * (`arn:aws:secretsmanager:...:secret:orders-AbC123`) is not read as an assignment.
 */
const SECRET_ASSIGNMENT = /(?:password|passwd|pwd|passphrase|secret|token|api[-_]?key|private[-_]?key|secret[-_]?key|access[-_]?key)(?:[ \t]{0,3}=|[ \t]{0,3}:[ \t]{1,3})[ \t]{0,3}[^\s,;]/i;

/** Every kind of personal or sensitive data that `text` seems to hold, each kind once, in a fixed order. */
export function findSensitiveData(text: string, options: ScanOptions): SensitiveFinding[] {
    const scanned = text.length > MAX_SCAN_LENGTH ? text.slice(0, MAX_SCAN_LENGTH) : text;
    const findings: SensitiveFinding[] = [];
    const at = atSignFindings(scanned);
    if (at.email) {
        findings.push({ kind: "email", description: "what looks like an email address" });
    }
    if (hasPhone(scanned)) {
        findings.push({ kind: "phone", description: "what looks like a phone number" });
    }
    if (hasPaymentCard(scanned)) {
        findings.push({ kind: "paymentCard", description: "what looks like a payment card number" });
    }
    for (const id of nationalIds(scanned)) {
        findings.push({ kind: "nationalId", description: `what looks like a national ID number (${id})` });
    }
    if (AWS_ACCESS_KEY_ID.test(scanned)) {
        findings.push({ kind: "awsAccessKey", description: "what looks like an AWS access key ID" });
    }
    if (at.urlCredentials) {
        findings.push({ kind: "urlCredentials", description: "what looks like credentials in a URL (user:password@host)" });
    }
    const assignment = options.secretWords === "value" && SECRET_ASSIGNMENT.test(scanned);
    // A random value inside a URL's credentials or an assignment is that finding already.
    if (!at.urlCredentials && !assignment && hasGeneratedSecret(scanned)) {
        findings.push({ kind: "secretValue", description: "what looks like a generated secret (a random, high-entropy value)" });
    }
    if (assignment) {
        findings.push({ kind: "secretAssignment", description: "what looks like a secret written as name=value (password=...)" });
    }
    return findings;
}
