// What a policy message may quote from the broker's inputs, as an executable contract. Inside the Pulumi engine
// the SDK hands the pack secrets already unwrapped, so a policy cannot tell a secret username from a plain one:
// messages therefore quote only identifiers a reader needs to find the problem (bounded, see
// message-bounds.spec.ts), and never free text that commonly holds secrets or personal data: passwords, tag
// values, LDAP hosts, bases and service account names, usernames that reveal a password. The CLI redacts the
// values it knows were secrets (cli/redact.ts). Every string input gets a unique marker; the spec checks which
// markers reach a message.
import * as assert from "assert";
import { policies } from "../../policies";
import type { PackResourcePolicy } from "../../policies/lib/policy";
import { analyze } from "../support/runtime";

const resourcePolicies = policies.filter((p): p is PackResourcePolicy => "validateResource" in p);

/**
 * The inputs a message may quote (as written, bounded), and why each helps the reader: the broker's own name,
 * a username (only when it shows no password), enum-like settings and identifiers whose wrong value is the
 * finding, and a tag key (only when it holds no personal data).
 */
const MAY_QUOTE = new Set([
    "brokerName",
    "users[0].username",
    "users[1].username",
    "hostInstanceType",
    "storageType",
    "engineVersion",
    "authenticationStrategy",
    "deploymentMode",
    "encryptionOptions.kmsKeyId",
    "tags key",
    "tagsAll key",
]);

/** A broker whose every free string is a marker that names its path (letters and digits only, 8+ characters). */
function markedBroker(engineType: string): { props: Record<string, unknown>; markers: Map<string, string> } {
    const markers = new Map<string, string>();
    let n = 0;
    const mark = (path: string) => {
        const marker = `qv${String(n++).padStart(3, "0")}mark`;
        markers.set(marker, path);
        return marker;
    };
    const props: Record<string, unknown> = {
        engineType,
        brokerName: mark("brokerName"),
        engineVersion: mark("engineVersion"),
        hostInstanceType: mark("hostInstanceType"),
        deploymentMode: mark("deploymentMode"),
        storageType: mark("storageType"),
        authenticationStrategy: mark("authenticationStrategy"),
        dataReplicationMode: mark("dataReplicationMode"),
        securityGroups: [mark("securityGroups[0]")],
        subnetIds: [mark("subnetIds[0]")],
        publiclyAccessible: true,
        autoMinorVersionUpgrade: false,
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: mark("encryptionOptions.kmsKeyId") },
        logs: { general: false, audit: false },
        users: [
            { username: mark("users[0].username"), password: mark("users[0].password"), consoleAccess: true, replicationUser: true, groups: [mark("users[0].groups[0]")] },
            { username: mark("users[1].username"), password: mark("users[1].password") },
        ],
        ldapServerMetadata: {
            hosts: [mark("ldapServerMetadata.hosts[0]")],
            roleBase: mark("ldapServerMetadata.roleBase"),
            userBase: mark("ldapServerMetadata.userBase"),
            serviceAccountUsername: mark("ldapServerMetadata.serviceAccountUsername"),
            serviceAccountPassword: mark("ldapServerMetadata.serviceAccountPassword"),
        },
        tags: { [mark("tags key")]: mark("tags value") },
        tagsAll: { [mark("tagsAll key")]: mark("tagsAll value") },
        configuration: { id: mark("configuration.id"), revision: 1 },
    };
    return { props, markers };
}

describe("quoted values: what a message may quote from a broker's inputs", () => {
    for (const engineType of ["ActiveMQ", "RabbitMQ"]) {
        it(`quotes only identifiers and enum-like settings, never passwords, tag values or LDAP settings (${engineType})`, async () => {
            const { props, markers } = markedBroker(engineType);
            const quoted = new Map<string, string>();
            let findings = 0;
            for (const policy of resourcePolicies) {
                const enforcementLevel = policy.enforcementLevel === "disabled" ? "mandatory" : undefined;
                for (const violation of await analyze(policy, props, { enforcementLevel })) {
                    findings++;
                    // Case-insensitively: enum-like values are upper-cased before they are compared and shown.
                    const message = violation.message.toLowerCase();
                    for (const [marker, path] of markers) {
                        if (message.includes(marker)) {
                            quoted.set(path, policy.name);
                        }
                    }
                }
            }
            assert.ok(findings >= 8, `the marked broker is far from compliant (${findings} findings)`);
            // The detection works: enum-like settings whose wrong value is the finding are quoted.
            assert.ok(quoted.has("engineVersion") && quoted.has("users[1].username"),
                `quoted: ${[...quoted.keys()].join(", ")}`);
            const forbidden = [...quoted].filter(([path]) => !MAY_QUOTE.has(path));
            assert.deepStrictEqual(forbidden, [], `quoted beyond the contract: ${forbidden.map(([p, by]) => `${p} (by ${by})`).join(", ")}`);
        });
    }

    it("never quotes a username that equals a password, on any policy", async () => {
        const { props } = markedBroker("ActiveMQ");
        const users = props.users as Array<Record<string, unknown>>;
        users[0].username = users[1].password;
        for (const policy of resourcePolicies) {
            const enforcementLevel = policy.enforcementLevel === "disabled" ? "mandatory" : undefined;
            for (const violation of await analyze(policy, props, { enforcementLevel })) {
                assert.ok(!violation.message.includes(String(users[1].password)), `${policy.name} quoted a password`);
            }
        }
    });
});
