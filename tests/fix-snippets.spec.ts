// Every policy's remediationSteps ends with one TypeScript fix snippet a user can paste, and every snippet
// type-checks against the @pulumi/aws, @pulumi/pulumi and @pulumi/random this repository pins: it declares
// every import and variable it uses (a snippet once used `secret.id` without declaring `secret`). The code a
// policy puts in a finding's message is checked the same way. All snippets are compiled in one program (the
// declarations of @pulumi/aws are parsed once), each as its own module.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { policies } from "../policies";
import { mqStackSecretBackedUsers } from "../policies/mq-stack-secret-backed-users";
import { detailsBlock, detailsMarkdown, generatedFiles, remediationParts } from "../scripts/catalogue";
import { analyzeStack, testPassword } from "./support/runtime";
import { broker } from "./support/stacks";

const ROOT = path.resolve(__dirname, "..");
const FENCE = /```typescript\n([\s\S]*?)```/g;
/** The most lines a snippet may have: remediationSteps is shown whole by Pulumi Cloud and the CLI. */
const MAX_LINES = 15;

/** The fenced typescript snippets of a text. */
export function snippetsOf(text: string): string[] {
    return [...text.matchAll(FENCE)].map(m => m[1]);
}

/**
 * The code of a finding's message: its lines indented by two spaces, unindented. Messages stay short, so they
 * leave out the imports (the policy's remediationSteps snippet shows them): the module gets the three imports.
 * A last line of the form `name: value` is a broker argument: it is checked as one, in a Partial<BrokerArgs>.
 */
export function messageProgram(message: string): string | undefined {
    const code = message.split("\n").filter(line => /^ {2}\S/.test(line)).map(line => line.slice(2));
    if (code.length === 0) {
        return undefined;
    }
    const last = code[code.length - 1];
    if (/^[A-Za-z]\w*: /.test(last)) {
        code[code.length - 1] = `const brokerArgs: Partial<aws.mq.BrokerArgs> = { ${last}\n};`;
    }
    return [
        'import * as aws from "@pulumi/aws";',
        'import * as pulumi from "@pulumi/pulumi";',
        'import * as random from "@pulumi/random";',
        ...code,
    ].join("\n");
}

/**
 * The diagnostics of each source, by its label ("" when it type-checks), compiled together in one program
 * with strict options; every source becomes a module (`export {}`), so the snippets' names do not clash.
 */
function typeCheck(sources: Record<string, string>): Record<string, string> {
    const dir = path.join(ROOT, "tests", ".fix-snippets");
    const files = new Map<string, string>();
    Object.entries(sources).forEach(([_label, code], i) => files.set(path.join(dir, `snippet-${i}.ts`), `${code}\nexport {};\n`));
    const options: ts.CompilerOptions = {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        const text = files.get(path.resolve(fileName));
        return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true)
            : getSourceFile(fileName, languageVersion, onError, shouldCreate);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = fileName => files.has(path.resolve(fileName)) || fileExists(fileName);
    const readFile = host.readFile.bind(host);
    host.readFile = fileName => files.get(path.resolve(fileName)) ?? readFile(fileName);
    // @pulumi/aws's index.d.ts imports all of its ~250 service modules (2,700 declaration files, ~20 s of CPU to
    // parse); the snippets reach a few (aws.mq, aws.kms, ...). The index is served with the namespaces the
    // sources name and every other line as it is, so each namespace a snippet uses is the pinned one, unchanged.
    const awsIndex = path.resolve(require.resolve("@pulumi/aws/package.json", { paths: [ROOT] }), "..", "index.d.ts");
    const used = new Set(Object.values(sources).flatMap(code => [...code.matchAll(/\baws\.(\w+)/g)].map(m => m[1])));
    const trimmed = usedNamespacesOnly(fs.readFileSync(awsIndex, "utf8"), used);
    const getIndex = host.getSourceFile;
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => path.resolve(fileName) === awsIndex
        ? ts.createSourceFile(fileName, trimmed, languageVersion, true)
        : getIndex(fileName, languageVersion, onError, shouldCreate);
    const program = ts.createProgram([...files.keys()], options, host);
    const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: f => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
    const result: Record<string, string> = {};
    Object.keys(sources).forEach((label, i) => {
        const file = program.getSourceFile(path.join(dir, `snippet-${i}.ts`))!;
        result[label] = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program, file), format);
    });
    return result;
}

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

/** The messages of mq-stack-secret-backed-users for hard-coded user and LDAP passwords (golden broker, one change). */
async function secretBackedUsersMessages(): Promise<string[]> {
    const ldap = { hosts: ["ldap.example.com"], serviceAccountUsername: "mq", serviceAccountPassword: testPassword("Lk8sDf3gHj6kQw2eRt5y") };
    const violations = await analyzeStack(mqStackSecretBackedUsers, [broker("orders-broker", { ldapServerMetadata: ldap })]);
    return violations.map(v => v.message);
}

describe("fix snippets", function () {
    this.timeout(120_000);

    it("every policy's remediationSteps ends with exactly one typescript snippet of at most 15 lines, after its prose", () => {
        for (const p of policies) {
            const snippets = snippetsOf(p.remediationSteps ?? "");
            assert.strictEqual(snippets.length, 1, `${p.name}: ${snippets.length} snippets`);
            assert.ok(p.remediationSteps!.trimEnd().endsWith("```"), `${p.name}: the snippet ends the remediation steps`);
            assert.ok(p.remediationSteps!.indexOf("```") > 40, `${p.name}: prose comes before the snippet`);
            const lines = snippets[0].trimEnd().split("\n").length;
            assert.ok(lines <= MAX_LINES, `${p.name}: ${lines} lines`);
            assert.match(snippets[0], /^import \* as aws from "@pulumi\/aws";/, `${p.name}: the snippet imports what it uses`);
        }
    });

    it("the message snippets of mq-stack-secret-backed-users are found (users and LDAP)", async () => {
        const messages = await secretBackedUsersMessages();
        const programs = messages.map(messageProgram).filter((p): p is string => p !== undefined);
        assert.strictEqual(programs.length, 2, messages.join("\n---\n"));
        assert.match(programs[0], /users: \[/);
        assert.match(programs[1], /ldapServerMetadata: \{/);
    });

    it("only mq-stack-secret-backed-users puts code in a message (so the message check below covers every policy)", () => {
        const withCode: string[] = [];
        for (const p of policies) {
            const source = fs.readFileSync(path.join(ROOT, "policies", `${p.name}.ts`), "utf8");
            const start = source.indexOf("remediationSteps:");
            const end = source.indexOf("\n    url:", start);
            const outside = source.slice(0, start) + source.slice(end);
            if (/["'`][^"'`\n]*\bnew (aws|random|pulumi)\.[A-Za-z.]+\(/.test(outside)) {
                withCode.push(p.name);
            }
        }
        assert.deepStrictEqual(withCode, ["mq-stack-secret-backed-users"]);
    });

    it("every snippet, in remediationSteps and in messages, type-checks against the pinned @pulumi packages and declares what it uses", async () => {
        const sources: Record<string, string> = {};
        for (const p of policies) {
            sources[`${p.name} remediationSteps`] = snippetsOf(p.remediationSteps ?? "")[0] ?? "";
        }
        (await secretBackedUsersMessages()).forEach((message, i) => {
            sources[`mq-stack-secret-backed-users message ${i}`] = messageProgram(message) ?? "";
        });
        // The check can fail: the snippet the message used to carry, with an undeclared `secret`.
        const undeclared = 'const stored = new aws.secretsmanager.SecretVersion("x", { secretId: secret.id, secretString: "y" });';
        sources["an undeclared variable"] = messageProgram(`fix:\n  ${undeclared}`)!;
        const results = typeCheck(sources);
        assert.match(results["an undeclared variable"], /Cannot find name 'secret'/);
        delete results["an undeclared variable"];
        const failures = Object.entries(results).filter(([, d]) => d !== "").map(([label, d]) => `${label}:\n${d}`);
        assert.deepStrictEqual(failures, []);
    });

    it("checks the snippets against the pinned @pulumi/aws index less the service namespaces they do not name", () => {
        const index = fs.readFileSync(path.resolve(require.resolve("@pulumi/aws/package.json", { paths: [ROOT] }), "..", "index.d.ts"), "utf8");
        const trimmed = usedNamespacesOnly(index, new Set(["mq", "kms"]));
        assert.match(trimmed, /^import \* as mq from "\.\/mq";$/m);
        assert.match(trimmed, /^export \{ kms, mq \};$/m);
        assert.doesNotMatch(trimmed, /^import \* as (ec2|s3) from/m);
        assert.match(trimmed, /^export declare const getRegion: /m, "top-level functions stay");
        const all = new Set([...index.matchAll(/^import \* as (\w+) from/gm)].map(m => m[1]));
        assert.ok(all.size > 200);
        assert.strictEqual(usedNamespacesOnly(index, all).replace(/, \};$/m, " };"), index.replace(/, \};$/m, " };"), "with every namespace, the index as it is");
    });

    it("the README has, per policy, what it checks, why (its AWS source and tags), its defaults and how to fix it with its snippet, generated (npm run docs)", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const block = detailsBlock(readme);
        assert.strictEqual(block, detailsMarkdown(), "README policy details are stale: run npm run docs");
        for (const p of policies) {
            const at = block!.indexOf(`#### ${p.name}\n`);
            assert.ok(at >= 0, p.name);
            const next = block!.indexOf("\n#### ", at + 1);
            const section = block!.slice(at, next < 0 ? undefined : next);
            assert.ok(section.includes(`<${p.url}>`), `${p.name}: its AWS source`);
            for (const tag of p.tags ?? []) {
                assert.ok(section.includes(tag.replace(/</g, "&lt;").replace(/>/g, "&gt;")), `${p.name}: ${tag}`);
            }
            assert.ok(section.includes(`\`${p.enforcementLevel}\`, severity ${p.severity}`), `${p.name}: its defaults`);
            assert.ok(section.includes(`\`\`\`typescript\n${remediationParts(p.remediationSteps!).snippet}`), `${p.name}: its snippet`);
        }
    });

    it("the staleness check can fail: a changed snippet makes the generated README differ", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const p = policies[0];
        const saved = p.remediationSteps;
        try {
            p.remediationSteps = saved!.replace("```typescript\n", "```typescript\n// changed for the test\n");
            assert.notStrictEqual(generatedFiles(readme)["README.md"], readme);
            assert.match(detailsMarkdown(), /changed for the test/);
        } finally {
            p.remediationSteps = saved;
        }
        assert.strictEqual(generatedFiles(readme)["README.md"], readme);
    });
});
