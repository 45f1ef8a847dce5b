#!/usr/bin/env node
// The aws-mq-guardrails command: flag parsing and output only. The work is in cli/analyze.ts (exported
// stacks), cli/catalogue.ts (describe, validate-config) and engine/ (the engine-faithful pack session).
// Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage.
import * as fs from "node:fs";
import * as path from "node:path";
import { isatty } from "node:tty";
import { parseArgs, ParseArgsConfig } from "node:util";
import { analyze, AnalysisReport, analyzeMany, DEFAULT_CALL_TIMEOUT_SECONDS, isBlocking } from "./analyze";
import { describePack, validateConfigFile } from "./catalogue";
import { isInputError, UsageError } from "./errors";
import { catalogueJson, formatCatalogue, formatConfigCheck, formatTable, formatTables, toJson, toJsonMany } from "./format";
import { toJunit } from "./junit";
import { toMarkdown } from "./markdown";
import { packageVersion } from "./pack";
import { toSarif, toSarifMany } from "./sarif";
import { normalizeSourceRoot } from "./source";
import { errorLine, neutralizeWorkflowCommands, safeJson } from "./text";

const HELP: Record<string, string> = {
    main: `aws-mq-guardrails: Amazon MQ guardrails (a Pulumi policy pack) for exported stacks

Usage:
  aws-mq-guardrails analyze --file <stack.json> [options]   judge an exported stack (or several: --file a.json
                                                            --file b.json, or a folder of exports)
  aws-mq-guardrails describe [--format table|json|markdown] list the policies, their settings, the compliance matrix
  aws-mq-guardrails validate-config <config.json>           check a --policy-pack-config file
  aws-mq-guardrails --help | --version

Run \`aws-mq-guardrails <command> --help\` (or \`aws-mq-guardrails help <command>\`) for a command's options.
Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage.
`,
    analyze: `Usage: aws-mq-guardrails analyze --file <stack.json> [options]

Runs every policy of the pack over the output of \`pulumi stack export\` (with or without
--show-secrets), as \`pulumi preview --policy-pack\` would: each custom resource with its inputs, then
the whole stack with outputs and dependencies. Secret values are never printed.

Options:
  --file <path>                 the exported stack (\`-\` reads standard input)            (required)
                                repeat it, or name a folder (its *.json files), to judge several stacks
                                together: a section per stack, one summary, one exit code (the worst)
  --policy-pack-config <path>   policy config, as for \`pulumi preview --policy-pack-config\`
  --stack-tag <name=value>      a stack tag (repeatable), for advisoryStackTags
  --organization <name>         the organization the stack belongs to (sent to the pack as the engine does)
  --format <format>             table, json, sarif, junit or markdown            (default: table)
  --source-root <dir>           the Pulumi project's folder (Pulumi.yaml) relative to the repository root,
                                for the program paths of source positions        (default: .)
  --max-file-size <MB>          refuse larger exports                            (default: 64)
  --timeout <seconds>           deadline of each call to the pack; past it, exit 2 (default: ${DEFAULT_CALL_TIMEOUT_SECONDS})
  -h, --help                    this help

Values from inside Pulumi secrets are shown as [secret]; control characters in names and values are
shown escaped (\\x1B); long values are cut. SARIF keeps at most 25,000 results (GitHub's limit).
Where the export records a resource's sourcePosition, findings point at the program file and line
(SARIF locations, \`file:line\` in the table, JSON, JUnit and Markdown).

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage.
`,
    describe: `Usage: aws-mq-guardrails describe [--format table|json|markdown]

Lists the pack's policies (severity, default enforcement level, description) and every setting of
their config schema, as the Pulumi engine reads them from the pack. --format markdown prints the
compliance matrix (Security Hub controls, NIST SP 800-53 r5, PCI DSS v4.0.1, AWS Config rules).
`,
    "validate-config": `Usage: aws-mq-guardrails validate-config <config.json>

Checks a policy config file as the Pulumi engine does before it runs the pack (enforcement levels,
"all", each policy's JSON schema) plus each policy's own checks (such as an unsafe regular
expression). Prints OK (exit 0) or the errors (exit 2).
`,
};

/** Each command's options, as node:util parseArgs takes them. */
const OPTIONS = {
    analyze: {
        "file": { type: "string", multiple: true },
        "policy-pack-config": { type: "string" },
        "stack-tag": { type: "string", multiple: true },
        "organization": { type: "string" },
        "format": { type: "string" },
        "max-file-size": { type: "string" },
        "timeout": { type: "string" },
        "source-root": { type: "string" },
        "help": { type: "boolean", short: "h" },
    },
    describe: { "format": { type: "string" }, "help": { type: "boolean", short: "h" } },
    "validate-config": { "help": { type: "boolean", short: "h" } },
} as const satisfies Record<string, ParseArgsConfig["options"]>;

type Command = keyof typeof OPTIONS;

interface Parsed {
    flags: Record<string, string | string[] | boolean | undefined>;
    positional: string[];
}

/** The option a parseArgs error names (`'--file <value>'` -> `--file`). */
function optionIn(message: string): string {
    return /'(?:-[^-' ], )?(-[^' ]*)/.exec(message)?.[1] ?? "an option";
}

function parseFlags(command: Command, args: string[]): Parsed {
    const options = OPTIONS[command];
    let parsed: { values: Record<string, unknown>; positionals: string[]; tokens?: Array<{ kind: string; name?: string }> };
    try {
        parsed = parseArgs({ args, options: options as ParseArgsConfig["options"], strict: true, allowPositionals: true, tokens: true });
    } catch (e) {
        const { code, message } = e as { code?: string; message: string };
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
            throw new UsageError(`unknown option ${optionIn(message)} for ${command}`, command);
        }
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            const option = optionIn(message);
            const spec = (options as Record<string, { type: string }>)[option.replace(/^--/, "")];
            throw new UsageError(spec?.type === "boolean" ? `${option} takes no value` : `${option} needs a value`, command);
        }
        throw new UsageError(message.split("\n")[0], command);
    }
    // parseArgs keeps the last of a repeated option; a repeated single-valued option is a mistake.
    const seen = new Set<string>();
    for (const token of parsed.tokens ?? []) {
        if (token.kind !== "option") {
            continue;
        }
        const name = token.name ?? "";
        const spec = (options as Record<string, { multiple?: boolean }>)[name];
        if (seen.has(name) && !spec?.multiple) {
            throw new UsageError(`--${name} is given twice`, command);
        }
        seen.add(name);
    }
    return { flags: parsed.values as Parsed["flags"], positional: parsed.positionals };
}

function one(parsed: Parsed, name: string): string | undefined {
    const value = parsed.flags[name];
    return typeof value === "string" ? value : undefined;
}

function format(parsed: Parsed, command: Command, allowed: string[]): string {
    const value = one(parsed, "format") ?? "table";
    if (!allowed.includes(value)) {
        throw new UsageError(`--format must be one of ${allowed.join(", ")}, not "${value}"`, command);
    }
    return value;
}

/** A positive number of some unit from a flag, or a usage error. */
function positiveNumber(parsed: Parsed, name: string, unit: string): number | undefined {
    const text = one(parsed, name);
    if (text === undefined) {
        return undefined;
    }
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
        throw new UsageError(`--${name} takes a number of ${unit}, not "${text}"`, "analyze");
    }
    return value;
}

function stackTags(values: string[] = []): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const value of values) {
        const eq = value.indexOf("=");
        if (eq <= 0) {
            throw new UsageError(`--stack-tag takes name=value, not "${value}"`, "analyze");
        }
        tags[value.slice(0, eq)] = value.slice(eq + 1);
    }
    return tags;
}

/** An output stream as the command uses it. */
export type Output = Pick<NodeJS.WriteStream, "write" | "once" | "isTTY" | "columns">;

/** Where the command writes, and whether standard input is a terminal (a test gives its own). */
export interface Io {
    stdout: Output;
    stderr: Output;
    stdinIsTTY: boolean;
}

let io: Io = { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: isatty(0) };

/** A progress line on stderr for long runs, only when stderr is a terminal. */
function progressReporter(): {
    update(done: number, total: number): void; stack(resources: number): void; stacks(done: number, total: number): void; clear(): void;
} {
    const enabled = io.stderr.isTTY === true;
    let last = 0;
    let shown = false;
    return {
        update(done, total) {
            const now = Date.now();
            if (!enabled || total < 200 || (now - last < 100 && done < total)) {
                return;
            }
            last = now;
            shown = true;
            io.stderr.write(`\ranalyzing resources: ${done}/${total}`);
        },
        stack(resources) {
            if (enabled && resources >= 200) {
                shown = true;
                io.stderr.write(`\r\x1b[Kanalyzing the stack as a whole: ${resources} resources`);
            }
        },
        stacks(done, total) {
            if (enabled) {
                shown = true;
                io.stderr.write(`\r\x1b[Kanalyzing stacks: ${done}/${total}`);
            }
        },
        clear() {
            if (shown) {
                io.stderr.write("\r\x1b[K");
            }
        },
    };
}

function write(text: string): Promise<void> {
    return new Promise(resolve => {
        if (io.stdout.write(text)) {
            resolve();
        } else {
            io.stdout.once("drain", () => resolve());
        }
    });
}

/** Whether a path is a file (following links; a dangling link is not). */
function isFile(file: string): boolean {
    try {
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** Most exports judged in one run. */
const MAX_FILES = 1000;

/**
 * The exports to judge: each --file, a folder standing for its `*.json` files (sorted by name, not
 * recursive). `many` when more than one file was given or a folder was, so the output has a section per stack.
 */
function exportFiles(values: string[]): { files: string[]; many: boolean } {
    const files: string[] = [];
    let folder = false;
    for (const value of values) {
        let isDirectory = false;
        try {
            isDirectory = value !== "-" && fs.statSync(value).isDirectory();
        } catch {
            isDirectory = false; // a missing file is reported by the reader, with its usual message
        }
        if (!isDirectory) {
            files.push(value);
            continue;
        }
        folder = true;
        const found = fs.readdirSync(value, { withFileTypes: true })
            .filter(e => /\.json$/i.test(e.name) && (e.isFile() || (e.isSymbolicLink() && isFile(path.join(value, e.name)))))
            .map(e => e.name).sort();
        if (found.length === 0) {
            throw new UsageError(`--file ${value} is a folder without .json files: export stacks into it with ` +
                "`pulumi stack export --file <folder>/<stack>.json`", "analyze");
        }
        files.push(...found.map(name => path.join(value, name)));
    }
    if (files.length > 1 && files.includes("-")) {
        throw new UsageError("--file - (standard input) cannot be combined with other exports", "analyze");
    }
    if (files.length > MAX_FILES) {
        throw new UsageError(`${files.length} exports are more than the ${MAX_FILES} one run judges: split them over several runs`, "analyze");
    }
    const duplicate = files.find((f, i) => files.indexOf(f) !== i);
    if (duplicate !== undefined) {
        throw new UsageError(`--file ${duplicate} is given twice`, "analyze");
    }
    return { files, many: files.length > 1 || folder };
}

async function runAnalyze(args: string[]): Promise<number> {
    const parsed = parseFlags("analyze", args);
    if (parsed.flags.help) {
        await write(HELP.analyze);
        return 0;
    }
    if (parsed.positional.length > 0) {
        throw new UsageError(`unexpected argument "${parsed.positional[0]}" (the stack goes in --file)`, "analyze");
    }
    const fileFlags = (parsed.flags.file as string[] | undefined) ?? [];
    if (fileFlags.length === 0 || fileFlags.some(f => f === "")) {
        throw new UsageError("--file is required: the output of `pulumi stack export --file stack.json`", "analyze");
    }
    const outputFormat = format(parsed, "analyze", ["table", "json", "sarif", "junit", "markdown"]);
    const mb = positiveNumber(parsed, "max-file-size", "megabytes");
    const maxBytes = mb === undefined ? undefined : Math.floor(mb * 1024 * 1024);
    const seconds = positiveNumber(parsed, "timeout", "seconds");
    const tags = stackTags(parsed.flags["stack-tag"] as string[] | undefined);
    const rootFlag = one(parsed, "source-root");
    const sourceRoot = normalizeSourceRoot(rootFlag);
    if (sourceRoot === undefined) {
        throw new UsageError(`--source-root takes a folder relative to the repository root, inside it, not "${rootFlag}"`, "analyze");
    }
    const { files, many } = exportFiles(fileFlags);
    if (files[0] === "-" && io.stdinIsTTY) {
        throw new UsageError("--file - reads standard input, which is a terminal here: pipe an export into it, as in " +
            "`pulumi stack export --show-secrets | aws-mq-guardrails analyze --file -`", "analyze");
    }
    const common = {
        policyConfigFile: one(parsed, "policy-pack-config"),
        stackTags: tags,
        organization: one(parsed, "organization"),
        maxBytes,
        callTimeoutMs: seconds === undefined ? undefined : Math.ceil(seconds * 1000),
        keepText: outputFormat === "sarif",
        sourceRoot,
    };
    const progress = progressReporter();
    let reports: AnalysisReport[];
    try {
        reports = many
            ? await analyzeMany(files, common, undefined, progress.stacks)
            : [await analyze({ ...common, file: files[0], onProgress: progress.update, onStackPhase: progress.stack })];
    } finally {
        progress.clear();
    }
    const version = packageVersion();
    if (outputFormat === "json") {
        await write(safeJson(many ? toJsonMany(reports, version) : toJson(reports[0], version)) + "\n");
    } else if (outputFormat === "sarif") {
        const notes: string[] = [];
        const sarif = many ? toSarifMany(reports, version, notes) : toSarif(reports[0], version, notes);
        for (const note of notes) {
            io.stderr.write(`aws-mq-guardrails: note: ${errorLine(note)}\n`);
        }
        await write(safeJson(sarif) + "\n");
    } else if (outputFormat === "junit") {
        await write(toJunit(reports));
    } else if (outputFormat === "markdown") {
        await write(toMarkdown(reports));
    } else {
        const width = io.stdout.isTTY ? io.stdout.columns ?? 0 : 0;
        await write(many ? formatTables(reports, width) : formatTable(reports[0], width));
    }
    // One exit code: 1 when any stack has a mandatory violation.
    return reports.some(r => r.findings.some(isBlocking)) ? 1 : 0;
}

async function runDescribe(args: string[]): Promise<number> {
    const parsed = parseFlags("describe", args);
    if (parsed.flags.help) {
        await write(HELP.describe);
        return 0;
    }
    if (parsed.positional.length > 0) {
        throw new UsageError(`unexpected argument "${parsed.positional[0]}"`, "describe");
    }
    const outputFormat = format(parsed, "describe", ["table", "json", "markdown"]);
    const info = await describePack();
    if (outputFormat === "markdown") {
        // The compliance matrix (policies/lib/frameworks.ts) for the pack's policies, in the pack's order.
        const { complianceMatrixMarkdown } = await import("../policies/lib/frameworks");
        await write(neutralizeWorkflowCommands(complianceMatrixMarkdown(info.policies)) + "\n");
        return 0;
    }
    await write(outputFormat === "json" ? safeJson(catalogueJson(info)) + "\n" : formatCatalogue(info));
    return 0;
}

async function runValidateConfig(args: string[]): Promise<number> {
    const parsed = parseFlags("validate-config", args);
    if (parsed.flags.help) {
        await write(HELP["validate-config"]);
        return 0;
    }
    if (parsed.positional.length !== 1) {
        throw new UsageError("validate-config takes one file: aws-mq-guardrails validate-config config/prod.json", "validate-config");
    }
    const check = await validateConfigFile(parsed.positional[0]);
    const { out, err } = formatConfigCheck(check);
    if (err) {
        io.stderr.write(err);
    }
    await write(out);
    return check.errors.length > 0 ? 2 : 0;
}

export async function main(argv: string[], streams?: Io): Promise<number> {
    io = streams ?? { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: isatty(0) };
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "help":
                if (rest.length > 0) {
                    if (!(rest[0] in OPTIONS)) {
                        throw new UsageError(`no help for "${rest[0]}": the commands are ${Object.keys(OPTIONS).join(", ")}`);
                    }
                    await write(HELP[rest[0]]);
                    return 0;
                }
                await write(HELP.main);
                return 0;
            case undefined:
            case "--help":
            case "-h":
                await write(HELP.main);
                return command === undefined ? 2 : 0;
            case "--version":
            case "-v":
            case "version":
                await write(`${packageVersion()}\n`);
                return 0;
            case "analyze":
                return await runAnalyze(rest);
            case "describe":
                return await runDescribe(rest);
            case "validate-config":
                return await runValidateConfig(rest);
            default:
                throw new UsageError(`unknown command "${command}"`);
        }
    } catch (e) {
        // Every error is one line, escaped (it may quote a file name or a flag value) and bounded.
        if (e instanceof UsageError) {
            const help = e.command ? `aws-mq-guardrails ${e.command} --help` : "aws-mq-guardrails --help";
            io.stderr.write(`aws-mq-guardrails: ${errorLine(e.message)} (see \`${help}\`)\n`);
            return 2;
        }
        if (isInputError(e)) {
            io.stderr.write(`aws-mq-guardrails: ${errorLine(e.message)}\n`);
            return 2;
        }
        // A bug or a broken install: still one line; the details only on request (they could quote input).
        const detail = process.env.AWS_MQ_GUARDRAILS_DEBUG ? `\n${(e as Error).stack ?? e}` : "";
        io.stderr.write(`aws-mq-guardrails: internal error (${errorLine(String((e as Error)?.name ?? typeof e), 50)}): ` +
            `${errorLine((e as Error)?.message ?? String(e), 300)}; set AWS_MQ_GUARDRAILS_DEBUG=1 for details${detail}\n`);
        return 2;
    }
}

if (require.main === module) {
    // Let stdout drain before exiting (large SARIF through a pipe).
    main(process.argv.slice(2)).then(code => {
        process.exitCode = code;
        // Nothing should hold the event loop after the pack is closed; if something does, do not hang.
        setTimeout(() => process.exit(code), 3000).unref();
    }, () => {
        process.exitCode = 2;
    });
}
