// The engine imitation reads as modules a reader can name: no import cycle, no file over 500 lines, and the
// google-protobuf reference encoder (what engine/wire.ts is checked against) lives with the tests, not in the
// code that ships.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const ENGINE = path.join(ROOT, "engine");
const MAX_LINES = 500;

function engineFiles(): string[] {
    return fs.readdirSync(ENGINE, { recursive: true, encoding: "utf8" })
        .filter(f => f.endsWith(".ts"))
        .map(f => path.join(ENGINE, f))
        .sort();
}

/** Relative imports of a TypeScript file (import/export ... from, require, dynamic import), type-only ones included. */
function localImports(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const found: string[] = [];
    const pattern = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const base = path.resolve(path.dirname(file), m[1]);
        const target = [`${base}.ts`, path.join(base, "index.ts")].find(f => fs.existsSync(f));
        if (target) {
            found.push(target);
        }
    }
    return found;
}

/** Every cycle among the files, as `a -> b -> a` (each reported once, from its first file). */
function cycles(files: string[]): string[] {
    const graph = new Map(files.map(f => [f, localImports(f).filter(t => files.includes(t))]));
    const found = new Set<string>();
    const name = (f: string) => path.relative(ROOT, f);
    const visit = (file: string, trail: string[]) => {
        const at = trail.indexOf(file);
        if (at >= 0) {
            const cycle = trail.slice(at);
            const start = cycle.indexOf([...cycle].sort()[0]);
            const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
            found.add([...rotated, rotated[0]].map(name).join(" -> "));
            return;
        }
        for (const next of graph.get(file) ?? []) {
            visit(next, [...trail, file]);
        }
    };
    for (const f of files) {
        visit(f, []);
    }
    return [...found].sort();
}

describe("engine/: structure", () => {
    it("has no import cycle (session.ts and wire.ts included)", () => {
        assert.deepStrictEqual(cycles(engineFiles()), []);
    });

    it("finds a cycle when there is one (the check can fail)", () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "aws-mq-cycle-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), "import type { B } from \"./b\";\nexport type A = B;\n");
            fs.writeFileSync(path.join(dir, "b.ts"), "export { x } from './c';\nexport type B = 1;\n");
            fs.writeFileSync(path.join(dir, "c.ts"), "const a = require(\"./a\");\nexport const x = a;\n");
            const files = ["a.ts", "b.ts", "c.ts"].map(f => path.join(dir, f));
            assert.strictEqual(cycles(files).length, 1);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it(`keeps every engine source file at or under ${MAX_LINES} lines`, () => {
        const long = engineFiles()
            .map(f => ({ file: path.relative(ROOT, f), lines: fs.readFileSync(f, "utf8").split("\n").length - 1 }))
            .filter(f => f.lines > MAX_LINES);
        assert.deepStrictEqual(long, []);
    });

    it("ships no google-protobuf reference encoder: only the tests build request messages with its setters", () => {
        for (const file of engineFiles()) {
            const text = fs.readFileSync(file, "utf8");
            assert.doesNotMatch(text, /\bencodeAnalyzeRequest\b|\bencodeStackResource\b|new analyzerpb\.AnalyzeRequest\(|new analyzerpb\.AnalyzerResource\(/,
                `${path.relative(ROOT, file)} builds the reference messages`);
        }
    });

    it("names the wire format's field numbers instead of writing bare numbers", () => {
        const text = fs.readFileSync(path.join(ENGINE, "wire.ts"), "utf8");
        const bare = text.split("\n").filter(line => /\bw\.(?:string|bool|double|enumValue|fork)\(\s*\d/.test(line) ||
            /writeNonEmpty\(w,\s*\d|writeRepeatedString\(w,\s*\d|writeStruct\(w,\s*\d|writeOptions\(w,\s*\d/.test(line));
        assert.deepStrictEqual(bare, []);
    });
});
