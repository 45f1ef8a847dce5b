// Values that came from inside a Pulumi secret are never printed. The export marks them (the secret
// signature); engine/state.ts decodes a `--show-secrets` plaintext and lists every string inside it
// (StackState.secretValues). Each occurrence of one in a finding's message is replaced with `[secret]`,
// whatever policy wrote it: a secret brokerName, username, storageType, kmsKeyId, engineVersion, a `users`
// list that is one secret.
//
// Matching: case-insensitive (a policy may lower-case a value). A secret of 8 characters or more is replaced
// wherever it appears, including as a prefix cut by a policy's bound (`shown()`: first characters + `… (N
// characters)`). A shorter one ("a", "mq", "ebs", "short") is replaced only as a whole token (not inside a run
// of letters and digits): replacing every "a", or "short" inside "shorter", would make messages unreadable and
// point at the secret, and a value that short appears in a message as a token of its own. Over-redaction is accepted: an ordinary word equal to a short secret is
// replaced too. Empty strings are ignored.

export const SECRET_MARK = "[secret]";

/** Secrets of at least this many UTF-16 units are matched anywhere; shorter ones only as whole tokens. */
const MIN_SUBSTRING_LENGTH = 8;
/** Long secrets are found by their first this many units, then matched as far as the message goes on with them. */
const KEY_LENGTH = 64;
/** Secrets sharing one key that are compared to extend a match (more share a 64-unit prefix only by design). */
const MAX_CANDIDATES = 8;

/** One code unit folded to lower case when that keeps it one code unit (so offsets stay the same). */
function foldUnit(c: string): string {
    const lower = c.toLowerCase();
    return lower.length === 1 ? lower : c;
}

function fold(text: string): string {
     
    if (/^[\u0000-\u007f]*$/.test(text)) {
        return text.toLowerCase(); // ASCII: one unit each, the same as unit by unit
    }
    const parts: string[] = [];
    for (let i = 0; i < text.length; i++) {
        parts.push(foldUnit(text[i]));
    }
    return parts.join("");
}

/** The first three code units of folded text at i, as one number (no string made). */
function prefixCode(folded: string, i: number): number {
    return folded.charCodeAt(i) * 4294967296 + folded.charCodeAt(i + 1) * 65536 + folded.charCodeAt(i + 2);
}

/** Texts longer than this are not remembered (the memo is for the many identical messages of a large stack). */
const MAX_MEMO_TEXT = 4096;

const WORD = /[\p{L}\p{N}\p{M}_]/u;

function isWordUnit(c: string | undefined): boolean {
    if (c === undefined) {
        return false;
    }
    const code = c.charCodeAt(0);
    if (code < 0x80) {
        return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
    }
    return (code >= 0xd800 && code <= 0xdfff) || WORD.test(c);
}

export class SecretRedactor {
    /** Long secrets: key length -> folded key -> folded secrets with that key. */
    private readonly byKey = new Map<number, Map<string, string[]>>();
    private keyLengths: number[] = [];
    /** Short secrets: folded. */
    private readonly short = new Set<string>();
    /** Lengths of the short secrets, longest first. */
    private shortLengths: number[] = [];
    /** First code unit of every folded secret, to skip most positions at once. */
    private readonly firstUnits = new Set<number>();
    /** First three code units of every long secret (prefixCode). */
    private readonly prefixes = new Set<number>();
    private readonly seen = new Set<string>();
    private readonly memo = new Map<string, string>();

    constructor(values: Iterable<string> = []) {
        for (const value of values) {
            this.add(value);
        }
    }

    /** Number of distinct secret values collected. */
    get size(): number {
        return this.seen.size;
    }

    add(value: string): void {
        if (value === "") {
            return;
        }
        const folded = fold(value);
        if (this.seen.has(folded)) {
            return;
        }
        this.seen.add(folded);
        this.memo.clear();
        this.firstUnits.add(folded.charCodeAt(0));
        if (folded.length < MIN_SUBSTRING_LENGTH) {
            this.short.add(folded);
            if (!this.shortLengths.includes(folded.length)) {
                this.shortLengths = [...this.shortLengths, folded.length].sort((a, b) => b - a);
            }
            return;
        }
        this.prefixes.add(prefixCode(folded, 0));
        const key = folded.slice(0, KEY_LENGTH);
        let keys = this.byKey.get(key.length);
        if (!keys) {
            keys = new Map();
            this.byKey.set(key.length, keys);
            this.keyLengths = [...this.byKey.keys()].sort((a, b) => b - a);
        }
        const list = keys.get(key);
        if (!list) {
            keys.set(key, [folded]);
        } else if (list.length < MAX_CANDIDATES) {
            list.push(folded);
        }
    }

    /** The text with every secret value in it replaced by [secret]. */
    redact(text: string): string {
        if (this.seen.size === 0 || text === "") {
            return text;
        }
        const cached = this.memo.get(text);
        if (cached !== undefined) {
            return cached;
        }
        const result = this.scan(text);
        if (text.length <= MAX_MEMO_TEXT) {
            if (this.memo.size > 10_000) {
                this.memo.clear();
            }
            this.memo.set(text, result);
        }
        return result;
    }

    private scan(text: string): string {
        const folded = fold(text);
        const n = text.length;
        let out = "";
        let copied = 0;
        for (let i = 0; i < n;) {
            if (!this.firstUnits.has(folded.charCodeAt(i))) {
                i++;
                continue;
            }
            const end = (i + 3 < n && this.prefixes.has(prefixCode(folded, i)) ? this.longMatch(folded, i) : undefined) ??
                this.shortMatch(text, folded, i);
            if (end === undefined) {
                i++;
                continue;
            }
            out += text.slice(copied, i) + SECRET_MARK;
            copied = end;
            i = end;
        }
        return copied === 0 ? text : out + text.slice(copied);
    }

    /** End of a long secret (or of its cut prefix and the `… (N characters)` after it) starting at i. */
    private longMatch(folded: string, i: number): number | undefined {
        for (const length of this.keyLengths) {
            if (i + length > folded.length) {
                continue;
            }
            const candidates = this.byKey.get(length)!.get(folded.slice(i, i + length));
            if (!candidates) {
                continue;
            }
            let end = i + length;
            let whole = false;
            for (const secret of candidates) {
                let j = length;
                while (j < secret.length && i + j < folded.length && folded[i + j] === secret[j]) {
                    j++;
                }
                if (i + j > end || (i + j === end && j === secret.length)) {
                    end = i + j;
                    whole = j === secret.length;
                }
            }
            if (!whole) {
                // A prefix cut by a bound: the cut marker after it would give the secret's length away.
                const marker = /^… \(\d+ characters\)/.exec(folded.slice(end, end + 40));
                if (marker) {
                    end += marker[0].length;
                }
            }
            return end;
        }
        return undefined;
    }

    /** End of a short secret standing as a whole token at i. */
    private shortMatch(text: string, folded: string, i: number): number | undefined {
        if (this.short.size === 0 || (i > 0 && isWordUnit(text[i - 1]) && isWordUnit(text[i]))) {
            return undefined;
        }
        for (const length of this.shortLengths) {
            if (i + length > folded.length || !this.short.has(folded.slice(i, i + length))) {
                continue;
            }
            const after = text[i + length];
            if (!(isWordUnit(text[i + length - 1]) && isWordUnit(after))) {
                return i + length;
            }
        }
        return undefined;
    }
}
