// The pack's process, managed so that none outlives this one: spawned as the engine spawns a Node.js policy pack
// (`node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js <engine-address> <absolute pack dir>`,
// the pack as working directory, the environment of the engine's `constructEnv`), its port read from the first
// stdout line, its stderr kept (bounded), and ended on every path: stop() (SIGTERM, then SIGKILL after a grace
// period), an exit hook for this process, and a watchdog inside the pack for when this process is killed.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { StackIdentity } from "./types";

const STDERR_LIMIT = 64 * 1024;
export const RUN_POLICY_PACK = path.join("node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js");
/**
 * Preloaded into the pack's node: ends the pack when this process is gone. The engine's own plugins outlive a
 * killed CLI; here a test runner killed on a timeout (SIGTERM/SIGKILL, which skip the exit hook below) would leave
 * a gRPC server per pack running forever. Polls the parent pid twice a second, unref'd, so it never keeps the pack
 * alive and touches nothing the pack does.
 */
const ORPHAN_WATCHDOG = "data:text/javascript,const parent=process.ppid;" +
    "setInterval(()=>{if(process.ppid!==parent)process.exit(0)},500).unref();";

// Bookkeeping: whatever happens to the caller, no pack process outlives this one.
const liveProcesses = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
    liveProcesses.add(child);
    child.once("exit", () => liveProcesses.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const p of liveProcesses) {
                try {
                    p.kill("SIGKILL");
                } catch {
                    // Already gone.
                }
            }
        });
    }
}

/** The ids of pack processes this module started that are still running. */
export function livePackPids(): number[] {
    return [...liveProcesses].map(p => p.pid).filter((pid): pid is number => typeof pid === "number");
}

/** The environment the engine's `constructEnv` gives a Node.js policy pack. */
export function packEnvironment(stack: StackIdentity | undefined): Record<string, string> {
    const env: Record<string, string> = {};
    const set = (key: string, value: string | undefined) => {
        if (value) {
            env[key] = value;
        }
    };
    if (stack?.config && Object.keys(stack.config).length > 0) {
        set("PULUMI_CONFIG", JSON.stringify(stack.config));
    }
    if (stack) {
        const dryRun = String(stack.dryRun ?? false);
        set("PULUMI_NODEJS_ORGANIZATION", stack.organization);
        set("PULUMI_NODEJS_PROJECT", stack.project);
        set("PULUMI_NODEJS_STACK", stack.name);
        set("PULUMI_NODEJS_DRY_RUN", dryRun);
        set("PULUMI_ORGANIZATION", stack.organization);
        set("PULUMI_PROJECT", stack.project);
        set("PULUMI_STACK", stack.name);
        set("PULUMI_DRY_RUN", dryRun);
    }
    return env;
}

/**
 * The pack process is gone. The message carries its stderr (bounded) for callers that show it whole;
 * `summary` is the one line without it and `stderr` the text, for a caller that must not print what the pack
 * wrote (it may quote stack values) and keeps it in a log file instead.
 */
export class PackExitError extends Error {
    constructor(readonly summary: string, readonly stderr: string) {
        super(`${summary}${stderr ? `:\n${stderr}` : " (no output on stderr)"}`);
        this.name = "PackExitError";
    }
}

export class PackProcess {
    readonly child: ChildProcess;
    readonly spawnedAt = performance.now();
    private stderrText = "";
    private stdoutRest = "";
    private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    readonly exited: Promise<void>;

    constructor(packDir: string, engineAddress: string, env: Record<string, string>) {
        this.child = spawn(process.execPath, ["--import", ORPHAN_WATCHDOG, path.join(packDir, RUN_POLICY_PACK), engineAddress, packDir], {
            cwd: packDir,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        track(this.child);
        this.child.stderr!.setEncoding("utf8");
        this.child.stderr!.on("data", (chunk: string) => {
            this.stderrText = (this.stderrText + chunk).slice(-STDERR_LIMIT);
        });
        this.exited = new Promise(resolve => {
            this.child.once("exit", (code, signal) => {
                this.exitInfo = { code, signal };
                resolve();
            });
            this.child.once("error", err => {
                this.stderrText += `\n${err.message}`;
                this.exitInfo = this.exitInfo ?? { code: null, signal: null };
                resolve();
            });
        });
    }

    get pid(): number {
        return this.child.pid ?? -1;
    }

    get stderr(): string {
        return this.stderrText.trim();
    }

    get hasExited(): boolean {
        return this.exitInfo !== undefined;
    }

    /** Why the process is gone, with what it wrote to stderr. */
    exitError(context: string): PackExitError {
        const info = this.exitInfo;
        const how = !info ? "is not running" :
            info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
        return new PackExitError(`${context}: the policy pack ${how}`, this.stderr);
    }

    /** The port from the first stdout line, as the engine reads it. */
    readPort(timeoutMs: number): Promise<number> {
        return new Promise((resolve, reject) => {
            const stdout = this.child.stdout!;
            stdout.setEncoding("utf8");
            let settled = false;
            const finish = (err: Error | undefined, port?: number) => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                stdout.removeListener("data", onData);
                // Keep draining stdout so the pack never blocks on a full pipe (the engine logs these lines).
                stdout.on("data", () => undefined);
                if (err) {
                    reject(err);
                } else {
                    resolve(port!);
                }
            };
            const onData = (chunk: string) => {
                this.stdoutRest += chunk;
                const newline = this.stdoutRest.indexOf("\n");
                if (newline < 0) {
                    return;
                }
                const line = this.stdoutRest.slice(0, newline).trim();
                const port = Number(line);
                if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
                    finish(new Error(`could not read the policy pack's port: the first line of its output is ` +
                        `${JSON.stringify(line.slice(0, 200))}, not a port number`));
                } else {
                    finish(undefined, port);
                }
            };
            stdout.on("data", onData);
            const timer = setTimeout(() => finish(new Error(
                `the policy pack did not report its port within ${timeoutMs} ms` +
                (this.stderr ? `:\n${this.stderr}` : ""))), timeoutMs);
            this.exited.then(() => {
                // Let a port line that arrived with the exit be read first.
                setImmediate(() => finish(this.exitError("starting the policy pack")));
            });
        });
    }

    /** Ends the process: SIGTERM, then SIGKILL if it is still there after a grace period. Waits for the exit. */
    async stop(graceMs = 2000): Promise<void> {
        if (this.hasExited || this.child.exitCode !== null || this.child.signalCode !== null) {
            await this.exited;
            return;
        }
        this.child.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        const killed = await Promise.race([
            this.exited.then(() => false),
            new Promise<boolean>(resolve => {
                timer = setTimeout(() => resolve(true), graceMs);
            }),
        ]);
        clearTimeout(timer);
        if (killed) {
            this.child.kill("SIGKILL");
            await this.exited;
        }
    }
}
