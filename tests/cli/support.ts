// Runs the built command line (dist/cli/main.js) as a user would, with a timeout, and collects its output.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const CLI = path.join(ROOT, "dist", "cli", "main.js");
export const EXAMPLES = path.join(ROOT, "examples");

export interface CliResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

export function runCli(args: string[], options: { stdin?: string | Buffer; timeoutMs?: number; cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    if (!fs.existsSync(CLI)) {
        throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    }
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
            cwd: options.cwd ?? ROOT,
            env: { ...process.env, AWS_MQ_GUARDRAILS_DEBUG: "", ...options.env },
            stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", d => { stdout += d; });
        child.stderr.setEncoding("utf8").on("data", d => { stderr += d; });
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`aws-mq-guardrails ${args.join(" ")} did not finish within ${options.timeoutMs ?? 45_000} ms`));
        }, options.timeoutMs ?? 45_000);
        child.on("error", reject);
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
        child.stdin.on("error", () => undefined); // the command may exit before reading everything
        child.stdin.end(options.stdin ?? "");
    });
}

export function example(name: string): string {
    return path.join("examples", name);
}

export function readExample(name: string): any {
    return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), "utf8"));
}

/** A scratch directory, removed with everything in it by the returned cleanup. */
export function scratchDir(): { dir: string; cleanup(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-mq-guardrails-cli-"));
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** One line of text, no stack trace. */
export function assertOneCleanLine(text: string): string | undefined {
    const lines = text.split("\n").filter(l => l !== "");
    if (lines.length !== 1) {
        return `expected one line on stderr, got ${lines.length}: ${JSON.stringify(text)}`;
    }
    if (/\n\s+at |\bat .*\.js:\d+|Error: /.test(text) && !/^aws-mq-guardrails: /.test(text)) {
        return `stderr looks like a stack trace: ${JSON.stringify(text)}`;
    }
    if (/^\s+at /m.test(text)) {
        return `stderr has a stack frame: ${JSON.stringify(text)}`;
    }
    return undefined;
}

/** Runs several commands, a few at a time (each may boot the pack), keyed as given. */
export async function runAll(commands: Record<string, { args: string[]; stdin?: string | Buffer }>, concurrency = 2): Promise<Record<string, CliResult>> {
    const entries = Object.entries(commands);
    const results: Record<string, CliResult> = {};
    let next = 0;
    const worker = async () => {
        while (next < entries.length) {
            const [key, { args, stdin }] = entries[next++];
            results[key] = await runCli(args, { stdin, timeoutMs: 60_000 });
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
}

/**
 * Runs the command in this process (cli/main.ts main) with its output captured: the same code as the built
 * command, without starting a Node process. Standard input is not given: cases reading it use runCli.
 */
export async function runMain(args: string[]): Promise<CliResult> {
    const { main } = require("../../cli/main") as typeof import("../../cli/main");
    let stdout = "";
    let stderr = "";
    const stream = (append: (text: string) => void) => ({
        write: (chunk: string | Uint8Array) => {
            append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
            return true;
        },
        once: () => undefined,
        isTTY: false,
        columns: 0,
    }) as unknown as import("../../cli/main").Output;
    const code = await main(args, {
        stdout: stream(t => { stdout += t; }),
        stderr: stream(t => { stderr += t; }),
        stdinIsTTY: false,
    });
    return { code, signal: null, stdout, stderr };
}

/**
 * `validate-config <file>` as cli/main.ts runs it (the same check and the same formatting, exit 2 on an error),
 * with the pack's catalogue given instead of starting the pack for it: `info` from a pack the spec started.
 */
export async function validateConfigRun(file: string, info: import("../../engine/session").AnalyzerInfo): Promise<CliResult> {
    const { validateConfigFile } = require("../../cli/catalogue") as typeof import("../../cli/catalogue");
    const { formatConfigCheck } = require("../../cli/format") as typeof import("../../cli/format");
    const check = await validateConfigFile(file, info);
    const { out, err } = formatConfigCheck(check);
    return { code: check.errors.length > 0 ? 2 : 0, signal: null, stdout: out, stderr: err };
}

/**
 * Starts of the pack shared by the in-process runs of a spec (runMain, analyze, analyzeMany, describePack): while
 * installed, cli/pack.ts's launchPack (what those call) hands out one started pack per policy config and stack
 * tags, and closing it is left to `uninstall`. The policies read only the tags and the config (reports.spec.ts
 * checks that none reads the stack's name, project or organization; analyzeMany shares packs on the same
 * grounds, and reports.spec.ts compares a shared pack's findings with those of a pack started for the stack),
 * so a shared pack judges as a fresh one does. A start without a stack (describe, validate-config: no
 * ConfigureStack, no Configure) is kept apart from one with a stack. `realLaunch` starts a pack of its own.
 */
export class SharedPacks {
    /** Packs actually started while installed. */
    starts = 0;
    private readonly pool = new Map<string, Promise<import("../../engine/session").PackSession>>();
    private readonly module = require("../../cli/pack") as { launchPack: typeof import("../../cli/pack").launchPack };
    readonly realLaunch = this.module.launchPack;

    install(): void {
        const real = this.realLaunch;
        this.module.launchPack = options => {
            const key = JSON.stringify({
                stack: options.stack === undefined ? null : {
                    tags: options.stack.tags ?? {}, dryRun: options.stack.dryRun ?? false,
                    config: options.stack.config ?? {}, secretKeys: options.stack.configSecretKeys ?? [],
                },
                config: options.policyConfig ?? null,
            });
            let started = this.pool.get(key);
            if (!started) {
                this.starts++;
                started = real(options);
                this.pool.set(key, started);
                started.catch(() => this.pool.delete(key)); // a start that failed is not kept (its error goes to the caller)
            }
            return started.then(session => new Proxy(session, {
                get: (target, property) => {
                    if (property === "close") {
                        return () => Promise.resolve();
                    }
                    const value = Reflect.get(target, property, target);
                    return typeof value === "function" ? value.bind(target) : value;
                },
            }));
        };
    }

    async uninstall(): Promise<void> {
        this.module.launchPack = this.realLaunch;
        const started = [...this.pool.values()];
        this.pool.clear();
        await Promise.all(started.map(s => s.then(session => session.close(), () => undefined)));
    }
}
