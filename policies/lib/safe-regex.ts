// User-supplied regular expressions (an organization's naming convention) that cannot hang the pack.
// Two layers: a static check that rejects the shapes that backtrack catastrophically (nested quantifiers,
// overlapping alternation under repetition, backreferences) with a clear reason, and an execution bound
// (a V8 time limit) for whatever slips through, such as polynomial `.*.*.*...` chains.
import * as vm from "vm";

/** Longest pattern accepted: a naming convention is short; a long pattern is a mistake or an attack. */
export const MAX_PATTERN_LENGTH = 200;
/** Time a single match may take before it is abandoned. Names are at most a few hundred characters. */
export const MATCH_TIMEOUT_MS = 50;

// ---- Character sets: the 128 ASCII code points one by one, everything else as one bucket. ----

interface CharSet {
    ascii: boolean[];
    other: boolean;
}

function emptySet(): CharSet {
    return { ascii: new Array<boolean>(128).fill(false), other: false };
}

function anySet(): CharSet {
    return { ascii: new Array<boolean>(128).fill(true), other: true };
}

function addCode(set: CharSet, code: number): void {
    if (code < 128) {
        set.ascii[code] = true;
    } else {
        set.other = true;
    }
}

function addRange(set: CharSet, from: number, to: number): void {
    for (let c = from; c <= Math.min(to, 127); c++) {
        set.ascii[c] = true;
    }
    if (to >= 128) {
        set.other = true;
    }
}

function union(a: CharSet, b: CharSet): CharSet {
    return { ascii: a.ascii.map((v, i) => v || b.ascii[i]), other: a.other || b.other };
}

function complement(set: CharSet): CharSet {
    // Non-ASCII stays possible: a complement of an ASCII-only class matches other characters.
    return { ascii: set.ascii.map(v => !v), other: true };
}

function overlaps(a: CharSet, b: CharSet): boolean {
    return (a.other && b.other) || a.ascii.some((v, i) => v && b.ascii[i]);
}

function classEscapeSet(letter: string): CharSet | undefined {
    const set = emptySet();
    switch (letter.toLowerCase()) {
        case "d":
            addRange(set, 48, 57);
            break;
        case "w":
            addRange(set, 48, 57);
            addRange(set, 65, 90);
            addRange(set, 97, 122);
            addCode(set, 95);
            break;
        case "s":
            [9, 10, 11, 12, 13, 32].forEach(c => addCode(set, c));
            set.other = true;
            break;
        default:
            return undefined;
    }
    return letter === letter.toUpperCase() ? complement(set) : set;
}

// ---- A parse tree of the parts that matter for backtracking. ----

type Node =
    | { kind: "chars"; set: CharSet }
    | { kind: "seq"; items: Node[] }
    | { kind: "alt"; options: Node[] }
    | { kind: "group"; body: Node }
    | { kind: "zeroWidth"; body?: Node }
    | { kind: "repeat"; body: Node; min: number; max: number }
    | { kind: "backref" };

class Parser {
    private pos = 0;

    constructor(private readonly src: string) {}

    parse(): Node {
        const node = this.disjunction();
        if (this.pos < this.src.length) {
            throw new Error("unexpected )");
        }
        return node;
    }

    private peek(offset = 0): string {
        return this.src[this.pos + offset] ?? "";
    }

    private disjunction(): Node {
        const options = [this.alternative()];
        while (this.peek() === "|") {
            this.pos++;
            options.push(this.alternative());
        }
        return options.length === 1 ? options[0] : { kind: "alt", options };
    }

    private alternative(): Node {
        const items: Node[] = [];
        while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
            items.push(this.quantified(this.atom()));
        }
        return { kind: "seq", items };
    }

    private quantified(atom: Node): Node {
        let min: number;
        let max: number;
        const c = this.peek();
        if (c === "*") {
            [min, max] = [0, Infinity];
            this.pos++;
        } else if (c === "+") {
            [min, max] = [1, Infinity];
            this.pos++;
        } else if (c === "?") {
            [min, max] = [0, 1];
            this.pos++;
        } else if (c === "{") {
            const match = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 24));
            if (!match) {
                return atom;
            }
            min = Number(match[1]);
            max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
            this.pos += match[0].length;
        } else {
            return atom;
        }
        if (this.peek() === "?") {
            this.pos++; // lazy: same backtracking, other order
        }
        return { kind: "repeat", body: atom, min, max };
    }

    private atom(): Node {
        const c = this.src[this.pos++];
        switch (c) {
            case "^":
            case "$":
                return { kind: "zeroWidth" };
            case ".":
                return { kind: "chars", set: anySet() };
            case "(":
                return this.group();
            case "[":
                return { kind: "chars", set: this.characterClass() };
            case "\\":
                return this.atomEscape();
            default: {
                const set = emptySet();
                addCode(set, c.charCodeAt(0));
                return { kind: "chars", set };
            }
        }
    }

    private group(): Node {
        let lookaround = false;
        if (this.peek() === "?") {
            if (this.peek(1) === ":") {
                this.pos += 2;
            } else if (this.peek(1) === "=" || this.peek(1) === "!") {
                this.pos += 2;
                lookaround = true;
            } else if (this.peek(1) === "<" && (this.peek(2) === "=" || this.peek(2) === "!")) {
                this.pos += 3;
                lookaround = true;
            } else if (this.peek(1) === "<") {
                const close = this.src.indexOf(">", this.pos);
                if (close < 0) {
                    throw new Error("unterminated group name");
                }
                this.pos = close + 1;
            } else {
                throw new Error("unsupported group");
            }
        }
        const body = this.disjunction();
        if (this.src[this.pos++] !== ")") {
            throw new Error("unterminated group");
        }
        return lookaround ? { kind: "zeroWidth", body } : { kind: "group", body };
    }

    private atomEscape(): Node {
        const c = this.src[this.pos++] ?? "";
        if (c === "b" || c === "B") {
            return { kind: "zeroWidth" };
        }
        if (/[1-9]/.test(c)) {
            while (/[0-9]/.test(this.peek())) {
                this.pos++;
            }
            return { kind: "backref" };
        }
        if (c === "k") {
            const close = this.src.indexOf(">", this.pos);
            this.pos = close < 0 ? this.src.length : close + 1;
            return { kind: "backref" };
        }
        return { kind: "chars", set: this.escapeSet(c) };
    }

    /** The set an escape (after the backslash) stands for, inside or outside a class. */
    private escapeSet(c: string): CharSet {
        const classSet = classEscapeSet(c);
        if (classSet) {
            return classSet;
        }
        const set = emptySet();
        if (c === "p" || c === "P") {
            const close = this.src.indexOf("}", this.pos);
            this.pos = close < 0 ? this.src.length : close + 1;
            return anySet();
        }
        const code = this.escapeCode(c);
        addCode(set, code);
        return set;
    }

    /** The code point of a single-character escape (after the backslash). */
    private escapeCode(c: string): number {
        const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, "0": 0 };
        if (c in simple) {
            return simple[c];
        }
        if (c === "c") {
            return this.src.charCodeAt(this.pos++) % 32;
        }
        if (c === "x") {
            const code = parseInt(this.src.slice(this.pos, this.pos + 2), 16);
            this.pos += 2;
            return code;
        }
        if (c === "u") {
            if (this.peek() === "{") {
                const close = this.src.indexOf("}", this.pos);
                const code = parseInt(this.src.slice(this.pos + 1, close), 16);
                this.pos = close + 1;
                return code;
            }
            const code = parseInt(this.src.slice(this.pos, this.pos + 4), 16);
            this.pos += 4;
            return code;
        }
        return c.charCodeAt(0);
    }

    private characterClass(): CharSet {
        let negated = false;
        if (this.peek() === "^") {
            negated = true;
            this.pos++;
        }
        let set = emptySet();
        while (this.pos < this.src.length && this.peek() !== "]") {
            const from = this.classAtom();
            if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "" && typeof from === "number") {
                this.pos++;
                const to = this.classAtom();
                if (typeof to === "number") {
                    addRange(set, from, to);
                    continue;
                }
                set = union(set, to);
                addCode(set, 45);
                addCode(set, from);
                continue;
            }
            if (typeof from === "number") {
                addCode(set, from);
            } else {
                set = union(set, from);
            }
        }
        this.pos++; // ]
        return negated ? complement(set) : set;
    }

    /** One class member: a code point, or a set for \d, \w, \s, \p{...}. */
    private classAtom(): number | CharSet {
        const c = this.src[this.pos++];
        if (c !== "\\") {
            const code = c.codePointAt(0)!;
            if (code > 0xffff) {
                this.pos++;
            }
            return code;
        }
        const e = this.src[this.pos++] ?? "";
        if (e === "b") {
            return 8;
        }
        if (classEscapeSet(e) || e === "p" || e === "P") {
            return this.escapeSet(e);
        }
        return this.escapeCode(e);
    }
}

// ---- The checks. ----

interface First {
    set: CharSet;
    nullable: boolean;
}

/** The characters a node can start with, and whether it can match the empty string. */
function first(node: Node): First {
    switch (node.kind) {
        case "chars":
            return { set: node.set, nullable: false };
        case "seq": {
            let set = emptySet();
            for (const item of node.items) {
                const f = first(item);
                set = union(set, f.set);
                if (!f.nullable) {
                    return { set, nullable: false };
                }
            }
            return { set, nullable: true };
        }
        case "alt":
            return node.options.map(first).reduce(
                (acc, f) => ({ set: union(acc.set, f.set), nullable: acc.nullable || f.nullable }),
                { set: emptySet(), nullable: false });
        case "group":
            return first(node.body);
        case "repeat": {
            const f = first(node.body);
            return { set: f.set, nullable: f.nullable || node.min === 0 };
        }
        case "zeroWidth":
            return { set: emptySet(), nullable: true };
        case "backref":
            return { set: anySet(), nullable: true };
    }
}

function children(node: Node): Node[] {
    switch (node.kind) {
        case "seq":
            return node.items;
        case "alt":
            return node.options;
        case "group":
        case "repeat":
            return [node.body];
        case "zeroWidth":
            return node.body ? [node.body] : [];
        default:
            return [];
    }
}

function someNode(node: Node, test: (n: Node) => boolean): boolean {
    return test(node) || children(node).some(child => someNode(child, test));
}

/** Two branches of an alternation can begin the same way (or one can match nothing). */
function ambiguousAlternation(node: Node): boolean {
    if (node.kind !== "alt") {
        return false;
    }
    const firsts = node.options.map(first);
    for (let i = 0; i < firsts.length; i++) {
        for (let j = i + 1; j < firsts.length; j++) {
            if (firsts[i].nullable || firsts[j].nullable || overlaps(firsts[i].set, firsts[j].set)) {
                return true;
            }
        }
    }
    return false;
}

/** The items of a sequence, looking through groups. */
function sequenceItems(node: Node): Node[] {
    if (node.kind === "group") {
        return sequenceItems(node.body);
    }
    return node.kind === "seq" ? node.items.filter(item => item.kind !== "zeroWidth") : [node];
}

function charSets(node: Node): CharSet[] {
    const sets: CharSet[] = [];
    someNode(node, n => {
        if (n.kind === "chars") {
            sets.push(n.set);
        }
        return false;
    });
    return sets;
}

/**
 * Whether each repetition of `body` starts (or ends) with a delimiter character nothing else in the body
 * can match, as in `(-[a-z0-9]+)*` or `([a-z]+\.)+`: the delimiters then fix where each repetition
 * begins, so a quantifier inside cannot split the text in more than one way.
 */
function delimited(body: Node): boolean {
    const items = sequenceItems(body);
    for (const [delimiter, rest] of [[items[0], items.slice(1)], [items[items.length - 1], items.slice(0, -1)]] as const) {
        if (delimiter?.kind === "chars" &&
            rest.every(item => charSets(item).every(set => !overlaps(set, delimiter.set)))) {
            return true;
        }
    }
    return false;
}

function findDanger(node: Node): string | undefined {
    if (node.kind === "backref") {
        return "uses a backreference (such as \\1), which can take exponential time to match";
    }
    if (node.kind === "repeat" && node.max > 1) {
        const inner = node.body;
        if (someNode(inner, n => n.kind === "repeat" && n.min !== n.max) && !delimited(inner)) {
            return "nests a quantifier inside a repeated group (like (a+)+ or (.*)*), which backtracks " +
                "catastrophically (exponential time)";
        }
        if (someNode(inner, ambiguousAlternation)) {
            return "repeats an alternation whose branches can match the same text (like (a|a)* or (a|aa)*), " +
                "which backtracks catastrophically (exponential time)";
        }
    }
    for (const child of children(node)) {
        const danger = findDanger(child);
        if (danger) {
            return danger;
        }
    }
    return undefined;
}

/**
 * Why `pattern` is not accepted as a user-supplied regular expression (compiled with the `u` flag), or
 * undefined when it is. The reason is a phrase to follow the setting's name: "brokerNamePattern <reason>".
 */
export function regexProblem(pattern: string): string | undefined {
    if (pattern.length > MAX_PATTERN_LENGTH) {
        return `is ${pattern.length} characters long; keep it to ${MAX_PATTERN_LENGTH} or fewer`;
    }
    try {
        new RegExp(pattern, "u");
    } catch (e) {
        // V8's message repeats the pattern (config, not a secret) and names the syntax error.
        return `is not a valid regular expression (${(e as Error).message})`;
    }
    let tree: Node;
    try {
        tree = new Parser(pattern).parse();
    } catch {
        return "uses syntax this pack cannot check for catastrophic backtracking; simplify it";
    }
    const danger = findDanger(tree);
    return danger ? `${danger}; rewrite it without that construct` : undefined;
}

// ---- Bounded execution. ----

const matchScript = new vm.Script("pattern.test(input)");
let matchContext: vm.Context | undefined;

export type BoundedMatch = "match" | "no-match" | "timeout";

/**
 * Tests `regex` against `input`, giving up after `timeoutMs` (V8 interrupts a runaway backtracking
 * match), so even an accepted pattern with polynomial blow-up cannot hang the pack.
 */
export function testBounded(regex: RegExp, input: string, timeoutMs = MATCH_TIMEOUT_MS): BoundedMatch {
    matchContext = matchContext ?? vm.createContext({});
    matchContext.pattern = regex;
    matchContext.input = input;
    try {
        regex.lastIndex = 0;
        return matchScript.runInContext(matchContext, { timeout: timeoutMs }) ? "match" : "no-match";
    } catch (e) {
        if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
            return "timeout";
        }
        throw e;
    } finally {
        matchContext.pattern = undefined;
        matchContext.input = undefined;
    }
}

let compiled: { pattern: string; regex: RegExp } | undefined;

/** The whole-string matcher for a checked pattern (`^(?:pattern)$`, `u` flag), compiled once. */
export function wholeMatcher(pattern: string): RegExp {
    if (!compiled || compiled.pattern !== pattern) {
        compiled = { pattern, regex: new RegExp(`^(?:${pattern})$`, "u") };
    }
    return compiled.regex;
}
