// `npm run pack:policy`: stage the policy pack as Pulumi Cloud should install it, in build/policy-pack/.
//
// `pulumi policy publish` uploads `npm pack` of the folder it runs in, and Pulumi Cloud runs a plain `npm install`
// in the extracted tarball (devDependencies included). Published from the repository root, that installs the
// command line's and the tests' dependencies too (@pulumi/aws, TypeScript, mocha, ajv...). The staged folder holds
// only what the pack runs:
//   - the compiled files reachable by require() from dist/index.js (the pack) and dist/library.js (the library
//     entry, `aws-mq-guardrails/library`, for an organization's own pack), with their type declarations; no cli/
//     or engine/ code, no TypeScript sources (so nothing can be stale), no source maps (their sources are not
//     shipped);
//   - PulumiPolicy.yaml, README.md, LICENSE;
//   - a generated package.json whose dependencies are exactly the packages that compiled code requires, derived
//     by scanning it, plus @pulumi/pulumi (whose cmd/run-policy-pack is what launches a pack), each at the root
//     package.json's pinned version. No devDependencies, no scripts (nothing to build at install).
// It fails if the compiled code requires a package that is not in the root package.json `dependencies`, or
// calls require() with anything but a string literal (which no scan could follow).
//
//   node scripts/stage-pack.js [--out <dir>]     (default build/policy-pack; dist/ must be built: npm run build)
"use strict";
const fs = require("fs");
const path = require("path");
const { builtinModules } = require("module");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
/** What the pack and the library entry load; everything staged is reachable from these. */
const ENTRIES = ["index.js", "library.js"];
/** Required without any require() in the pack's code: Pulumi launches a pack through @pulumi/pulumi/cmd/run-policy-pack. */
const LAUNCHER = "@pulumi/pulumi";
const COPIED = ["PulumiPolicy.yaml", "README.md", "LICENSE"];
/** Root package.json fields copied to the staged one as they are. */
const METADATA = ["name", "version", "description", "keywords", "homepage", "bugs", "repository", "author", "license", "engines"];

const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; undefined for a builtin. */
function packageOf(specifier) {
    const bare = specifier.startsWith("node:") ? undefined : specifier;
    if (!bare || BUILTINS.has(bare) || BUILTINS.has(bare.split("/")[0])) {
        return undefined;
    }
    const parts = bare.split("/");
    return bare.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Every require() of a compiled file: the string-literal specifiers, and the non-literal calls (each a reason to
 * fail). A comment or string mentioning "require(" would show up as a non-literal call: the scan is conservative.
 */
function requiresOf(code) {
    const literal = [];
    const dynamic = [];
    const pattern = /(?<![\w$.])require\s*\(\s*(?:"([^"\\\n]+)"|'([^'\\\n]+)')?/g;
    for (const match of code.matchAll(pattern)) {
        const specifier = match[1] ?? match[2];
        if (specifier === undefined) {
            dynamic.push(code.slice(match.index, match.index + 60).split("\n")[0]);
        } else {
            literal.push(specifier);
        }
    }
    return { literal, dynamic };
}

/** Type-level references of a declaration file: `from "x"`, `import("x")`, `/// <reference path>`. */
function declarationImportsOf(code) {
    const found = [];
    for (const match of code.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"\s*\)|^\s*import\s+"([^"]+)"/gm)) {
        found.push(match[1] ?? match[2] ?? match[3]);
    }
    return found;
}

/** Resolves a relative specifier from `fromFile` to a file under dist/ with `extension` (".js" or ".d.ts"). */
function resolveRelative(fromFile, specifier, extension) {
    const base = path.resolve(path.dirname(fromFile), specifier);
    const candidates = extension === ".js"
        ? [base, `${base}.js`, path.join(base, "index.js")]
        : [`${base.replace(/\.js$/, "")}.d.ts`, path.join(base, "index.d.ts")];
    const file = candidates.find(candidate => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    if (!file) {
        throw new Error(`${path.relative(ROOT, fromFile)} requires ${specifier}, which is not in dist/: run \`npm run build\``);
    }
    if (!file.startsWith(DIST + path.sep)) {
        throw new Error(`${path.relative(ROOT, fromFile)} requires ${specifier}, outside dist/`);
    }
    return file;
}

/**
 * The closure of the entries: the compiled files reachable by relative require(), the declaration files reachable
 * from theirs, the packages the compiled files require (runtime) and those only the declarations name (types).
 */
function closure(distDir = DIST) {
    const files = new Set();
    const runtime = new Map();   // package -> first file requiring it
    const types = new Map();
    const problems = [];
    const visit = (file, extension) => {
        if (files.has(file)) {
            return;
        }
        files.add(file);
        const code = fs.readFileSync(file, "utf8");
        const rel = path.relative(ROOT, file);
        const specifiers = extension === ".js" ? requiresOf(code) : { literal: declarationImportsOf(code), dynamic: [] };
        for (const call of specifiers.dynamic) {
            problems.push(`${rel}: require() with a computed argument (${call.trim()}): the staged dependencies could not be derived`);
        }
        for (const specifier of specifiers.literal) {
            if (specifier.startsWith(".")) {
                visit(resolveRelative(file, specifier, extension), extension);
                continue;
            }
            const name = packageOf(specifier);
            const into = extension === ".js" ? runtime : types;
            if (name && !into.has(name)) {
                into.set(name, rel);
            }
        }
        // A compiled file's declarations come with it, so the library entry is typed for a consumer.
        if (extension === ".js") {
            const declaration = file.replace(/\.js$/, ".d.ts");
            if (fs.existsSync(declaration)) {
                visit(declaration, ".d.ts");
            }
        }
    };
    for (const entry of ENTRIES) {
        const file = path.join(distDir, entry);
        if (!fs.existsSync(file)) {
            throw new Error(`dist/${entry} is missing: run \`npm run build\` first`);
        }
        visit(file, ".js");
    }
    return { files: [...files].sort(), runtime, types, problems };
}

/**
 * The staged package.json: the root's metadata, the pack's entry points, and as dependencies exactly the packages
 * the compiled code requires (plus the launcher), at the root's pinned versions. Packages only the declarations
 * name (@pulumi/aws, for the broker property types) are not dependencies: declaring them, even as optional peers,
 * would install them or make npm refuse a consumer's other version of them.
 */
function stagedManifest(rootManifest, found) {
    const problems = [...found.problems];
    const pinned = rootManifest.dependencies ?? {};
    const dependencies = {};
    for (const [name, file] of [...found.runtime, [LAUNCHER, "(the pack launcher, cmd/run-policy-pack)"]]) {
        if (!pinned[name]) {
            const where = rootManifest.devDependencies?.[name] ? "is only in devDependencies" : "is not in dependencies";
            problems.push(`${file} requires ${name}, which ${where} of package.json`);
            continue;
        }
        dependencies[name] = pinned[name];
    }
    if (problems.length > 0) {
        throw new Error(`cannot stage the policy pack:\n  ${problems.join("\n  ")}`);
    }
    const manifest = {};
    for (const field of METADATA) {
        if (rootManifest[field] !== undefined) {
            manifest[field] = rootManifest[field];
        }
    }
    Object.assign(manifest, {
        main: "dist/index.js",
        types: "dist/index.d.ts",
        exports: {
            ".": "./dist/index.js",
            "./library": { types: "./dist/library.d.ts", default: "./dist/library.js" },
            "./package.json": "./package.json",
        },
        typesVersions: { "*": { library: ["dist/library.d.ts"] } },
        files: ["dist/", "PulumiPolicy.yaml"],
        dependencies: sortKeys(dependencies),
    });
    return manifest;
}

function sortKeys(object) {
    return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/** Writes the staged pack to `out` (emptied first, except an installed node_modules/ and its lock file). */
function stage(out = path.join(ROOT, "build", "policy-pack")) {
    const rootManifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const found = closure();
    const manifest = stagedManifest(rootManifest, found);
    fs.mkdirSync(out, { recursive: true });
    for (const entry of fs.readdirSync(out)) {
        if (entry !== "node_modules" && entry !== "package-lock.json") {
            fs.rmSync(path.join(out, entry), { recursive: true, force: true });
        }
    }
    for (const file of found.files) {
        const target = path.join(out, path.relative(ROOT, file));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // The source maps point at TypeScript sources the staged pack does not ship.
        const code = fs.readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
        fs.writeFileSync(target, code);
    }
    for (const name of COPIED) {
        fs.copyFileSync(path.join(ROOT, name), path.join(out, name));
    }
    fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return { out, manifest, files: found.files.map(file => path.relative(DIST, file)) };
}

module.exports = { closure, packageOf, requiresOf, stage, stagedManifest };

if (require.main === module) {
    const args = process.argv.slice(2);
    const at = args.indexOf("--out");
    try {
        // Staging an old build would publish it: dist/ must be newer than every source of the pack and the library.
        const stale = require("./dist-freshness").staleSource(ROOT, ["index.ts", "library.ts", "policies"]);
        if (stale) {
            throw new Error(`dist/ is stale (${stale.reason}): run \`npm run pack:policy\`, which builds it first`);
        }
        const { out, manifest, files } = stage(at >= 0 && args[at + 1] ? path.resolve(args[at + 1]) : undefined);
        const deps = Object.entries(manifest.dependencies).map(([name, version]) => `${name}@${version}`).join(", ");
        console.log(`aws-mq-guardrails: staged the policy pack in ${path.relative(process.cwd(), out) || "."} ` +
            `(${files.filter(f => f.endsWith(".js")).length} compiled files; dependencies: ${deps})`);
    } catch (error) {
        console.error(`aws-mq-guardrails: ${error.message}`);
        process.exit(1);
    }
}
