// What the command prints from a hostile stack: no value from inside a secret, no control character or
// workflow command from user data, bounded echoes, SARIF text that renders as text. One pack run on a hostile
// export (in process, as `analyze` runs it; hostile.ts hostileReport, the run reports.spec.ts formats too), then
// every format from that one report.
import * as assert from "assert";
import type { AnalysisReport } from "../../cli/analyze";
import { formatTable, toJson } from "../../cli/format";
import { SecretRedactor } from "../../cli/redact";
import { toSarif } from "../../cli/sarif";
import { safeJson, terminalText } from "../../cli/text";
import { hostileReport, MARKDOWN_ATTACK, RAW_CONTROL, SECRET_VALUES, TERMINAL_ATTACK } from "./hostile";

function outputs(report: AnalysisReport): Record<string, string> {
    return {
        table: formatTable(report),
        wideTable: formatTable(report, 100),
        json: safeJson(toJson(report, "0.0.0")),
        sarif: safeJson(toSarif(report, "0.0.0")),
    };
}

describe("aws-mq-guardrails analyze on a hostile stack", function () {
    this.timeout(120_000);
    let report: AnalysisReport;
    let printed: Record<string, string>;

    before(async () => {
        report = await hostileReport();
        // A 10 MB storageType, as a policy that echoes it whole would report it (formatting is what is tested here;
        // the policies' own bounds are tested with the policies).
        const durable = report.findings.find(f => f.policyName === "mq-broker-durable-storage")!;
        report.findings.push({ ...durable, message: `storageType is ebs${"e".repeat(10 * 1024 * 1024)} on a single-instance broker` });
        printed = outputs(report);
    });

    it("finds what the hostile brokers break (so the checks below look at real messages)", () => {
        const policies = new Set(report.findings.map(f => f.policyName));
        for (const name of ["mq-stack-unique-broker-names", "mq-broker-durable-storage", "mq-broker-user-credentials",
            "mq-broker-engine-version", "mq-broker-kms-encryption"]) {
            assert.ok(policies.has(name), `${name} reports a hostile broker`);
        }
    });

    it("prints no value that came from inside a secret, in any format: brokerName, storageType, username, engineVersion, kmsKeyId, tag", () => {
        for (const [format, text] of Object.entries(printed)) {
            for (const [what, value] of Object.entries(SECRET_VALUES)) {
                assert.ok(!text.toLowerCase().includes(value.toLowerCase()), `${format} prints the secret ${what}`);
            }
            assert.ok(text.includes(format === "sarif" ? "\\\\[secret\\\\]" : "[secret]"), `${format} marks where a secret was`);
        }
    });

    it("writes no control character, separator or bidi control from user data to the table", () => {
        for (const format of ["table", "wideTable"]) {
            const match = RAW_CONTROL.exec(printed[format]);
            assert.ok(!match, `${format} writes U+${match?.[0].charCodeAt(0).toString(16)} raw`);
        }
        assert.ok(printed.table.includes("\\x1B]0;pwned\\x07"), "the escape sequence is shown escaped");
        assert.ok(printed.table.includes("\\u202E"), "the bidi override is shown escaped");
    });

    it("never starts a line with a GitHub workflow command (after leading spaces) in any format", () => {
        for (const [format, text] of Object.entries(printed)) {
            const line = text.split("\n").find(l => /^\s*(::|##\[)/.test(l));
            assert.ok(line === undefined, `${format} prints ${JSON.stringify(line)}`);
        }
    });

    it("writes JSON and SARIF with those characters escaped, and the data intact", () => {
        for (const format of ["json", "sarif"]) {
            assert.ok(!RAW_CONTROL.test(printed[format].replace(/\n/g, "")), `${format} writes a control character raw`);
            assert.doesNotThrow(() => JSON.parse(printed[format]));
        }
        const json = JSON.parse(printed.json);
        assert.ok(json.violations.some((v: any) => v.message.includes(`ebs${TERMINAL_ATTACK}`.slice(0, 20))), "JSON keeps the value");
    });

    it("escapes markdown links and HTML from user values in SARIF message.text", () => {
        const sarif = JSON.parse(printed.sarif);
        const texts: string[] = sarif.runs[0].results.map((r: any) => r.message.text);
        const attack = texts.find(t => t.includes("click me"));
        assert.ok(attack, "a result quotes the crafted username");
        assert.ok(!attack!.includes(MARKDOWN_ATTACK), "the link is not written as markdown");
        assert.ok(attack!.includes("\\[click me\\](https://evil.example/x)\\<img src=x onerror=alert(1)\\>"), attack);
    });

    it("bounds the echo of a 10 MB value in every format", () => {
        for (const [format, text] of Object.entries(printed)) {
            assert.ok(text.length < 200_000, `${format} is ${text.length} characters`);
            assert.match(text, /e{100}…\s+\(\d{8}\s+characters\)/, `${format} says how long the value was`);
        }
    });
});

describe("cli/redact: replacing secret values in messages", () => {
    const redactor = (...values: string[]) => {
        const r = new SecretRedactor();
        values.forEach(v => r.add(v));
        return r;
    };

    it("replaces a secret anywhere, whatever its case", () => {
        assert.strictEqual(redactor("Hush-Name-1").redact("brokerName \"hush-name-1\" is also used by HUSH-NAME-12"),
            "brokerName \"[secret]\" is also used by [secret]2");
    });

    it("replaces a secret of fewer than 8 characters only as a whole token", () => {
        const r = redactor("a", "mq", "short");
        assert.strictEqual(r.redact("users[0] (mq) has a password; mq.m5.large"), "users[0] ([secret]) has [secret] password; [secret].m5.large");
        assert.strictEqual(r.redact("amqp broker: password is shorter than 12"), "amqp broker: password is shorter than 12");
        assert.strictEqual(r.redact("username \"short\" is short-lived"), "username \"[secret]\" is [secret]-lived");
    });

    it("replaces a long secret cut by a policy's bound, and the length after the cut", () => {
        const secret = "s".repeat(50) + "t".repeat(100);
        const message = `storageType is ${secret.slice(0, 80)}… (150 characters); set efs`;
        assert.strictEqual(redactor(secret).redact(message), "storageType is [secret]; set efs");
    });
});

describe("cli/text: safe terminal text", () => {
    it("escapes control characters and never cuts an escape or a surrogate pair", () => {
        const value = `a\u001b[31m😀b\u202e${"😀".repeat(20)}`;
        for (let max = 1; max < 60; max++) {
            const text = terminalText(value, max);
            const shown = text.replace(/… \(\d+ characters\)$/, "");
            assert.ok(!RAW_CONTROL.test(text), text);
            assert.ok(!/[\ud800-\udbff]$/.test(shown) && !/^[\udc00-\udfff]/.test(shown), `max ${max} cuts a surrogate pair`);
            assert.ok(!/\\(x[0-9A-F]?|u[0-9A-F]{0,3})$/.test(shown), `max ${max} cuts an escape: ${shown}`);
            assert.ok(shown.length <= max, `max ${max}: ${shown.length}`);
        }
    });

    it("keeps line breaks in messages only when asked", () => {
        assert.strictEqual(terminalText("a\nb\rc", 100, { multiline: true }), "a\nb\\x0Dc");
        assert.strictEqual(terminalText("a\nb", 100), "a\\x0Ab");
    });
});
