// The CI recipes in docs/ci (issue 13 §3): they parse as YAML, every aws-mq-guardrails command, flag and format
// they use is one the built command line documents in its help, every path of this repository they name exists,
// and the command is installed from a folder, never looked up by name in a registry.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "dist", "cli", "main.js");
const RECIPES = ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"];

function help(...args: string[]): string {
    assert.ok(fs.existsSync(CLI), "dist/cli/main.js is missing: npm run build");
    const run = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    assert.strictEqual(run.status, 0, `${args.join(" ")}: ${run.stderr}`);
    return run.stdout;
}

/** Every shell command of a recipe: GitHub `run` steps, GitLab `before_script`/`script`/`after_script` lines. */
function shellOf(recipe: unknown): string[] {
    const found: string[] = [];
    const walk = (node: unknown, key?: string): void => {
        if (Array.isArray(node)) {
            node.forEach(item => (["script", "before_script", "after_script"].includes(key ?? "") && typeof item === "string" ? found.push(item) : walk(item)));
        } else if (node !== null && typeof node === "object") {
            for (const [k, v] of Object.entries(node)) {
                if (k === "run" && typeof v === "string") {
                    found.push(v);
                } else {
                    walk(v, k);
                }
            }
        }
    };
    walk(recipe);
    return found;
}

interface Invocation { command: string; args: string[]; text: string }

/** The aws-mq-guardrails invocations in some shell text: the subcommand and its words, up to a redirect, pipe or list operator. */
export function invocationsIn(shell: string): Invocation[] {
    const joined = shell.replace(/\\\r?\n/g, " ");
    const result: Invocation[] = [];
    for (const match of joined.matchAll(/(?:^|[\s;&|(])aws-mq-guardrails[ \t]+([^\n;&|>]*)/g)) {
        const words = (match[1].match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map(w => w.replace(/^["']|["']$/g, ""));
        result.push({ command: words[0] ?? "", args: words.slice(1), text: match[0].trim().replace(/\s+/g, " ") });
    }
    return result;
}

const load = (file: string): any => yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8"));

describe("CI recipes (docs/ci)", function () {
    this.timeout(60_000);

    for (const file of RECIPES) {
        describe(file, () => {
            it("parses as YAML into a mapping", () => {
                const recipe = load(file);
                assert.ok(recipe !== null && typeof recipe === "object" && !Array.isArray(recipe));
            });

            it("runs aws-mq-guardrails analyze, and uses only the commands, flags and formats its help documents", () => {
                const mainHelp = help("help");
                const invocations = shellOf(load(file)).flatMap(invocationsIn);
                assert.ok(invocations.some(i => i.command === "analyze"), "no aws-mq-guardrails analyze");
                for (const { command, args, text } of invocations) {
                    assert.match(mainHelp, new RegExp(`aws-mq-guardrails ${command}\\b`), `${text}: no command ${command}`);
                    const commandHelp = help(command, "--help");
                    args.forEach((arg, i) => {
                        if (!arg.startsWith("-")) {
                            return;
                        }
                        const flag = arg.split("=")[0];
                        const line = commandHelp.split("\n").find(l => new RegExp(`^\\s*(-\\w, )?${flag}\\b`).test(l));
                        assert.ok(line, `${text}: ${command} has no flag ${flag}`);
                        if (flag === "--format") {
                            const value = arg.includes("=") ? arg.split("=")[1] : args[i + 1];
                            assert.match(line!, new RegExp(`\\b${value}\\b`), `${text}: --format ${value} is not one of the formats in: ${line}`);
                        }
                    });
                    for (const required of commandHelp.split("\n").filter(l => /\(required\)\s*$/.test(l))) {
                        const flag = /--[a-z-]+/.exec(required)![0];
                        assert.ok(args.includes(flag), `${text}: misses ${flag}, which ${command} requires`);
                    }
                }
            });

            it("names only paths that exist in this repository (config files, the pack folder)", () => {
                const text = fs.readFileSync(path.join(ROOT, file), "utf8");
                const paths = [...text.matchAll(/(?<![\w./-])((?:config|examples|docs|scripts|policies|dist|tests)\/[\w.-]+(?:\/[\w.-]+)*)/g)].map(m => m[1]);
                assert.ok(paths.includes("config/dev.json") && paths.includes("config/prod.json"), `${file} does not use both config/dev.json and config/prod.json`);
                for (const p of paths) {
                    assert.ok(fs.existsSync(path.join(ROOT, p)), `${file} names ${p}, which does not exist`);
                }
                // The pack is the checkout folder: it must hold what `--policy-pack` loads.
                assert.match(text, /--policy-pack \.guardrails\b/);
                ["PulumiPolicy.yaml", "package.json"].forEach(f => assert.ok(fs.existsSync(path.join(ROOT, f)), f));
            });

            it("installs the command from a folder and never asks a registry for it by name", () => {
                const shell = shellOf(load(file)).join("\n");
                assert.doesNotMatch(shell, /\bnpx\b/);
                assert.doesNotMatch(shell, /npm (install|i|exec)\b[^\n]*(?<![\w./-])aws-mq-guardrails(?![\w.-]*\.tgz)/);
                assert.match(shell, /npm install -g \.\/\.guardrails\b/);
            });

            it("previews with the dev config on the dev stack and the prod config on the prod stack", () => {
                const text = fs.readFileSync(path.join(ROOT, file), "utf8");
                const shell = shellOf(load(file)).join("\n");
                assert.match(shell, /pulumi preview[^\n]*--stack "[^"]+"[^\n]*--policy-pack \.guardrails --policy-pack-config "\.guardrails\/[^"]+"/);
                assert.match(text, /stack: dev\s+(policy-config|POLICY_CONFIG): config\/dev\.json/i);
                assert.match(text, /stack: prod\s+(policy-config|POLICY_CONFIG): config\/prod\.json/i);
            });
        });
    }

    it("GitHub: runs on pull requests and uploads the SARIF file analyze writes with github/codeql-action/upload-sarif", () => {
        const recipe = load("docs/ci/github-actions.yml");
        assert.ok("pull_request" in recipe.on);
        const steps: any[] = Object.values(recipe.jobs).flatMap((job: any) => job.steps);
        const upload = steps.find(s => typeof s.uses === "string" && s.uses.startsWith("github/codeql-action/upload-sarif@"));
        assert.ok(upload, "no upload-sarif step");
        const analyze = steps.map(s => s.run ?? "").join("\n");
        assert.match(analyze, new RegExp(`--format sarif > ${upload.with.sarif_file.replace(".", "\\.")}`));
        assert.strictEqual(recipe.permissions["security-events"], "write");
    });

    it("GitLab: runs on merge requests and keeps the SARIF and JSON reports as artifacts, even when the job fails", () => {
        const recipe = load("docs/ci/gitlab-ci.yml");
        const template = recipe[".aws-mq-guardrails"];
        assert.deepStrictEqual(template.rules, [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
        assert.strictEqual(template.artifacts.when, "always");
        const script = template.script.join("\n");
        for (const artifact of template.artifacts.paths) {
            assert.match(script, new RegExp(`> ${artifact.replace(".", "\\.")}`), artifact);
        }
        assert.deepStrictEqual(["guardrails:dev", "guardrails:prod"].map(job => recipe[job].extends), [".aws-mq-guardrails", ".aws-mq-guardrails"]);
    });

    describe("invocationsIn (what the checks above read)", () => {
        it("finds a command with its flags, across a line continuation and up to a redirect", () => {
            assert.deepStrictEqual(invocationsIn("aws-mq-guardrails analyze \\\n  --file s.json --format sarif > out.sarif || true"),
                [{ command: "analyze", args: ["--file", "s.json", "--format", "sarif"], text: "aws-mq-guardrails analyze --file s.json --format sarif" }]);
        });

        it("does not take a repository or folder name for an invocation", () => {
            assert.deepStrictEqual(invocationsIn("git clone https://example.com/x/aws-mq-guardrails.git .guardrails\nrepository: org/aws-mq-guardrails"), []);
        });
    });
});
