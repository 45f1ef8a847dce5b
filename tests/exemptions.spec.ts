// `exemptions` (issue 13 §1): each state through the SDK's handlers (tests/support/runtime.ts), and the pure
// functions of policies/lib/exemptions.ts with "today" chosen by the test.
import * as assert from "assert";
import { mqBrokerAutoMinorVersionUpgrade as policy } from "../policies/mq-broker-auto-minor-version-upgrade";
import { mqStackUniqueBrokerNames as stackPolicy } from "../policies/mq-stack-unique-broker-names";
import { exemptionErrors, exemptionFor, exemptionStatus, parseIsoDate, utcToday } from "../policies/lib/exemptions";
import { compliantActiveMq, withChange } from "./support/fixtures";
import { analyze, analyzeStack, notApplicableReason, remediate } from "./support/runtime";
import { broker } from "./support/stacks";

/** The UTC date `days` from today (the policies judge on the real UTC date). */
function inDays(days: number): string {
    return utcToday(new Date(Date.now() + days * 86_400_000));
}

const failing = () => withChange(compliantActiveMq(), { autoMinorVersionUpgrade: false });
const REASON = "SEC-1234: vendor needs the old setting until the migration";

function exempting(expires: string, resources = ["legacy"], reason: unknown = REASON) {
    return { exemptions: [{ resources, reason, expires }] };
}

describe("exemptions: pure functions", () => {
    it("reads only real calendar dates in the form YYYY-MM-DD", () => {
        assert.strictEqual(parseIsoDate("2027-03-31"), Date.UTC(2027, 2, 31) / 86_400_000);
        for (const bad of ["2027-02-30", "2027-13-01", "27-03-31", "2027-3-31", "2027-03-31T00:00:00Z", " 2027-03-31", 20270331, null]) {
            assert.strictEqual(parseIsoDate(bad), undefined, String(bad));
        }
    });

    it("is valid before the warning window, expiring within it, expired on and after the date", () => {
        const entry = { expires: "2027-03-31" };
        assert.strictEqual(exemptionStatus(entry, "2027-03-16"), "valid");
        assert.strictEqual(exemptionStatus(entry, "2027-03-17"), "expiring");
        assert.strictEqual(exemptionStatus(entry, "2027-03-30"), "expiring");
        assert.strictEqual(exemptionStatus(entry, "2027-03-31"), "expired");
        assert.strictEqual(exemptionStatus(entry, "2028-01-01"), "expired");
        assert.strictEqual(exemptionStatus(entry, "2027-03-01", 30), "expiring");
        assert.strictEqual(exemptionStatus(entry, "2027-03-30", 0), "valid");
    });

    it("rejects a missing or blank reason, a malformed date and an expiry too far out, naming the entry", () => {
        const today = "2026-12-03";
        assert.deepStrictEqual(exemptionErrors([{ resources: ["a"], reason: REASON, expires: "2027-12-03" }], today), []);
        assert.match(exemptionErrors([{ resources: ["a"], expires: "2027-01-01" }], today).join(), /^exemptions\[0\]\.reason is required/);
        assert.match(exemptionErrors([{ resources: ["a"], reason: "  ", expires: "2027-01-01" }], today).join(), /exemptions\[0\]\.reason is required/);
        assert.match(exemptionErrors([{ resources: ["a"], reason: REASON, expires: "2027-02-30" }], today).join(), /exemptions\[0\]\.expires is not a calendar date/);
        assert.match(exemptionErrors([{ resources: ["a"], reason: REASON }], today).join(), /exemptions\[0\]\.expires is required/);
        const far = exemptionErrors([{ resources: ["a"], reason: REASON, expires: "2027-01-01" }, { resources: ["a"], reason: REASON, expires: "2027-12-04" }], today);
        assert.deepStrictEqual(far, ["exemptions[1].expires (2027-12-04) is 366 days away; at most 365 (maximumExemptionDays) after today (2026-12-03)"]);
        assert.deepStrictEqual(exemptionErrors([{ resources: ["a"], reason: REASON, expires: "2027-01-31" }], today, 30),
            ["exemptions[0].expires (2027-01-31) is 59 days away; at most 30 (maximumExemptionDays) after today (2026-12-03)"]);
        assert.match(exemptionErrors([{ resources: [], reason: REASON, expires: "2027-01-01" }], today).join(), /exemptions\[0\]\.resources must be a non-empty list/);
    });

    it("bounds the errors of a huge list and never quotes a reason", () => {
        const secretish = "hunter2-" + "x".repeat(5000);
        const errors = exemptionErrors(Array.from({ length: 10_000 }, () => ({ resources: ["a"], reason: secretish, expires: "nope" })), "2026-12-03");
        assert.strictEqual(errors.length, 6);
        assert.match(errors[5], /and 19995 more exemption errors/);
        assert.ok(!errors.join().includes("hunter2"));
    });

    it("lets the entry in force longest decide when several name the resource", () => {
        const entries = [
            { resources: ["legacy"], reason: "old", expires: "2026-01-01" },
            { resources: ["urn:*::legacy"], reason: "new", expires: "2027-06-01" },
        ];
        assert.strictEqual(exemptionFor(entries, "legacy", "urn:pulumi:prod::p::aws:mq/broker:Broker::legacy", "2026-12-03")?.entry.reason, "new");
        assert.strictEqual(exemptionFor(entries, "other", "urn:pulumi:prod::p::aws:mq/broker:Broker::other", "2026-12-03"), undefined);
    });
});

describe("exemptions: a resource policy through the SDK's handlers", () => {
    it("reports a validly exempted broker as not applicable with the reason, and no violation", async () => {
        const config = exempting(inDays(100));
        assert.deepStrictEqual(await analyze(policy, failing(), { name: "legacy", config }), []);
        assert.strictEqual(await notApplicableReason(policy, failing(), { name: "legacy", config }), `exempted until ${inDays(100)}: ${REASON}`);
    });

    it("matches a URN glob as exclude does, and leaves other brokers judged", async () => {
        const config = exempting(inDays(100), ["urn:pulumi:prod::messaging::*::legacy-*"]);
        assert.deepStrictEqual(await analyze(policy, failing(), { name: "legacy-1", config }), []);
        assert.strictEqual((await analyze(policy, failing(), { name: "orders", config })).length, 1);
    });

    it("adds an advisory notice when the exemption expires within exemptionWarningDays", async () => {
        const violations = await analyze(policy, failing(), { name: "legacy", config: exempting(inDays(5)) });
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, new RegExp(`exemption expires on ${inDays(5)} \\(in 5 days\\): SEC-1234`));
        assert.match(await notApplicableReason(policy, failing(), { name: "legacy", config: exempting(inDays(5)) }) ?? "", /^exempted until/);
        const wider = { ...exempting(inDays(20)), exemptionWarningDays: 30 };
        assert.strictEqual((await analyze(policy, failing(), { name: "legacy", config: wider }))[0].enforcementLevel, "advisory");
        assert.deepStrictEqual(await analyze(policy, failing(), { name: "legacy", config: exempting(inDays(20)) }), []);
    });

    it("brings the violation back at its level on the expiry date, saying the exemption expired", async () => {
        for (const expires of [inDays(0), inDays(-30)]) {
            const violations = await analyze(policy, failing(), { name: "legacy", config: exempting(expires) });
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].enforcementLevel, "mandatory");
            assert.match(violations[0].message, new RegExp(`\\nexemption expired on ${expires}: autoMinorVersionUpgrade is false`));
        }
    });

    it("reports a config error naming the policy and the entry for a missing reason", async () => {
        const violations = await analyze(policy, failing(), { name: "legacy", config: exempting(inDays(10), ["legacy"], "") });
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /The policy config of mq-broker-auto-minor-version-upgrade is invalid: exemptions\[0\]\.reason is required/);
        assert.deepStrictEqual(policy.validateConfig({ exemptions: [{ resources: ["legacy"], expires: inDays(10) }] }).length, 1);
    });

    it("reports a config error for a malformed date and for an expiry too far out", async () => {
        const malformed = await analyze(policy, failing(), { name: "legacy", config: exempting("31/03/2027") });
        assert.match(malformed[0].message, /exemptions\[0\]\.expires is not a calendar date in the form YYYY-MM-DD/);
        const far = await analyze(policy, failing(), { name: "legacy", config: exempting(inDays(400)) });
        assert.match(far[0].message, /exemptions\[0\]\.expires \(\d{4}-\d{2}-\d{2}\) is 400 days away; at most 365/);
        assert.deepStrictEqual(await analyze(policy, failing(), { name: "legacy", config: { ...exempting(inDays(400)), maximumExemptionDays: 500 } }), []);
    });

    it("rejects a reason of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, failing(), { config: exempting(inDays(10), ["legacy"], 42) }),
            /exemptions\.0\.reason: Invalid type\. Expected: string, given: integer/);
    });

    it("does not remediate a broker while it is exempted, and does once the exemption expired", async () => {
        assert.strictEqual(await remediate(policy, failing(), { name: "legacy", enforcementLevel: "remediate", config: exempting(inDays(100)) }), undefined);
        const fixed = await remediate(policy, failing(), { name: "legacy", enforcementLevel: "remediate", config: exempting(inDays(-1)) });
        assert.strictEqual(fixed?.autoMinorVersionUpgrade, true);
    });

    it("keeps exclude working as before, ahead of an expired exemption", async () => {
        const config = { exclude: ["legacy"], ...exempting(inDays(-1)) };
        assert.deepStrictEqual(await analyze(policy, failing(), { name: "legacy", config }), []);
        assert.strictEqual(await notApplicableReason(policy, failing(), { name: "legacy", config }), undefined);
    });
});

describe("exemptions: a stack policy through the SDK's handlers", () => {
    const clash = () => [broker("orders-a", { brokerName: "orders" }), broker("orders-b", { brokerName: "orders" })];

    it("drops the finding on an exempted broker and keeps the other's", async () => {
        const stack = clash();
        const violations = await analyzeStack(stackPolicy, stack, { config: exempting(inDays(100), ["orders-a"]) });
        assert.deepStrictEqual(violations.map(v => v.urn), [stack[1].urn]);
    });

    it("adds the advisory notice on a broker whose exemption is about to expire", async () => {
        const stack = clash();
        const violations = await analyzeStack(stackPolicy, stack, { config: exempting(inDays(3), ["orders-a"]) });
        const notice = violations.find(v => v.urn === stack[0].urn)!;
        assert.strictEqual(notice.enforcementLevel, "advisory");
        assert.match(notice.message, new RegExp(`exemption expires on ${inDays(3)}`));
        assert.deepStrictEqual(violations.filter(v => v.enforcementLevel === "mandatory").map(v => v.urn), [stack[1].urn]);
    });

    it("brings the finding back, saying the exemption expired", async () => {
        const stack = clash();
        const violations = await analyzeStack(stackPolicy, stack, { config: exempting(inDays(-2), ["orders-a"]) });
        assert.strictEqual(violations.length, 2);
        assert.match(violations[0].message, new RegExp(`\\nexemption expired on ${inDays(-2)}: brokerName "orders"`));
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
    });

    it("reports nothing and not-applicable with the reason when every broker is exempted", async () => {
        const violations = await analyzeStack(stackPolicy, clash(), { config: exempting(inDays(100), ["orders-*"]) });
        assert.deepStrictEqual(violations, []);
        // The SDK's notApplicable, called as its server calls it (the harness swallows the reason).
        const resources = clash().map(r => ({ ...r, name: r.urn.slice(r.urn.lastIndexOf("::") + 2), dependencies: [], propertyDependencies: {} }));
        const config = { exemptions: [
            { resources: ["orders-a"], reason: REASON, expires: inDays(100) }, { resources: ["orders-b"], reason: "SEC-2", expires: inDays(50) }] };
        let reason: string | undefined;
        assert.throws(() => stackPolicy.validateStack!({
            resources, stackTags: new Map(), getConfig: () => config,
            notApplicable: (r: string) => { reason = r; throw new Error("not applicable"); },
        } as any, (() => assert.fail("no violation expected")) as any), /not applicable/);
        assert.strictEqual(reason, `all 2 brokers are exempted or excluded; the first exempted until ${inDays(100)}: ${REASON}`);
    });

    it("keeps exclude working as before on a stack policy", async () => {
        const stack = clash();
        const violations = await analyzeStack(stackPolicy, stack, { config: { exclude: ["orders-a"] } });
        assert.deepStrictEqual(violations.map(v => v.urn), [stack[1].urn]);
    });
});

describe("exemptions: hostile reasons", () => {
    it("bounds a long, multi-line reason in the not-applicable reason and the notice", async () => {
        const reason = "SEC-7\n\n" + "r".repeat(999 - 7);
        const na = await notApplicableReason(policy, failing(), { name: "legacy", config: exempting(inDays(100), ["legacy"], reason) });
        assert.ok(na!.length < 300, String(na?.length));
        assert.match(na!, /^exempted until \d{4}-\d{2}-\d{2}: SEC-7 r+… \(998 characters\)$/);
        const [notice] = await analyze(policy, failing(), { name: "legacy", config: exempting(inDays(2), ["legacy"], reason) });
        assert.ok(notice.message.length < 1000);
    });

    it("refuses a reason over 1000 characters", () => {
        assert.match(policy.validateConfig(exempting(inDays(10), ["legacy"], "x".repeat(1001))).join(), /exemptions\[0\]\.reason is 1001 characters; at most 1000/);
    });
});
