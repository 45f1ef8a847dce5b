#!/usr/bin/env node
// The aws-mq-guardrails command: flag parsing and output only. The work is in cli/analyze.ts (exported
// stacks), cli/catalogue.ts (describe, validate-config) and engine/ (the engine-faithful pack session).
// Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage.
import { analyze, isBlocking } from "./analyze";
import { describePack, validateConfigFile } from "./catalogue";
import { isInputError, UsageError } from "./errors";
import { catalogueJson, formatCatalogue, formatConfigCheck, formatTable, toJson } from "./format";
import { packageVersion } from "./pack";
import { toSarif } from "./sarif";

const HELP: Record<string, string> = {
    main: `aws-mq-guardrails: Amazon MQ guardrails (a Pulumi policy pack) for exported stacks

Usage:
  aws-mq-guardrails analyze --file <stack.json> [options]   judge an exported stack
  aws-mq-guardrails describe [--format table|json]          list the policies and their settings
  aws-mq-guardrails validate-config <config.json>           check a --policy-pack-config file
  aws-mq-guardrails --help | --version

Run \`aws-mq-guardrails <command> --help\` for a command's options.
Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage.
`,
    analyze: `Usage: aws-mq-guardrails analyze --file <stack.json> [options]

Runs every policy of the pack over the output of \`pulumi stack export\` (with or without
--show-secrets), as \`pulumi preview --policy-pack\` would: each custom resource with its inputs, then
the whole stack with outputs and dependencies. Secret values are never printed.

Options:
  --file <path>                 the exported stack (\`-\` reads standard input)            (required)
  --policy-pack-config <path>   policy config, as for \`pulumi preview --policy-pack-config\`
  --stack-tag <name=value>      a stack tag (repeatable), for advisoryStackTags
  --organization <name>         the organization the stack belongs to            (default: organization)
  --format table|json|sarif     output format                                    (default: table)
  --max-file-size <MB>          refuse larger exports                            (default: 64)

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage.
`,
    describe: `Usage: aws-mq-guardrails describe [--format table|json]

Lists the pack's policies (severity, default enforcement level, description) and every setting of
their config schema, as the Pulumi engine reads them from the pack.
`,
    "validate-config": `Usage: aws-mq-guardrails validate-config <config.json>

Checks a policy config file as the Pulumi engine does before it runs the pack (enforcement levels,
"all", each policy's JSON schema) plus each policy's own checks (such as an unsafe regular
expression). Prints OK (exit 0) or the errors (exit 2).
`,
};

type FlagSpec = Record<string, { repeatable?: boolean; boolean?: boolean }>;

const FLAGS: Record<string, FlagSpec> = {
    analyze: {
        "file": {}, "policy-pack-config": {}, "stack-tag": { repeatable: true }, "organization": {},
        "format": {}, "max-file-size": {}, "help": { boolean: true },
    },
    describe: { "format": {}, "help": { boolean: true } },
    "validate-config": { "help": { boolean: true } },
};

interface Parsed {
    flags: Record<string, string[]>;
    positional: string[];
}

function parseFlags(command: string, args: string[]): Parsed {
    const spec = FLAGS[command];
    const flags: Record<string, string[]> = {};
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--") {
            positional.push(...args.slice(i + 1));
            break;
        }
        if (!arg.startsWith("--") || arg === "-") {
            if (arg.startsWith("-") && arg !== "-") {
                throw new UsageError(`unknown option ${arg}`, command);
            }
            positional.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const name = arg.slice(2, eq < 0 ? undefined : eq);
        const flag = spec[name];
        if (!flag) {
            throw new UsageError(`unknown option --${name} for ${command}`, command);
        }
        let value: string;
        if (flag.boolean) {
            value = "true";
        } else if (eq >= 0) {
            value = arg.slice(eq + 1);
        } else if (i + 1 < args.length) {
            value = args[++i];
        } else {
            throw new UsageError(`--${name} needs a value`, command);
        }
        if (flags[name] && !flag.repeatable) {
            throw new UsageError(`--${name} is given twice`, command);
        }
        (flags[name] = flags[name] ?? []).push(value);
    }
    return { flags, positional };
}

function one(parsed: Parsed, name: string): string | undefined {
    return parsed.flags[name]?.[0];
}

function format(parsed: Parsed, command: string, allowed: string[]): string {
    const value = one(parsed, "format") ?? "table";
    if (!allowed.includes(value)) {
        throw new UsageError(`--format must be one of ${allowed.join(", ")}, not "${value}"`, command);
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

/** A progress line on stderr for long runs, only when stderr is a terminal. */
function progressReporter(): { update(done: number, total: number): void; stack(resources: number): void; clear(): void } {
    const enabled = process.stderr.isTTY === true;
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
            process.stderr.write(`\ranalyzing resources: ${done}/${total}`);
        },
        stack(resources) {
            if (enabled && resources >= 200) {
                shown = true;
                process.stderr.write(`\r\x1b[Kanalyzing the stack as a whole: ${resources} resources`);
            }
        },
        clear() {
            if (shown) {
                process.stderr.write("\r\x1b[K");
            }
        },
    };
}

function write(text: string): Promise<void> {
    return new Promise(resolve => {
        if (process.stdout.write(text)) {
            resolve();
        } else {
            process.stdout.once("drain", () => resolve());
        }
    });
}

async function runAnalyze(args: string[]): Promise<number> {
    const parsed = parseFlags("analyze", args);
    if (one(parsed, "help")) {
        await write(HELP.analyze);
        return 0;
    }
    if (parsed.positional.length > 0) {
        throw new UsageError(`unexpected argument "${parsed.positional[0]}" (the stack goes in --file)`, "analyze");
    }
    const file = one(parsed, "file");
    if (!file) {
        throw new UsageError("--file is required: the output of `pulumi stack export --file stack.json`", "analyze");
    }
    const outputFormat = format(parsed, "analyze", ["table", "json", "sarif"]);
    const maxSize = one(parsed, "max-file-size");
    let maxBytes: number | undefined;
    if (maxSize !== undefined) {
        const mb = Number(maxSize);
        if (!Number.isFinite(mb) || mb <= 0) {
            throw new UsageError(`--max-file-size takes a number of megabytes, not "${maxSize}"`, "analyze");
        }
        maxBytes = Math.floor(mb * 1024 * 1024);
    }
    const organization = one(parsed, "organization") ?? "organization";
    const tags = stackTags(parsed.flags["stack-tag"]);
    const progress = progressReporter();
    let report;
    try {
        report = await analyze({
            file,
            policyConfigFile: one(parsed, "policy-pack-config"),
            stackTags: tags,
            organization,
            maxBytes,
            keepText: outputFormat === "sarif",
            onProgress: progress.update,
            onStackPhase: progress.stack,
        });
    } finally {
        progress.clear();
    }
    const version = packageVersion();
    if (outputFormat === "json") {
        await write(JSON.stringify(toJson(report, version), null, 2) + "\n");
    } else if (outputFormat === "sarif") {
        await write(JSON.stringify(toSarif(report, version), null, 2) + "\n");
    } else {
        await write(formatTable(report, process.stdout.isTTY ? process.stdout.columns ?? 0 : 0));
    }
    return report.findings.some(isBlocking) ? 1 : 0;
}

async function runDescribe(args: string[]): Promise<number> {
    const parsed = parseFlags("describe", args);
    if (one(parsed, "help")) {
        await write(HELP.describe);
        return 0;
    }
    if (parsed.positional.length > 0) {
        throw new UsageError(`unexpected argument "${parsed.positional[0]}"`, "describe");
    }
    const outputFormat = format(parsed, "describe", ["table", "json"]);
    const info = await describePack();
    await write(outputFormat === "json" ? JSON.stringify(catalogueJson(info), null, 2) + "\n" : formatCatalogue(info));
    return 0;
}

async function runValidateConfig(args: string[]): Promise<number> {
    const parsed = parseFlags("validate-config", args);
    if (one(parsed, "help")) {
        await write(HELP["validate-config"]);
        return 0;
    }
    if (parsed.positional.length !== 1) {
        throw new UsageError("validate-config takes one file: aws-mq-guardrails validate-config config/prod.json", "validate-config");
    }
    const check = await validateConfigFile(parsed.positional[0]);
    const { out, err } = formatConfigCheck(check);
    if (err) {
        process.stderr.write(err);
    }
    await write(out);
    return check.errors.length > 0 ? 2 : 0;
}

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case undefined:
            case "help":
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
        if (e instanceof UsageError) {
            const help = e.command ? `aws-mq-guardrails ${e.command} --help` : "aws-mq-guardrails --help";
            process.stderr.write(`aws-mq-guardrails: ${e.message} (see \`${help}\`)\n`);
            return 2;
        }
        if (isInputError(e)) {
            process.stderr.write(`aws-mq-guardrails: ${oneLine(e.message)}\n`);
            return 2;
        }
        // A bug or a broken install: still one line; the details only on request (they could quote input).
        const detail = process.env.AWS_MQ_GUARDRAILS_DEBUG ? `\n${(e as Error).stack ?? e}` : "";
        process.stderr.write(`aws-mq-guardrails: internal error (${(e as Error)?.name ?? typeof e}): ` +
            `${oneLine((e as Error)?.message ?? String(e)).slice(0, 300)}; set AWS_MQ_GUARDRAILS_DEBUG=1 for details${detail}\n`);
        return 2;
    }
}

function oneLine(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").trim();
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
