// Hostile stack exports for the CLI specs: secret values a policy would quote, control characters and
// workflow commands in names and values, markdown and HTML in usernames, a 10 MB value.
import { SECRET_SIG, SIG_KEY } from "../../engine/properties";

export const STACK = "prod";
export const PROJECT = "messaging";
export const ROOT_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
export const PROVIDER = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`;
export const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;

/** A `pulumi stack export --show-secrets` secret. */
export const plaintext = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) });

/** The values kept in secrets below; none may be printed. */
export const SECRET_VALUES = {
    brokerName: "hush-broker-name-7781",
    storageType: "ebs-hush-storage",
    username: "hush-user-0042",
    engineVersion: "5.15",
    kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/hush-1234-5678",
    tag: "hush-cost-centre-99",
};

/** What a crafted stack writes to fool a terminal or a CI log. */
export const TERMINAL_ATTACK = "\u001b]0;pwned\u0007\u001b[2J\rPASS: 0 violations\n::add-mask::x\n##[error]fake\u202egnp.exe\u2028\u009b31m";
/** What a crafted username writes to fool a markdown or HTML renderer. */
export const MARKDOWN_ATTACK = "[click me](https://evil.example/x)<img src=x onerror=alert(1)>";

export function broker(name: string, inputs: Record<string, unknown>, resourceName = name): Record<string, unknown> {
    const base = {
        brokerName: name,
        engineType: "ActiveMQ",
        engineVersion: "5.18",
        hostInstanceType: "mq.m5.large",
        deploymentMode: "SINGLE_INSTANCE",
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/0f7d5d5e-1111-4222-a333-444455556666" },
        logs: { general: true, audit: true },
        users: [{ username: "orders-app", password: "x" }],
        tags: { team: "payments" },
        subnetIds: ["subnet-0d1e2f3a4b5c6d7e8"],
        securityGroups: ["sg-0bca8da9de828dca7"],
        ...inputs,
    };
    const outputs = Object.fromEntries(Object.entries(base));
    return {
        urn: urn("aws:mq/broker:Broker", resourceName), custom: true, id: `b-${resourceName.length}`, type: "aws:mq/broker:Broker",
        inputs: { __defaults: [], ...base }, outputs, parent: ROOT_URN,
        provider: `${PROVIDER}::005db20e-2a13-4fc8-a95a-7761dfa5aff9`,
    };
}

export function exportOf(resources: Array<Record<string, unknown>>): Record<string, unknown> {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-12-03T09:45:02.000000Z", magic: "", version: "v3.248.0" },
            resources: [
                { urn: ROOT_URN, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
                {
                    urn: PROVIDER, custom: true, id: "005db20e-2a13-4fc8-a95a-7761dfa5aff9", type: "pulumi:providers:aws",
                    inputs: { region: "us-east-1", version: "7.48.0" }, outputs: { region: "us-east-1", version: "7.48.0" },
                },
                ...resources,
            ],
        },
    };
}

/**
 * Brokers whose findings quote secret values (a secret brokerName shared by two brokers, a secret storageType,
 * users list, engineVersion, kmsKeyId and tag value) and brokers whose names and values attack the output.
 */
export function hostileExport(options: { hugeValue?: boolean } = {}): Record<string, unknown> {
    const s = SECRET_VALUES;
    return exportOf([
        broker("a", {
            brokerName: plaintext(s.brokerName),
            storageType: plaintext(s.storageType),
            users: plaintext([{ username: s.username, password: "short" }]),
            engineVersion: plaintext(s.engineVersion),
            encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: plaintext(s.kmsKeyId) },
            tags: { team: "payments", costCentre: plaintext(s.tag), owner: plaintext(`${s.tag}@example.com`) },
        }, "secret-a"),
        broker("b", { brokerName: plaintext(s.brokerName) }, "secret-b"),
        broker(`evil${TERMINAL_ATTACK}`, {
            storageType: `ebs${TERMINAL_ATTACK}`,
            users: [{ username: MARKDOWN_ATTACK, password: "short" }, { username: `x${TERMINAL_ATTACK}`, password: "short" }],
            tags: { [`k${TERMINAL_ATTACK}`]: `v${TERMINAL_ATTACK}` },
        }, `evil${TERMINAL_ATTACK}`),
        ...(options.hugeValue ? [broker("huge", { storageType: `ebs${"e".repeat(10 * 1024 * 1024)}` }, "huge")] : []),
    ]);
}

/** A policy config that makes mq-broker-kms-encryption quote the key ARN. */
export const KMS_CONFIG = { "mq-broker-kms-encryption": { allowedKmsKeyArns: ["arn:aws:kms:*:999999999999:key/*"] } };

/** Characters that must never reach a terminal raw (C0 but \n, DEL, C1, separators, bidi controls). */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const BROKER = "aws:mq/broker:Broker";

/** The hostile export, its brokers declared at program lines (one position hostile itself), and one broker more. */
export function exportWithPositions(): any {
    const stack: any = hostileExport();
    // A broker whose name and username would add table cells, a code span and emphasis if written as they are.
    stack.deployment.resources.push(broker("pipes", { users: [{ username: "a| injected | cell |`x`*y*_z_~~s~~", password: "short" }] },
        "pipe|name|`code`"));
    for (const r of stack.deployment.resources) {
        if (r.urn === urn(BROKER, "secret-a")) {
            r.sourcePosition = "project:///src/brokers.ts#12,5";
        } else if (r.urn === urn(BROKER, "secret-b")) {
            r.sourcePosition = "project:///src/%1B%5D0;pwned%07.ts#3"; // control characters in the path: ignored
        } else if (r.type === BROKER) {
            r.sourcePosition = "project:///../../../etc/passwd#1"; // leaves the repository: ignored
        }
    }
    return stack;
}

let hostileRun: Promise<import("../../cli/analyze").AnalysisReport> | undefined;

/**
 * The pack's report of exportWithPositions() under KMS_CONFIG (organization "acme", source root "infra", the
 * export's text kept), from one run of the pack (in process, as `analyze` runs it) shared by the specs that format
 * it (hardening.spec.ts, reports.spec.ts) instead of a run each. The export file is gone once read: its text is in
 * the report. Each caller gets its own copy of the findings to add to.
 */
export async function hostileReport(): Promise<import("../../cli/analyze").AnalysisReport> {
    hostileRun ??= (async () => {
        const { analyze } = require("../../cli/analyze") as typeof import("../../cli/analyze");
        const { scratchDir } = require("./support") as typeof import("./support");
        const path = require("path") as typeof import("path");
        const fs = require("fs") as typeof import("fs");
        const scratch = scratchDir();
        try {
            const file = path.join(scratch.dir, "hostile.json");
            fs.writeFileSync(file, JSON.stringify(exportWithPositions(), null, 2));
            const config = path.join(scratch.dir, "kms.json");
            fs.writeFileSync(config, JSON.stringify(KMS_CONFIG));
            return await analyze({ file, policyConfigFile: config, stackTags: {}, organization: "acme", keepText: true, sourceRoot: "infra" });
        } finally {
            scratch.cleanup();
        }
    })();
    const report = await hostileRun;
    return { ...report, findings: [...report.findings] };
}
