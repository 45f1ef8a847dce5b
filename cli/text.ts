// How text that came from a stack (URNs, names, types, tags, usernames, anything a policy quotes) is written
// out. Every input is hostile: a crafted stack must not move the cursor, retitle or clear the terminal, print
// a fake PASS line, issue a GitHub Actions workflow command, reorder text with bidi controls, or flood the
// output with a 10 MB value. The table and stderr escape; JSON and SARIF keep the data but escape the same
// characters as \u escapes, so the output stays valid and faithful. Secrets are handled before this
// (cli/redact.ts); these functions only make the remaining text safe to print.
import { shown } from "../policies/lib/display";

/**
 * Characters never written as they are: C0 controls (ESC, BEL, CR, BS, ...), DEL, C1 controls (CSI, OSC, ...),
 * the Arabic letter mark, zero-width and directional marks, the line and paragraph separators, bidi
 * embeddings, overrides and isolates, invisible operators, the BOM, and lone surrogates.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\p{Cs}/u;
const UNSAFE_NO_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\p{Cs}/u;
/** The same set, for JSON text (where C0 controls and lone surrogates are already escaped by JSON.stringify). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

function isUnsafe(cp: number): boolean {
    return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || cp === 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
        (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff ||
        (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xd800 && cp <= 0xdfff);
}

function hex(cp: number, width: number): string {
    return cp.toString(16).toUpperCase().padStart(width, "0");
}

/** The visible escape of one unsafe character: `\x1B`, `\u202E`. */
export function escapeCharacter(cp: number): string {
    return cp <= 0xff ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`;
}

/** Default bounds of what the output echoes: names and types, URNs, messages. */
export const MAX_NAME = 200;
export const MAX_URN = 600;
export const MAX_MESSAGE = 1200;

/**
 * Text safe for a terminal or a CI log: unsafe characters escaped (`\x1B`), line breaks kept only when
 * `multiline` (and then only `\n`), and at most `max` characters of the escaped text, cut between whole
 * characters and whole escapes (never inside an escape sequence or a surrogate pair), with the original
 * length after the cut: `abc… (10485760 characters)`.
 */
export function terminalText(value: string, max: number, options: { multiline?: boolean } = {}): string {
    const text = String(value);
    const unsafe = options.multiline ? UNSAFE : UNSAFE_NO_NEWLINE;
    if (text.length <= max && !unsafe.test(text)) {
        return text;
    }
    let out = "";
    for (let i = 0; i < text.length;) {
        const cp = text.codePointAt(i)!;
        const width = cp > 0xffff ? 2 : 1;
        const token = cp === 0x0a && options.multiline ? "\n"
            : isUnsafe(cp) ? escapeCharacter(cp) : text.slice(i, i + width);
        if (out.length + token.length > max) {
            return `${out}… (${text.length} characters)`;
        }
        out += token;
        i += width;
    }
    return out;
}

/**
 * At most `max` UTF-16 units of a value for JSON and SARIF (which escape on their own), cut between whole
 * characters, with the original length after the cut.
 */
export function boundedText(value: string, max: number): string {
    return shown(String(value), max);
}

/**
 * GitHub Actions reads a line as a workflow command (`::add-mask::`, `::stop-commands::`, or the older
 * `##[...]`) when it starts with one after leading whitespace. Such a line gets its first character escaped,
 * so it is printed, not obeyed.
 */
export function neutralizeWorkflowCommands(text: string): string {
    return text.replace(/^([ \t]*)(::|##\[)/gm, (_m, space: string, command: string) =>
        `${space}${command === "::" ? "\\x3A:" : "\\x23#["}`);
}

/** One stderr line: everything on one line, escaped, bounded, never a workflow command. */
export function errorLine(message: string, max = 1000): string {
    const single = String(message).replace(/\s*\n\s*/g, " ").trim();
    return neutralizeWorkflowCommands(terminalText(single, max));
}

/** JSON for stdout: the same data, with the characters a terminal would act on written as \u escapes. */
export function safeJson(value: unknown): string {
    return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, c => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * Text for SARIF `message.text`, which GitHub renders: SARIF's own embedded-link syntax (`[text](target)`,
 * SARIF 2.1.0 §3.11.6) and markdown links need `[` and `]`; HTML and autolinks need `<` and `>`; entities
 * need `&`. Each is escaped with a backslash (as is the backslash itself), so user text stays text.
 */
export function sarifText(value: string): string {
    return value.replace(/[\\[\]<>&]/g, c => `\\${c}`);
}
