// A policy config file is read with hostile input in mind: a secrets file passed by mistake, a file that is not
// JSON, a value nested a million levels deep. Every error names the file, where (line and column) and what was
// expected, and never quotes the file's content.
import * as assert from "assert";
import { ENFORCEMENT_LEVELS, MAX_CONFIG_DEPTH, parsePolicyPackConfig, PolicyConfigError } from "../../engine/config";

const SECRET = "hunter2-Zq8mWv3nRt6y";

/** The error parsePolicyPackConfig throws for a text, checked to be a PolicyConfigError that never quotes the secret. */
function errorFor(text: string, source = "secrets.json"): PolicyConfigError {
    try {
        parsePolicyPackConfig(text, source);
    } catch (e) {
        assert.ok(e instanceof PolicyConfigError, `threw ${String(e)}`);
        assert.ok(!e.message.includes(SECRET), `the message quotes the file's content: ${e.message}`);
        assert.ok(!e.message.includes("hunter2"), `the message quotes part of the file's content: ${e.message}`);
        for (const detail of e.details) {
            assert.ok(!detail.includes("hunter2"), `a detail quotes the file's content: ${detail}`);
        }
        assert.ok(e.message.length <= 1000, `the message is bounded (${e.message.length} characters)`);
        return e;
    }
    assert.fail("the text was accepted");
}

describe("policy config files (engine/config.ts)", () => {
    describe("a file that is not valid JSON", () => {
        it("names the file, the line and the column, and never quotes the text (V8's message does)", () => {
            const e = errorFor(`{\n  "db": { "password": ${SECRET} }\n}\n`);
            assert.match(e.message, /^secrets\.json is not valid JSON at line 2, column 23;/);
            assert.match(e.message, /expected/);
        });

        it("says the file ends early, without quoting it", () => {
            const e = errorFor(`{"db": {"password": "${SECRET}"`);
            assert.match(e.message, /^secrets\.json is not valid JSON: it ends early/);
        });

        it("does not quote a secret made of a bad escape sequence", () => {
            const e = errorFor(`{"password": "hunter2\\q${SECRET}"}`);
            assert.match(e.message, /line 1, column 22/);
        });
    });

    describe("an entry that is not a valid enforcement level", () => {
        it("gives the line and column of the value and the accepted levels, not the value (a secrets file)", () => {
            const e = errorFor(`{\n  "password": "${SECRET}"\n}`);
            assert.match(e.message, /^secrets\.json, line 2, column 15: the value of "password" is not a valid enforcement level/);
            assert.ok(e.message.includes(ENFORCEMENT_LEVELS.join(", ")), e.message);
        });

        it("does not quote an enforcementLevel set inside an object", () => {
            const e = errorFor(`{"mq-broker-logging": {"enforcementLevel": "${SECRET}"}}`);
            assert.match(e.message, /line 1, column 44: the enforcementLevel of "mq-broker-logging" is not a valid enforcement level/);
        });

        it("does not quote an enforcementLevel that is not a string", () => {
            const e = errorFor(`{"mq-broker-logging": {"enforcementLevel": ["${SECRET}"]}}`);
            assert.match(e.message, /is not a valid enforcement level/);
        });

        it("does not quote a key that cannot be a policy name (it may be a secret too)", () => {
            const e = errorFor(`{"${SECRET} with spaces!": "x"}`);
            assert.match(e.message, /line 1, column 39: the value of entry #1 is not a valid enforcement level/);
            assert.ok(!e.message.includes("with spaces"), e.message);
        });
    });

    describe("an entry that is neither a level nor an object", () => {
        it("names the JSON type it got, never the value", () => {
            const e = errorFor(`{"token": ["${SECRET}"]}`);
            assert.match(e.message, /line 1, column 11: the value of "token" is an array; expected an enforcement level or an object/);
            const n = errorFor(`{"pin": 1234567890}`);
            assert.ok(!n.message.includes("1234567890"), n.message);
            assert.match(n.message, /is a number/);
        });
    });

    describe("a deeply nested value", () => {
        it(`is refused as too deeply nested (over ${MAX_CONFIG_DEPTH} levels), with the policy and the place`, () => {
            const n = 100_000;
            const e = errorFor(`{"mq-broker-required-tags": {"requiredTags": ${"[".repeat(n)}${"]".repeat(n)}}}`);
            assert.match(e.message, /^secrets\.json, line 1, column \d+: the settings of "mq-broker-required-tags" are too deeply nested/);
            assert.match(e.message, new RegExp(`more than ${MAX_CONFIG_DEPTH} levels`));
        });

        it("is refused in an object nested level by level too", () => {
            const n = MAX_CONFIG_DEPTH + 1;
            const e = errorFor(`{"mq-broker-logging": ${"{\"a\":".repeat(n)}1${"}".repeat(n)}}`);
            assert.match(e.message, /too deeply nested/);
        });

        it("accepts the nesting real settings use", () => {
            const config = parsePolicyPackConfig(JSON.stringify({
                "mq-broker-no-public-access": { enforcementLevel: "mandatory", advisoryStackTags: { environment: ["dev", "test"] } },
                "mq-broker-required-tags": { requiredTags: [{ key: "team", values: [["a"]] }] },
            }));
            assert.deepStrictEqual(config["mq-broker-no-public-access"].properties, { advisoryStackTags: { environment: ["dev", "test"] } });
        });
    });

    it("still reads a valid file as before", () => {
        assert.deepStrictEqual(parsePolicyPackConfig(`{"all": "mandatory", "mq-broker-logging": {"enforcementLevel": "disabled"}}`), {
            "all": { enforcementLevel: "mandatory" },
            "mq-broker-logging": { enforcementLevel: "disabled" },
        });
    });
});
