// Harness for the real-CLI suites: the real `pulumi` engine (scripts/pulumi-cli.sh), a local file backend and a
// passphrase, no account, no plugin downloads. The only stand-ins are the aws/random/aws-native provider test
// double (fixtures/provider) and the Node.js language host stand-in (tools/pulumi-cli/language-nodejs).
import { spawnSync, SpawnSyncReturns } from "child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const PROVIDER_DIR = path.join(__dirname, "fixtures", "provider");
export const PASSPHRASE = "aws-mq-guardrails-tests";

/**
 * The folder holding `pulumi` and `pulumi-language-nodejs`: PULUMI_CLI_DIR (set by `npm run test:cli`), else the
 * cached build or a new-enough CLI on PATH, found by scripts/pulumi-cli.sh without building (PULUMI_CLI_NO_BUILD).
 * Undefined when there is none; with REQUIRE_PULUMI_CLI=1 that is an error.
 */
export function cliDir(): string | undefined {
    const fromEnv = process.env.PULUMI_CLI_DIR;
    if (fromEnv && existsSync(path.join(fromEnv, "pulumi"))) {
        return fromEnv;
    }
    return undefined;
}

export function requireCli(ctx: Mocha.Context): string {
    const dir = cliDir();
    if (dir) {
        return dir;
    }
    if (process.env.REQUIRE_PULUMI_CLI === "1") {
        throw new Error("REQUIRE_PULUMI_CLI=1 but no Pulumi CLI: run `npm run test:cli` (it builds one with scripts/pulumi-cli.sh)");
    }
    console.warn("    SKIPPED: no Pulumi CLI (PULUMI_CLI_DIR unset); `npm run test:cli` builds one and runs this suite");
    ctx.skip();
    return "";
}

export interface Workspace {
    home: string;
    env: NodeJS.ProcessEnv;
    cleanup(): void;
}

/** A fresh PULUMI_HOME and file backend; the CLI, the language host and the provider double on PATH. */
export function workspace(cli: string): Workspace {
    const home = mkdtempSync(path.join(tmpdir(), "mq-real-cli-"));
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: [cli, PROVIDER_DIR, process.env.PATH].join(path.delimiter),
        PULUMI_HOME: path.join(home, "pulumi-home"),
        PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        // The provider double resolves @pulumi/pulumi from the pack's own node_modules.
        AWS_DOUBLE_SDK_DIR: ROOT,
        NO_COLOR: "1",
    };
    delete env.PULUMI_ACCESS_TOKEN;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    spawnSync("mkdir", ["-p", path.join(home, "state"), path.join(home, "pulumi-home")]);
    return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

export function pulumi(ws: Workspace, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
    const result: SpawnSyncReturns<string> = spawnSync("pulumi", ["--non-interactive", "--color=never", ...args], {
        cwd: options.cwd ?? ws.home,
        env: { ...ws.env, ...(options.env ?? {}) },
        encoding: "utf8",
        input: options.input,
        maxBuffer: 256 * 1024 * 1024,
        timeout: 10 * 60 * 1000,
    });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Our own CLI, built in dist/. */
export function ours(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist", "cli", "main.js"), ...args], {
        cwd: options.cwd ?? ROOT,
        env: { ...process.env, ...(options.env ?? {}) },
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One violation as both tools can name it. */
export interface Finding {
    policy: string;
    urn: string;
    level: string;
}

export const key = (f: Finding): string => `${f.policy} ${f.level} ${f.urn}`;

/** The policy violations in `pulumi ... --json` output (engine events, one JSON object per line). */
export function engineFindings(stdout: string): Finding[] {
    const findings: Finding[] = [];
    for (const line of stdout.split("\n")) {
        const trimmed = line.trim();
        if (!trimmed.startsWith("{")) {
            continue;
        }
        let event: any;
        try {
            event = JSON.parse(trimmed);
        } catch {
            continue;
        }
        const policy = event.policyEvent;
        if (policy) {
            findings.push({ policy: policy.policyName, urn: policy.resourceUrn ?? "", level: policy.enforcementLevel });
        }
    }
    return findings.sort((a, b) => key(a).localeCompare(key(b)));
}

/** The violations in our `analyze --format json` report. */
export function ourFindings(stdout: string): Finding[] {
    const report = JSON.parse(stdout);
    return (report.violations as any[])
        .map(v => ({ policy: v.policyName, urn: v.urn ?? "", level: v.enforcementLevel }))
        .sort((a, b) => key(a).localeCompare(key(b)));
}

export function writeJson(file: string, value: unknown): string {
    writeFileSync(file, JSON.stringify(value, null, 2));
    return file;
}
