// In-process type-checks of TypeScript text that `npm test`'s typecheck phase (tsc -p tests/tsconfig.json) cannot
// see: the fix snippets the policies build at run time, and the examples spec's proof that a type error is
// reported. Each text is its own module, all compiled in one program against the pinned @pulumi packages.
// @pulumi/aws's index.d.ts imports all of its ~250 service modules (2,700 declaration files); the index is served
// with only the service namespaces the texts name (`aws.mq`, `aws.kms`, ...) and every other line as it is, so
// each namespace a text uses is the pinned one, unchanged (a text naming another namespace gets an error, never
// a pass). The declaration files parsed are kept for the whole mocha process: the second spec that checks text
// reuses the first one's (@pulumi/aws's types/input.d.ts and types/output.d.ts alone are 235,000 lines).
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
/** @pulumi/aws's index.d.ts, as the programs and snippets resolve it. */
export const AWS_INDEX = path.resolve(require.resolve("@pulumi/aws/package.json", { paths: [ROOT] }), "..", "index.d.ts");

/**
 * Declaration files parsed (and bound, once a checker has used them) so far, by name, language version and the
 * options the binder reads; never @pulumi/aws's index, which is cut per check.
 */
const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * @pulumi/aws's index.d.ts with only the service namespaces in `used` (`import * as mq from "./mq"` and its name
 * in the `export { ... }` list); its top-level functions and types stay.
 */
export function usedNamespacesOnly(index: string, used: ReadonlySet<string>): string {
    const namespaces = new Set([...index.matchAll(/^import \* as (\w+) from "\.\/\w+";$/gm)].map(m => m[1]));
    return index.split("\n").filter(line => {
        const m = /^import \* as (\w+) from "\.\/\w+";$/.exec(line);
        return !m || used.has(m[1]);
    }).map(line => /^export \{ [\w, ]+ \};$/.test(line) && line.split(/[{},\s]+/).slice(1, -1).every(n => namespaces.has(n))
        ? `export { ${line.split(/[{},\s]+/).slice(1, -1).filter(n => used.has(n)).join(", ")} };`
        : line).join("\n");
}

/**
 * The diagnostics of each source, by its label ("" when it type-checks), as tsc prints them. Each source is the
 * module `<dir>/snippet-<i>.ts` (with `export {}`, so the sources' names do not clash); nothing is written to
 * disk. Module resolution walks up from `dir`, which must be inside the repository.
 */
export function typeCheckModules(sources: Record<string, string>, options: ts.CompilerOptions, dir: string): Record<string, string> {
    const files = new Map<string, string>();
    Object.values(sources).forEach((code, i) => files.set(path.join(dir, `snippet-${i}.ts`), `${code}\nexport {};\n`));
    const used = new Set(Object.values(sources).flatMap(code => [...code.matchAll(/\baws\.(\w+)/g)].map(m => m[1])));
    const awsIndex = usedNamespacesOnly(fs.readFileSync(AWS_INDEX, "utf8"), used);
    const host = ts.createCompilerHost(options);
    const binder = JSON.stringify([options.strict, options.alwaysStrict, options.preserveConstEnums, options.isolatedModules, options.verbatimModuleSyntax]);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        const resolved = path.resolve(fileName);
        const text = resolved === AWS_INDEX ? awsIndex : files.get(resolved);
        if (text !== undefined) {
            return ts.createSourceFile(fileName, text, languageVersion, true);
        }
        const key = `${resolved}\0${JSON.stringify(languageVersion)}\0${binder}`;
        if (!parsed.has(key)) {
            parsed.set(key, read(fileName, languageVersion, onError, shouldCreate));
        }
        return parsed.get(key);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = fileName => files.has(path.resolve(fileName)) || fileExists(fileName);
    const readFile = host.readFile.bind(host);
    host.readFile = fileName => files.get(path.resolve(fileName)) ?? readFile(fileName);
    const program = ts.createProgram([...files.keys()], { ...options, noEmit: true }, host);
    const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: f => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
    const result: Record<string, string> = {};
    Object.keys(sources).forEach((label, i) => {
        const file = program.getSourceFile(path.join(dir, `snippet-${i}.ts`))!;
        result[label] = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program, file), format);
    });
    return result;
}
