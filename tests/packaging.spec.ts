// Packaging: what Pulumi Cloud installs is only the pack (scripts/stage-pack.js, `npm run pack:policy`), and the
// checkout never runs a stale dist/ (scripts/pack-entry.js, scripts/dist-freshness.js, scripts/prepare.js).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
 
const stager = require("../scripts/stage-pack.js") as {
    stage(out: string): { out: string; manifest: Manifest; files: string[] };
    requiresOf(code: string): { literal: string[]; dynamic: string[] };
    stagedManifest(root: Manifest, found: { runtime: Map<string, string>; types: Map<string, string>; problems: string[] }): Manifest;
};
 
const freshness = require("../scripts/dist-freshness.js") as {
    staleSource(root: string, entries?: string[]): { source: string; reason: string } | undefined;
};

interface Manifest {
    main?: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    scripts?: Record<string, string>;
    exports?: Record<string, unknown>;
    [key: string]: unknown;
}

const rootManifest: Manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** Every file under `dir`, relative to it, with forward slashes. */
function filesUnder(dir: string, prefix = ""): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`]);
}

/** The packages a set of specifiers names (`@scope/name/sub` -> `@scope/name`), builtins and relative ones left out. */
function packagesNamed(specifiers: string[]): string[] {
    const builtins = new Set(require("module").builtinModules as string[]);
    return [...new Set(specifiers
        .filter(s => !s.startsWith(".") && !s.startsWith("node:") && !builtins.has(s.split("/")[0]))
        .map(s => s.split("/").slice(0, s.startsWith("@") ? 2 : 1).join("/")))].sort();
}

describe("packaging: the published pack", function () {
    this.timeout(60_000);
    let staged: string;
    let manifest: Manifest;

    before(() => {
        assert.ok(fs.existsSync(path.join(ROOT, "dist", "index.js")), "dist/ is missing: npm test builds it first (npm run build)");
        // Inside the checkout, so the staged code resolves its packages from the checkout's node_modules.
        fs.mkdirSync(path.join(ROOT, "build"), { recursive: true });
        staged = fs.mkdtempSync(path.join(ROOT, "build", ".packaging-spec-"));
        manifest = stager.stage(staged).manifest;
    });
    after(() => staged && fs.rmSync(staged, { recursive: true, force: true }));

    it("the staged package.json depends on exactly the packages its compiled code requires, plus @pulumi/pulumi, at the root's pins", () => {
        const specifiers = filesUnder(staged).filter(f => f.endsWith(".js"))
            .flatMap(f => stager.requiresOf(fs.readFileSync(path.join(staged, f), "utf8")).literal);
        const expected = [...new Set([...packagesNamed(specifiers), "@pulumi/pulumi"])].sort();
        assert.deepStrictEqual(Object.keys(manifest.dependencies ?? {}).sort(), expected);
        for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
            assert.strictEqual(version, rootManifest.dependencies?.[name], name);
        }
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(staged, "package.json"), "utf8")), manifest);
    });

    it("the staged package.json has no devDependencies, no scripts and no command, and its main is the compiled pack", () => {
        assert.strictEqual(manifest.devDependencies, undefined);
        assert.strictEqual(manifest.scripts, undefined);
        assert.strictEqual(manifest.bin, undefined);
        assert.strictEqual(manifest.main, "dist/index.js");
        assert.ok(fs.existsSync(path.join(staged, "dist", "index.js")));
        assert.ok(fs.existsSync(path.join(staged, "dist", "library.js")), "the library entry ships with the pack");
        assert.ok(fs.existsSync(path.join(staged, "dist", "library.d.ts")));
    });

    it("the staged folder holds no cli/ or engine/ code, no TypeScript sources and no source maps", () => {
        const files = filesUnder(staged);
        assert.deepStrictEqual(files.filter(f => /^dist\/(cli|engine)\//.test(f)), []);
        assert.deepStrictEqual(files.filter(f => /(?<!\.d)\.ts$/.test(f) || f.endsWith(".map")), []);
        assert.deepStrictEqual(files.filter(f => !f.startsWith("dist/")).sort(), ["LICENSE", "PulumiPolicy.yaml", "README.md", "package.json"]);
        assert.ok(files.includes("dist/policies/index.js"));
    });

    it("no staged file requires ajv, gRPC, protobuf, @pulumi/aws or TypeScript, even lazily", () => {
        const specifiers = filesUnder(staged).filter(f => f.endsWith(".js"))
            .flatMap(f => stager.requiresOf(fs.readFileSync(path.join(staged, f), "utf8")).literal);
        const forbidden = packagesNamed(specifiers).filter(p => ["ajv", "@grpc/grpc-js", "google-protobuf", "@pulumi/aws", "typescript"].includes(p));
        assert.deepStrictEqual(forbidden, []);
    });

    it("starting the staged pack loads no ajv and no @pulumi/aws (require.cache of a child process)", () => {
        const script = `
            require(${JSON.stringify(path.join(staged, "dist", "index.js"))});
            const loaded = new Set();
            for (const file of Object.keys(require.cache)) {
                const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file);
                if (m) loaded.add(m[1].replace(/\\\\/g, "/"));
            }
            process.stdout.write("\\nLOADED " + JSON.stringify([...loaded].sort()) + "\\n");
            process.exit(0);
        `;
        const run = spawnSync(process.execPath, ["-e", script], { cwd: staged, encoding: "utf8", timeout: 30_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        const line = run.stdout.split("\n").find(l => l.startsWith("LOADED "));
        assert.ok(line, run.stdout);
        const loaded: string[] = JSON.parse(line.slice("LOADED ".length));
        assert.ok(loaded.includes("@pulumi/policy"), `the pack was not loaded: ${loaded.join(", ")}`);
        // (TypeScript shows up here only because the checkout has it: @pulumi/pulumi loads it when it is installed, an
        // optional peer that the staged package.json does not install.)
        const cliOrTestOnly = ["ajv", "@pulumi/aws", "@pulumi/random", "mocha", "ts-node", "fast-check"];
        assert.deepStrictEqual(loaded.filter(p => cliOrTestOnly.includes(p)), []);
    });

    it("refuses to stage code that requires a package missing from the root dependencies, naming the file", () => {
        const found = { runtime: new Map([["ajv", "dist/policies/x.js"]]), types: new Map<string, string>(), problems: [] };
        assert.throws(() => stager.stagedManifest({ ...rootManifest, dependencies: { "@pulumi/pulumi": "3.248.0" }, devDependencies: { ajv: "8.17.1" } }, found),
            /dist\/policies\/x\.js requires ajv, which is only in devDependencies of package\.json/);
        assert.throws(() => stager.stagedManifest({ ...rootManifest, dependencies: {} }, { ...found, runtime: new Map() }),
            /requires @pulumi\/pulumi, which is not in dependencies/);
    });

    it("treats a require() of anything but a string literal as a require it cannot follow", () => {
        assert.deepStrictEqual(stager.requiresOf(`const a = require("re2js"); const b = require('./x'); x.require("no");`),
            { literal: ["re2js", "./x"], dynamic: [] });
        assert.strictEqual(stager.requiresOf("const m = require(name);").dynamic.length, 1);
    });
});

describe("packaging: the checkout's pack entry and a stale dist/", function () {
    this.timeout(120_000);
    let dir: string;

    /** A tree shaped like the checkout: sources, their compiled files, the two scripts; mtimes set by hand. */
    function tree(base: string): string {
        const root = fs.mkdtempSync(path.join(base, ".pack-entry-spec-"));
        const write = (rel: string, text: string, seconds: number) => {
            fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
            fs.writeFileSync(path.join(root, rel), text);
            fs.utimesSync(path.join(root, rel), seconds, seconds);
        };
        const t = Math.floor(Date.now() / 1000) - 1000;
        write("index.ts", 'import { value } from "./policies/lib/b";\nexport const marker: string = value;\n', t);
        write("policies/lib/b.ts", 'export const value: string = "from source";\n', t);
        write("policies/lib/b.d.ts", "export {};\n", t + 500);   // declarations are not sources
        write("dist/index.js", '"use strict";\nexports.marker = require("./policies/lib/b").value;\n', t + 10);
        write("dist/policies/lib/b.js", '"use strict";\nexports.value = "from dist";\n', t + 10);
        // No default library: the few global types tsc needs are declared here, so a rebuild takes a second, not ten.
        write("globals.d.ts", ["Array<T>", "Boolean", "CallableFunction", "Function", "IArguments", "NewableFunction", "Number", "Object", "RegExp", "String"]
            .map(name => `interface ${name} {}`).join("\n") + "\n", t);
        write("tsconfig.json", JSON.stringify({
            compilerOptions: { target: "ES2020", module: "commonjs", strict: true, noLib: true, rootDir: ".", outDir: "dist", types: [] },
            include: ["globals.d.ts", "index.ts", "policies/**/*.ts"],
        }), t);
        for (const script of ["pack-entry.js", "dist-freshness.js", "prepare.js"]) {
            fs.mkdirSync(path.join(root, "scripts"), { recursive: true });
            fs.copyFileSync(path.join(ROOT, "scripts", script), path.join(root, "scripts", script));
        }
        return root;
    }
    const entry = (root: string) => spawnSync(process.execPath,
        ["-e", `process.stdout.write("MARKER " + require(${JSON.stringify(path.join(root, "scripts", "pack-entry.js"))}).marker)`],
        { cwd: root, encoding: "utf8", timeout: 90_000 });
    const touch = (file: string) => {
        const now = Date.now() / 1000;
        fs.utimesSync(file, now, now);
    };

    afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    it("finds dist/ current when every compiled file is newer than its source, whatever the declaration files say", () => {
        dir = tree(os.tmpdir());
        assert.strictEqual(freshness.staleSource(dir), undefined);
    });

    it("names the edited source when one is newer than its compiled file", () => {
        dir = tree(os.tmpdir());
        touch(path.join(dir, "policies", "lib", "b.ts"));
        assert.deepStrictEqual(freshness.staleSource(dir), { source: path.join("policies", "lib", "b.ts"), reason: `${path.join("policies", "lib", "b.ts")} changed after dist/ was built` });
    });

    it("names a source whose compiled file is missing", () => {
        dir = tree(os.tmpdir());
        fs.writeFileSync(path.join(dir, "policies", "c.ts"), "export const c = 1;\n");
        assert.match(freshness.staleSource(dir)?.reason ?? "", /dist\/policies\/c\.js is missing/);
    });

    it("finds a tree with only dist/ (an installed tarball) current", () => {
        dir = tree(os.tmpdir());
        fs.rmSync(path.join(dir, "index.ts"));
        fs.rmSync(path.join(dir, "policies"), { recursive: true });
        touch(path.join(dir, "tsconfig.json"));
        assert.strictEqual(freshness.staleSource(dir), undefined);
    });

    it("the entry loads dist/ as it is, silently, when it is current", () => {
        dir = tree(os.tmpdir());
        const run = entry(dir);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.stdout, "MARKER from dist");
        assert.strictEqual(run.stderr, "");
    });

    it("the entry fails in one line when dist/ is stale and there is no TypeScript to rebuild it", () => {
        dir = tree(os.tmpdir());   // outside the checkout: no node_modules/typescript to find
        touch(path.join(dir, "index.ts"));
        const run = entry(dir);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stdout, "", "the stale pack must not have been loaded");
        assert.match(run.stderr, /^aws-mq-guardrails: dist\/ is stale \(index\.ts changed after dist\/ was built\) and TypeScript is not installed to rebuild it: run `npm ci` then `npm run build` in .*\n$/);
    });

    it("the entry rebuilds a stale dist/ with the local TypeScript, saying so in one line on stderr, then loads the new build", () => {
        fs.mkdirSync(path.join(ROOT, "build"), { recursive: true });
        dir = tree(path.join(ROOT, "build"));   // inside the checkout: its TypeScript resolves
        touch(path.join(dir, "policies", "lib", "b.ts"));
        const run = entry(dir);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.stdout, "MARKER from source");
        assert.match(run.stderr, /^aws-mq-guardrails: dist\/ is stale \(policies\/lib\/b\.ts changed after dist\/ was built\); rebuilding it with TypeScript \(npm run build\)\n$/);
        assert.strictEqual(freshness.staleSource(dir), undefined);
    });

    it("the entry fails in one line when the rebuild has a type error, and leaves dist/ stale so the next start fails too", () => {
        fs.mkdirSync(path.join(ROOT, "build"), { recursive: true });
        dir = tree(path.join(ROOT, "build"));
        fs.writeFileSync(path.join(dir, "policies", "lib", "b.ts"), "export const value: string = 42;\n");
        const run = entry(dir);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stdout, "");
        const lines = run.stderr.split("\n").filter(Boolean);
        assert.strictEqual(lines.length, 2, run.stderr);   // "rebuilding", then the failure
        assert.match(lines[1], /^aws-mq-guardrails: dist\/ is stale .* and rebuilding it failed: .*TS2322.* \(run `npm run build` in /);
        assert.match(freshness.staleSource(dir)?.reason ?? "", /b\.ts changed after dist\/ was built/);
    });

    it("prepare does not recompile a current dist/", () => {
        dir = tree(os.tmpdir());
        const before = fs.statSync(path.join(dir, "dist", "index.js")).mtimeMs;
        const run = spawnSync(process.execPath, [path.join(dir, "scripts", "prepare.js")], { cwd: dir, encoding: "utf8", timeout: 30_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /dist\/ is current; not recompiling/);
        assert.strictEqual(fs.statSync(path.join(dir, "dist", "index.js")).mtimeMs, before);
    });

    it("the checkout's main is this entry, while the package name still resolves to the compiled pack", () => {
        assert.strictEqual(rootManifest.main, "scripts/pack-entry.js");
        assert.strictEqual(require.resolve(ROOT), path.join(ROOT, "scripts", "pack-entry.js"));
        assert.strictEqual((rootManifest.exports as Record<string, unknown>)["."], "./dist/index.js");
    });
});
