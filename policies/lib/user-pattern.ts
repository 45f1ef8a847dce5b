// User-configured regular expressions (an organization's naming convention), matched with RE2 semantics by
// re2js (a pure-JavaScript port of RE2): matching takes time linear in the name, whatever the pattern, so
// there is no timeout and no verdict that depends on how loaded the machine is. re2js is loaded only when a
// pattern is configured (a pack without one never loads it).
//
// RE2 leaves out the features that need backtracking. They are rejected in config validation, each with a
// clear reason (README "Patterns"): backreferences (\1, \k<name>), lookahead and lookbehind ((?=, (?!, (?<=,
// (?<!), atomic groups ((?>), possessive quantifiers (a++, a*+), \Z and \G, \cX control escapes and \uXXXX
// escapes (write \x{XXXX}); a repeat count over 1000 is refused too.
import type { RE2JS as RE2JSClass } from "re2js";

/** Longest pattern accepted: a naming convention is short; a long pattern is a mistake or an attack. */
export const MAX_PATTERN_LENGTH = 200;

/** A feature RE2 does not have, found by a scan that skips escaped characters and character classes. */
interface Unsupported {
    /** How a reader recognizes it. */
    feature: string;
    /** What to write instead, when there is an equivalent. */
    instead?: string;
}

/** The RE2-unsupported features `pattern` uses, each once, in the order of first use. */
function unsupportedFeatures(pattern: string): Unsupported[] {
    const found = new Map<string, Unsupported>();
    const add = (u: Unsupported) => {
        if (!found.has(u.feature)) {
            found.set(u.feature, u);
        }
    };
    let inClass = false;
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        const next = pattern[i + 1];
        if (c === "\\") {
            if (next !== undefined && /[1-9]/.test(next) && !inClass) {
                add({ feature: "a backreference (\\1)" });
            } else if (next === "k" && pattern[i + 2] === "<" && !inClass) {
                add({ feature: "a named backreference (\\k<name>)" });
            } else if (next === "u") {
                add({ feature: "a \\u escape", instead: "\\x{0041} for U+0041" });
            } else if (next === "c") {
                add({ feature: "a control escape (\\cX)", instead: "\\x{01} for Ctrl-A" });
            } else if (next === "Z" || next === "G") {
                add({ feature: `the anchor \\${next}`, instead: next === "Z" ? "$ or \\z" : "^" });
            }
            i++;
            continue;
        }
        if (inClass) {
            if (c === "]") {
                inClass = false;
            }
            continue;
        }
        if (c === "[") {
            inClass = true;
            // A `]` right after `[` or `[^` is a literal member, not the end.
            if (pattern[i + 1] === "^") {
                i++;
            }
            if (pattern[i + 1] === "]") {
                i++;
            }
            continue;
        }
        if (c === "(" && next === "?") {
            const rest = pattern.slice(i + 2, i + 4);
            if (rest.startsWith("=") || rest.startsWith("!")) {
                add({ feature: "a lookahead ((?=...) or (?!...))" });
            } else if (rest === "<=" || rest === "<!") {
                add({ feature: "a lookbehind ((?<=...) or (?<!...))" });
            } else if (rest.startsWith(">")) {
                add({ feature: "an atomic group ((?>...))" });
            }
            continue;
        }
        if ((c === "*" || c === "+" || c === "?" || c === "}") && next === "+") {
            add({ feature: "a possessive quantifier (a++, a*+, a?+)", instead: "the plain quantifier" });
        }
    }
    return [...found.values()];
}

let re2js: typeof import("re2js") | undefined;

/** re2js, loaded on first use. */
function engine(): typeof import("re2js") {
     
    return (re2js ??= require("re2js") as typeof import("re2js"));
}

/** The last pattern compiled (a pack has one configured convention; recompiled only when it changes). */
let compiled: { pattern: string; regex: RE2JSClass } | undefined;

function compile(pattern: string): RE2JSClass {
    if (!compiled || compiled.pattern !== pattern) {
        compiled = { pattern, regex: engine().RE2JS.compile(pattern) };
    }
    return compiled.regex;
}

/** The first `max` characters of an engine message, so a message stays bounded. */
function bounded(text: string, max = 200): string {
    return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Why `pattern` is not accepted as a naming convention, or undefined when it is. The reason is a phrase to
 * follow the setting's name: "brokerNamePattern <reason>".
 */
export function patternProblem(pattern: string): string | undefined {
    if (pattern.length > MAX_PATTERN_LENGTH) {
        return `is ${pattern.length} characters long; keep it to ${MAX_PATTERN_LENGTH} or fewer`;
    }
    const unsupported = unsupportedFeatures(pattern);
    if (unsupported.length > 0) {
        const parts = unsupported.map(u => (u.instead ? `${u.feature} (write ${u.instead} instead)` : u.feature));
        return `uses ${parts.join(", ")}, which RE2 regular expressions do not support (they match in linear time ` +
            "and leave out features that need backtracking); rewrite the pattern without them";
    }
    try {
        compile(pattern);
    } catch (e) {
        // re2js names the syntax error and quotes the offending part of the pattern (config, not a secret).
        const message = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
        return `is not a valid RE2 regular expression (${bounded(message)})`;
    }
    return undefined;
}

/** Whether the whole of `text` matches `pattern` (a pattern patternProblem accepts), in linear time. */
export function matchesWhole(pattern: string, text: string): boolean {
    return compile(pattern).matches(text);
}
