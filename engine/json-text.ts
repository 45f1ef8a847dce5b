// Positions in JSON text, for error messages that say where without quoting what: V8's JSON.parse messages
// quote the text around the error, and the text may be a secrets file passed by mistake. Everything here is
// iterative and linear, and only run once something is known to be wrong.

/** `line L, column C` of an offset (1-based, columns in UTF-16 code units as editors count them). */
export function lineAndColumn(text: string, offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return `line ${line}, column ${offset - lineStart + 1}`;
}

const LITERAL = /true|false|null/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function isSpace(c: number): boolean {
    return c === 32 || c === 9 || c === 10 || c === 13;
}

/** The offset just past the JSON string starting at `start` (a `"`), or -1 - the offset of its first error. */
function scanString(text: string, start: number): number {
    const n = text.length;
    for (let i = start + 1; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) {
            return i + 1;
        }
        if (c === 92) {
            const e = text[i + 1];
            if (e === "u") {
                if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
                    return -1 - i;
                }
                i += 5;
            } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
                i++;
            } else {
                return -1 - (e === undefined ? n : i);
            }
        } else if (c < 32) {
            return -1 - i;
        }
    }
    return -1 - n;
}

/**
 * Where JSON.parse failed: the offset of the first syntax error (the text's length when it ends early), or -1
 * when the text is valid.
 */
export function jsonErrorOffset(text: string): number {
    const n = text.length;
    const stack: number[] = []; // 123 `{` or 91 `[`
    let i = 0;
    let expect: "value" | "firstValue" | "key" | "firstKey" | "after" = "value";
    const skipSpace = () => {
        while (i < n && isSpace(text.charCodeAt(i))) {
            i++;
        }
    };
    const scanToken = (pattern: RegExp): boolean => {
        pattern.lastIndex = i;
        const match = pattern.exec(text);
        if (!match) {
            return false;
        }
        i += match[0].length;
        return true;
    };
    for (;;) {
        skipSpace();
        if (expect === "value" || expect === "firstValue") {
            if (i >= n) {
                return n;
            }
            const c = text[i];
            if (expect === "firstValue" && c === "]") {
                i++;
                stack.pop();
                expect = "after";
            } else if (c === "{" || c === "[") {
                stack.push(text.charCodeAt(i++));
                expect = c === "{" ? "firstKey" : "firstValue";
            } else if (c === "\"") {
                const end = scanString(text, i);
                if (end < 0) {
                    return -1 - end;
                }
                i = end;
                expect = "after";
            } else if (scanToken(NUMBER) || scanToken(LITERAL)) {
                expect = "after";
            } else {
                return i;
            }
        } else if (expect === "key" || expect === "firstKey") {
            if (i >= n) {
                return n;
            }
            if (expect === "firstKey" && text[i] === "}") {
                i++;
                stack.pop();
                expect = "after";
                continue;
            }
            if (text[i] !== "\"") {
                return i;
            }
            const end = scanString(text, i);
            if (end < 0) {
                return -1 - end;
            }
            i = end;
            skipSpace();
            if (i >= n) {
                return n;
            }
            if (text[i] !== ":") {
                return i;
            }
            i++;
            expect = "value";
        } else {
            if (stack.length === 0) {
                return i >= n ? -1 : i;
            }
            if (i >= n) {
                return n;
            }
            const top = stack[stack.length - 1];
            const c = text[i];
            if (c === ",") {
                i++;
                expect = top === 123 ? "key" : "value";
            } else if ((top === 123 && c === "}") || (top === 91 && c === "]")) {
                i++;
                stack.pop();
                expect = "after";
            } else {
                return i;
            }
        }
    }
}

/** True when JSON.parse failed because the text ends early (its error is at or past the last non-space). */
export function endsEarly(text: string, errorOffset: number): boolean {
    return errorOffset >= text.trimEnd().length;
}

/**
 * The first place where valid JSON text nests deeper than `maxDepth` arrays and objects (the outermost value
 * is depth 1), or -1. Linear: brackets are counted outside strings.
 */
export function tooDeepOffset(text: string, maxDepth: number): number {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) {
            const end = scanString(text, i);
            if (end < 0) {
                return -1; // not valid JSON: not this function's question
            }
            i = end - 1;
        } else if (c === 123 || c === 91) {
            if (++depth > maxDepth) {
                return i;
            }
        } else if (c === 125 || c === 93) {
            depth--;
        }
    }
    return -1;
}

/** A member of a JSON object in valid text: its key and where its value starts and ends. */
export interface JsonMember {
    key: string;
    valueStart: number;
    valueEnd: number;
}

/** The offset just past the valid JSON value that starts at `start`. */
function skipValue(text: string, start: number): number {
    let depth = 0;
    let i = start;
    do {
        const c = text.charCodeAt(i);
        if (c === 34) {
            i = scanString(text, i);
            continue;
        }
        if (c === 123 || c === 91) {
            depth++;
        } else if (c === 125 || c === 93) {
            depth--;
        } else if (depth === 0) {
            // A number or a literal at the top: up to the next delimiter.
            while (i < text.length && !/[\s,}\]]/.test(text[i])) {
                i++;
            }
            return i;
        }
        i++;
    } while (depth > 0 && i < text.length);
    return i;
}

/**
 * The members of the object whose `{` is the first non-space at or after `start`, in valid JSON text, in
 * order (a repeated key appears each time; JSON.parse keeps the last). Empty when the value is not an object.
 */
export function objectMembers(text: string, start = 0): JsonMember[] {
    let i = start;
    const skipSpace = () => {
        while (i < text.length && isSpace(text.charCodeAt(i))) {
            i++;
        }
    };
    skipSpace();
    if (text[i] !== "{") {
        return [];
    }
    i++;
    const members: JsonMember[] = [];
    for (;;) {
        skipSpace();
        if (text[i] !== "\"") {
            return members; // `}`
        }
        const keyEnd = scanString(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = keyEnd;
        skipSpace();
        i++; // `:`
        skipSpace();
        const valueStart = i;
        i = skipValue(text, i);
        members.push({ key, valueStart, valueEnd: i });
        skipSpace();
        if (text[i] === ",") {
            i++;
        }
    }
}

/** The last member named `key` (the one JSON.parse keeps). */
export function memberNamed(members: JsonMember[], key: string): JsonMember | undefined {
    for (let m = members.length - 1; m >= 0; m--) {
        if (members[m].key === key) {
            return members[m];
        }
    }
    return undefined;
}
