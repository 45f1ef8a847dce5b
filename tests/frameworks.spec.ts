// The compliance framework mapping (policies/lib/frameworks.ts): every policy has one, every AWS fact in it is
// cited, and AWS's mapping is told from ours.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import {
    complianceMatrixMarkdown,
    CONTROL_PATTERNS,
    controlMatches,
    controlsOf,
    FRAMEWORK_MAPPINGS,
    FrameworkMapping,
    FRAMEWORKS,
    READ_ON,
    SECURITY_HUB_CONTROLS,
    SecurityHubControl,
} from "../policies/lib/frameworks";
import { complianceBlock, END, readmeComplianceBlock, START, withComplianceMatrix } from "../scripts/compliance-matrix";

const names = policies.map(p => p.name);

describe("framework mappings", () => {
    it("every policy of policies/index.ts has a mapping (a new policy without one fails here)", () => {
        const missing = names.filter(name => !Object.prototype.hasOwnProperty.call(FRAMEWORK_MAPPINGS, name));
        assert.deepStrictEqual(missing, [], `add these to FRAMEWORK_MAPPINGS in policies/lib/frameworks.ts: ${missing.join(", ")}`);
    });

    it("no mapping names a policy that does not exist", () => {
        assert.deepStrictEqual(Object.keys(FRAMEWORK_MAPPINGS).filter(name => !names.includes(name)), []);
    });

    it("every Security Hub control is cited on an AWS documentation page, with the day it was read", () => {
        for (const [id, control] of Object.entries(SECURITY_HUB_CONTROLS) as [string, SecurityHubControl][]) {
            assert.match(control.source.url, /^https:\/\/docs\.aws\.amazon\.com\/securityhub\/latest\/userguide\/[a-z0-9-]+-controls\.html#[a-z0-9]+-[0-9]+$/, id);
            assert.ok(control.source.url.endsWith(`#${id.toLowerCase().replace(".", "-")}`), `${id}: the anchor names the control`);
            assert.strictEqual(control.source.read, READ_ON, id);
            assert.match(id, CONTROL_PATTERNS["security-hub"]);
            control.nist80053.forEach(c => assert.match(c, CONTROL_PATTERNS["nist-800-53"], `${id} ${c}`));
            control.pciDss.forEach(c => assert.match(c, CONTROL_PATTERNS["pci-dss"], `${id} ${c}`));
        }
    });

    it("every Security Hub control in the table is used by some policy, and every AWS Config rule is cited", () => {
        const used = new Set(Object.values(FRAMEWORK_MAPPINGS).flatMap(m => m.securityHub));
        assert.deepStrictEqual(Object.keys(SECURITY_HUB_CONTROLS).filter(id => !used.has(id as any)), []);
        for (const [name, mapping] of Object.entries(FRAMEWORK_MAPPINGS)) {
            for (const rule of mapping.awsConfigRules ?? []) {
                assert.strictEqual(rule.source.url, `https://docs.aws.amazon.com/config/latest/developerguide/${rule.name}.html`, name);
                assert.strictEqual(rule.source.read, READ_ON, name);
            }
        }
    });

    it("every Security Hub control and AWS Config rule a policy's tags name is in its mapping", () => {
        for (const policy of policies) {
            const mapping: FrameworkMapping = (FRAMEWORK_MAPPINGS as Readonly<Record<string, FrameworkMapping>>)[policy.name];
            for (const tag of policy.tags ?? []) {
                const hub = /^Security Hub ([A-Za-z0-9]+\.[0-9]+)$/.exec(tag);
                if (hub) {
                    assert.ok((mapping.securityHub as readonly string[]).includes(hub[1]), `${policy.name} is tagged ${tag} but not mapped to it`);
                }
                const rule = /^AWS Config ([a-z0-9-]+)$/.exec(tag);
                if (rule) {
                    assert.ok((mapping.awsConfigRules ?? []).some(r => r.name === rule[1]), `${policy.name} is tagged ${tag} but does not list it`);
                }
            }
        }
    });

    it("our own NIST mapping is only for policies no Security Hub control covers, and always says why", () => {
        for (const [name, mapping] of Object.entries(FRAMEWORK_MAPPINGS)) {
            if (mapping.ourNist !== undefined) {
                assert.deepStrictEqual(mapping.securityHub, [], `${name}: AWS's mapping is the one to use`);
                assert.ok(mapping.ourNist.controls.length > 0 && mapping.ourNist.rationale.length > 20, name);
                mapping.ourNist.controls.forEach(c => assert.match(c, CONTROL_PATTERNS["nist-800-53"], `${name} ${c}`));
            }
        }
    });

    it("a policy's AWS NIST and PCI DSS controls are exactly those AWS lists for its Security Hub controls", () => {
        const logging = controlsOf("mq-broker-logging");
        assert.deepStrictEqual(logging, [
            { framework: "security-hub", control: "MQ.2", mappedBy: "aws" },
            ...["AU-2", "AU-3", "AU-12", "SI-4"].map(control => ({ framework: "nist-800-53", control, mappedBy: "aws" })),
            { framework: "pci-dss", control: "10.3.3", mappedBy: "aws" },
        ]);
        // MQ.5 and MQ.6 list the same requirements: each is reported once.
        const ha = controlsOf("mq-broker-high-availability").filter(c => c.framework === "nist-800-53").map(c => c.control);
        assert.deepStrictEqual(ha, ["CP-10", "CP-6(2)", "SC-36", "SC-5(2)", "SI-13(5)"]);
    });

    it("our mapping is marked as ours, and a policy with no mapping at all has no controls", () => {
        assert.deepStrictEqual(controlsOf("mq-stack-fips-endpoints"), [{ framework: "nist-800-53", control: "SC-13", mappedBy: "ours" }]);
        assert.deepStrictEqual(controlsOf("mq-stack-unique-broker-names"), []);
    });

    it("controlsOf refuses a policy name it has no mapping for, naming the file to extend", () => {
        assert.throws(() => controlsOf("mq-broker-new-policy"), /mq-broker-new-policy has no framework mapping: add it to FRAMEWORK_MAPPINGS/);
        assert.throws(() => controlsOf("__proto__"), /has no framework mapping/);
    });

    it("controlMatches takes a NIST base control's enhancements and a PCI requirement's sub-requirements, nothing wider", () => {
        assert.ok(controlMatches("nist-800-53", "SC-7(4)", "sc-7"));
        assert.ok(!controlMatches("nist-800-53", "SC-7(4)", "SC-7(5)"));
        assert.ok(!controlMatches("nist-800-53", "SC-12", "SC-1"));
        assert.ok(controlMatches("pci-dss", "10.3.3", "10"));
        assert.ok(!controlMatches("pci-dss", "10.3.3", "1"));
        assert.ok(controlMatches("security-hub", "MQ.5", "mq.5"));
        assert.ok(!controlMatches("security-hub", "MQ.5", "MQ"));
    });

    it("every framework is used by at least one policy", () => {
        for (const framework of FRAMEWORKS) {
            assert.ok(names.some(name => controlsOf(name).some(c => c.framework === framework && c.mappedBy === "aws")), framework);
        }
    });
});

describe("complianceMatrixMarkdown", () => {
    it("has one row per policy, in the order given, and lists the sources it used", () => {
        const text = complianceMatrixMarkdown(policies);
        const rows = text.split("\n").filter(line => line.startsWith("| `"));
        assert.deepStrictEqual(rows.map(row => /^\| `([^`]+)`/.exec(row)![1]), names);
        assert.ok(rows.includes("| `mq-broker-logging` | MQ.2 | AU-2, AU-3, AU-12, SI-4 | – | 10.3.3 | `mq-cloudwatch-audit-log-enabled` |"), text);
        assert.match(text, /- \[KMS\.4\] AWS KMS key rotation should be enabled: https:\/\/docs\.aws\.amazon\.com\/securityhub\/latest\/userguide\/kms-controls\.html#kms-4 \(read 2026-12-03\)/);
    });

    it("leaves out the sources of controls no given policy uses", () => {
        const text = complianceMatrixMarkdown(policies.filter(p => p.name === "mq-broker-required-tags"));
        assert.match(text, /\[MQ\.4\]/);
        assert.doesNotMatch(text, /\[MQ\.2\]|\[KMS\.4\]/);
    });

    it("throws for a policy with no mapping instead of printing an empty row", () => {
        assert.throws(() => complianceMatrixMarkdown([{ name: "mq-broker-new-policy" }]), /has no framework mapping/);
    });
});

describe("the README compliance matrix (npm run docs:compliance)", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

    it("is the generated matrix of every policy: run npm run docs:compliance when this fails", () => {
        assert.strictEqual(readmeComplianceBlock(readme), complianceBlock(), "README compliance matrix is stale: run npm run docs:compliance");
    });

    it("a stale block is told apart and rewritten, and everything outside the markers is left as it was", () => {
        const stale = `before\n${START}\n| old | row |\n${END}\nafter $& $1\n`;
        assert.notStrictEqual(readmeComplianceBlock(stale), complianceBlock());
        assert.strictEqual(withComplianceMatrix(stale), `before\n${complianceBlock()}\nafter $& $1\n`);
    });

    it("a README without exactly one pair of markers is refused, not appended to", () => {
        assert.strictEqual(withComplianceMatrix("no markers"), undefined);
        assert.strictEqual(withComplianceMatrix(`${END}\n${START}`), undefined);
        assert.strictEqual(withComplianceMatrix(`${START}\n${END}\n${START}\n${END}`), undefined);
    });
});
