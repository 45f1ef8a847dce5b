// Bad input to `analyze`: every malformed, truncated, empty, huge, missing or foreign file, and every usage
// mistake, gives exit 2 and exactly one clear line on stderr, never a stack trace, never a partial report.
// None of these boot the pack: input is checked first. They run in process (cli/main.ts main, output
// captured); standard input, the size caps and one usage error run the built command, for the process boundary.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { assertOneCleanLine, CliResult, EXAMPLES, runAll, runCli, runMain, scratchDir } from "./support";

describe("aws-mq-guardrails analyze on bad input", function () {
    this.timeout(120_000);
    const scratch = scratchDir();
    const file = (name: string, content: string | Buffer) => {
        const p = path.join(scratch.dir, name);
        fs.writeFileSync(p, content);
        return p;
    };
    const insecure = fs.readFileSync(path.join(EXAMPLES, "insecure-stack.json"), "utf8");
    after(() => scratch.cleanup());

    function expectRejected(result: CliResult, pattern: RegExp) {
        assert.strictEqual(result.code, 2, `exit code; stderr: ${result.stderr}`);
        assert.strictEqual(result.stdout, "", "nothing on stdout");
        const problem = assertOneCleanLine(result.stderr);
        assert.ok(!problem, problem);
        assert.match(result.stderr, /^aws-mq-guardrails: /);
        assert.match(result.stderr, pattern);
    }

    const cases: Array<[string, () => string[], RegExp]> = [
        ["a missing file", () => [path.join(scratch.dir, "missing.json")], /missing\.json does not exist; write it with `pulumi stack export/],
        ["an empty file", () => [file("empty.json", "")], /empty\.json is empty/],
        ["a file of whitespace", () => [file("blank.json", "  \n\t\n")], /blank\.json is empty/],
        ["a truncated export", () => [file("truncated.json", insecure.slice(0, Math.floor(insecure.length * 0.6)))], /truncated/],
        ["a corrupted export", () => [file("corrupt.json", insecure.replace('"resources": [', '"resources": [}'))], /corrupt\.json is not valid JSON at line 15, column 23/],
        ["a package.json", () => [path.join(__dirname, "..", "..", "package.json")], /package\.json is an npm package\.json, not a Pulumi stack export/],
        ["a Pulumi.yaml", () => [file("Pulumi.yaml", "name: messaging\nruntime: nodejs\ndescription: brokers\n")], /Pulumi\.yaml is YAML/],
        ["a version 1 checkpoint", () => [file("v1.json", JSON.stringify({ version: 1, checkpoint: { stack: "prod", latest: { resources: [] } } }))], /version 1 checkpoint/],
        ["a version 2 export", () => [file("v2.json", JSON.stringify({ version: 2, deployment: { resources: [] } }))], /deployment format version 2; export it with Pulumi CLI 3/],
        ["a JSON array", () => [file("array.json", "[1, 2, 3]")], /a JSON array, not a Pulumi stack export/],
        ["a binary file", () => [file("binary.json", Buffer.from([0x7b, 0x00, 0x01, 0x02]))], /binary file/],
        ["a folder without exports", () => { const dir = path.join(scratch.dir, "no-exports"); fs.mkdirSync(dir, { recursive: true }); return [dir]; },
            /no-exports is a folder without \.json files/],
        ["a resource without a URN", () => [file("nourn.json", JSON.stringify({ version: 3, deployment: { resources: [{ type: "aws:mq/broker:Broker" }] } }))], /resource #1 has no valid URN/],
    ];
    const usage: Array<[string, string[], RegExp]> = [
        ["no --file", ["analyze"], /--file is required/],
        ["an unknown option", ["analyze", "--file", "x.json", "--verbose"], /unknown option --verbose for analyze/],
        ["an unknown format", ["analyze", "--file", "x.json", "--format", "xml"], /--format must be one of table, json, sarif, junit, markdown/],
        ["a stack tag without a value", ["analyze", "--file", "x.json", "--stack-tag", "environment"], /--stack-tag takes name=value/],
        ["a flag without its value", ["analyze", "--file"], /--file needs a value/],
        ["a bad size cap", ["analyze", "--file", "x.json", "--max-file-size", "lots"], /--max-file-size takes a number/],
        ["an unknown command", ["scan"], /unknown command "scan"/],
        ["a bad timeout", ["analyze", "--file", "x.json", "--timeout", "0"], /--timeout takes a number of seconds, not "0"/],
        ["a flag given twice", ["analyze", "--file", "x.json", "--format", "json", "--format", "table"], /--format is given twice/],
        ["the same export twice", ["analyze", "--file", "x.json", "--file", "x.json"], /--file x\.json is given twice/],
        ["standard input with another export", ["analyze", "--file", "-", "--file", "x.json"], /--file - \(standard input\) cannot be combined/],
        ["a source root outside the repository", ["analyze", "--file", "x.json", "--source-root", "../elsewhere"], /--source-root takes a folder relative to the repository root, inside it, not "\.\.\/elsewhere"/],
        ["an absolute source root", ["analyze", "--file", "x.json", "--source-root", "/etc"], /--source-root takes a folder/],
        ["a value for -h", ["analyze", "--help=yes"], /--help takes no value/],
        ["help for an unknown command", ["help", "scan"], /no help for "scan": the commands are analyze, describe, validate-config/],
        ["a control character in an argument, shown escaped", ["analyze", "--file", "x.json", "--format", "\u001b[2Jxml"], /not "\\x1B\[2Jxml"/],
    ];
    const stdinCases: Array<[string, string, RegExp]> = [
        ["empty standard input", "", /^aws-mq-guardrails: standard input is empty: pipe a stack export into it, as in `pulumi stack export --show-secrets \| aws-mq-guardrails analyze --file -`$/m],
    ];

    const runs: Record<string, CliResult> = {};
    before(async () => {
        for (const [what, args] of cases) {
            runs[what] = await runMain(["analyze", "--file", ...args()]);
        }
        for (const [what, args] of usage) {
            runs[`usage: ${what}`] = await runMain(args);
        }
        Object.assign(runs, await runAll({
            ...Object.fromEntries(stdinCases.map(([what, stdin]) => [`stdin: ${what}`, { args: ["analyze", "--file", "-"], stdin }])),
            "built: an unknown option": { args: ["analyze", "--file", "x.json", "--verbose"] },
            "built: a truncated export": { args: ["analyze", "--file", file("truncated-built.json", insecure.slice(0, 100))] },
        }, 2));
    });

    it("rejects bad usage and a bad file the same way from the built command (exit 2, one line)", () => {
        expectRejected(runs["built: an unknown option"], /unknown option --verbose for analyze/);
        expectRejected(runs["built: a truncated export"], /truncated/);
    });

    for (const [what, , pattern] of stdinCases) {
        it(`rejects ${what} with a sensible message`, () => expectRejected(runs[`stdin: ${what}`], pattern));
    }

    for (const [what, , pattern] of cases) {
        it(`rejects ${what}`, () => expectRejected(runs[what], pattern));
    }
    for (const [what, , pattern] of usage) {
        it(`rejects ${what} as a usage error`, () => expectRejected(runs[`usage: ${what}`], pattern));
    }

    it("rejects a 100 MB file by its size, before reading it, and a raised cap still reads it bounded", async () => {
        const big = path.join(scratch.dir, "huge.json");
        // 100 MB that starts like a stack export; the rest is a hole of zero bytes (cheap to make, costly to read).
        fs.writeFileSync(big, '{"version": 3, "deployment": {"resources": [');
        fs.truncateSync(big, 100 * 1024 * 1024);
        try {
            expectRejected(await runCli(["analyze", "--file", big]), /huge\.json is 100 MB, over the 64 MB limit for a stack export; .*--max-file-size/);
            expectRejected(await runCli(["analyze", "--file", big, "--max-file-size", "128"]), /huge\.json is a binary file, not a stack export/);
            expectRejected(await runCli(["analyze", "--file", big, "--max-file-size", "50"]), /huge\.json is 100 MB, over the 50 MB limit/);
        } finally {
            fs.rmSync(big, { force: true });
        }
    });

    it("stops reading standard input at the size cap", async () => {
        const result = await runCli(["analyze", "--file", "-", "--max-file-size", "1"], { stdin: Buffer.alloc(3 * 1024 * 1024, 0x20) });
        expectRejected(result, /standard input is more than 1\.0 MB, over the 1\.0 MB limit/);
    });

    it("rejects a policy config file that does not exist", async () => {
        expectRejected(await runMain(["analyze", "--file", "examples/insecure-stack.json", "--policy-pack-config", "config/none.json"]),
            /policy config file config\/none\.json does not exist/);
    });

    it("rejects a policy config file that is not JSON", async () => {
        expectRejected(await runMain(["analyze", "--file", "examples/insecure-stack.json", "--policy-pack-config", file("c.json", "{all: advisory")]),
            /c\.json is not valid JSON/);
    });
});
