import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONFIGURATION_TYPE } from "../../policies/lib/configuration-facts";
import { mqConfigurationValidData as policy } from "../../policies/mq-configuration-valid-data";
import { analyze, unknown } from "../support/runtime";
import { activeMqConfiguration, nativeConfiguration, onNativeConfiguration, rabbitMqConfiguration } from "../support/native";

const on = { type: CONFIGURATION_TYPE, name: "orders-config", urn: `urn:pulumi:prod::messaging::${CONFIGURATION_TYPE}::orders-config` };

function own(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-configuration-valid-data", () => {
    it("passes for a compliant ActiveMQ configuration", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(), on), []);
    });

    it("passes for a compliant RabbitMQ configuration", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration(), on), []);
    });

    it("flags ActiveMQ data that is not well-formed XML, with the line and no text from the data", async () => {
        const data = String(activeMqConfiguration().data).replace("</networkConnectors>", "</networkConnectorz>");
        const violations = await analyze(policy, activeMqConfiguration(data), on);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(own(violations[0].message), /^data is not well-formed XML \(unexpected close tag, line 10, column \d+\)/);
        assert.ok(!own(violations[0].message).includes("networkConnectorz"));
    });

    it("flags a DOCTYPE entity (billion laughs) as an error instead of expanding it", async () => {
        const data = '<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><broker x="&b;"/>';
        assert.match(own((await analyze(policy, activeMqConfiguration(data), on))[0].message), /^data is not well-formed XML \(undefined entity, line 1/);
    });

    it("flags elements Amazon MQ does not permit, with their lines, and accepts ones named in additionalPermittedElements", async () => {
        const data = String(activeMqConfiguration().data).replace("  <plugins>", "  <transportConnectors/>\n  <jaasAuthenticationPlugin/>\n  <plugins>");
        const violations = await analyze(policy, activeMqConfiguration(data), on);
        assert.match(own(violations[0].message), /^data uses elements Amazon MQ does not permit: <jaasAuthenticationPlugin> \(line 4\)\. .*DISALLOWED_ELEMENT_REMOVED/);
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(data), { ...on, config: { additionalPermittedElements: ["jaasAuthenticationPlugin"] } }), []);
    });

    it("flags a root element other than <broker>", async () => {
        assert.match(own((await analyze(policy, activeMqConfiguration("<beans/>"), on))[0].message), /^data's root element is <beans>/);
    });

    it("flags empty data", async () => {
        assert.match(own((await analyze(policy, activeMqConfiguration("  \n"), on))[0].message), /^data is empty/);
    });

    it("flags RabbitMQ lines that are not key = value, keys Amazon MQ does not support and http OAuth 2.0 URLs", async () => {
        const data = "consumer_timeout = 1800000\nthis is not a setting\nauth_oauth2.signing_keys.k1 = arn:aws:s3:::b/k\nauth_oauth2.issuer = http://idp.example.com\n";
        const messages = (await analyze(policy, rabbitMqConfiguration(data), on)).map(v => own(v.message));
        assert.deepStrictEqual(messages.map(m => m.split(":")[0]), [
            "data has lines that are not RabbitMQ `key = value` settings",
            "data sets keys Amazon MQ does not support",
            "data gives OAuth 2.0 URLs that are not https",
        ]);
        assert.match(messages[0], /line 2\./);
        assert.match(messages[1], /auth_oauth2\.signing_keys\.k1 \(line 3\)/);
    });

    it("flags an LDAP certificate file given as a local path, and passes it as an ARN", async () => {
        const local = await analyze(policy, rabbitMqConfiguration("auth_ldap.ssl_options.cacertfile = /etc/ssl/ldap-ca.pem"), on);
        assert.match(own(local[0].message), /^data gives LDAP files as local paths: auth_ldap\.ssl_options\.cacertfile \(line 1\); Amazon MQ requires an ARN/);
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration("auth_ldap.ssl_options.cacertfile = arn:aws:s3:::orders-certs/ldap-ca.pem"), on), []);
    });

    it("reads base64 data", async () => {
        const data = Buffer.from("<broker><bogus/></broker>").toString("base64");
        assert.match(own((await analyze(policy, activeMqConfiguration(data), on))[0].message), /<bogus> \(line 1\)/);
    });

    it("reports nothing while data is unknown during preview, or absent", async () => {
        assert.deepStrictEqual(await analyze(policy, { ...activeMqConfiguration(), data: unknown.string }, on), []);
        assert.deepStrictEqual(await analyze(policy, { ...rabbitMqConfiguration(), data: undefined }, on), []);
    });

    it("keeps messages bounded for 50,000 disallowed elements and deeply nested XML", async function () {
        this.timeout(20_000);
        const wide = `<broker>${"<bad/>".repeat(50_000)}</broker>`;
        const deep = `<broker>${"<queue>".repeat(100_000)}${"</queue>".repeat(100_000)}</broker>`;
        const message = own((await analyze(policy, activeMqConfiguration(wide), on))[0].message);
        assert.match(message, /and 49995 more/);
        assert.ok(message.length <= 1000);
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(deep), on), []);
    });

    it("loads saxes only once a configuration's XML is read, so a pack on a stack without configurations never loads it", function () {
        this.timeout(60_000);
        const root = path.join(__dirname, "..", "..");
        const index = path.join(root, "dist", "policies", "index.js");
        assert.ok(fs.existsSync(index), "dist/policies/index.js is missing: npm test builds it first (npm run build)");
        const script = `
            const loaded = () => Object.keys(require.cache).some(f => /node_modules[\\\\/]saxes[\\\\/]/.test(f));
            const { policies } = require(${JSON.stringify(index)});
            const steps = [loaded()];
            const text = require(${JSON.stringify(path.join(root, "dist", "policies", "lib", "configuration-text.js"))});
            text.readCuttlefish("heartbeat = 60");
            steps.push(loaded());
            text.readXml("<broker/>");
            steps.push(loaded());
            process.stdout.write(JSON.stringify(steps));
        `;
        assert.deepStrictEqual(JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" })), [false, false, true]);
    });
    describe("as an aws-native configuration (aws-native:amazonmq:Configuration, data base64)", () => {
        const onNative = onNativeConfiguration();

        it("passes the golden configurations in aws-native's shape", async () => {
            assert.deepStrictEqual(await analyze(policy, nativeConfiguration(activeMqConfiguration()), onNative), []);
            assert.deepStrictEqual(await analyze(policy, nativeConfiguration(rabbitMqConfiguration()), onNative), []);
        });

        it("flags XML that is not well-formed with the message aws gets for the text", async () => {
            const text = String(activeMqConfiguration().data).replace("</networkConnectors>", "</networkConnectorz>");
            const violations = await analyze(policy, nativeConfiguration(activeMqConfiguration(text)), onNative);
            assert.match(own(violations[0].message), /^data is not well-formed XML \(unexpected close tag, line 10/);
            assert.deepStrictEqual(violations, await analyze(policy, activeMqConfiguration(text), on));
        });

        // aws-native's data is optional: "Data ... Required: No", and a configuration without it is one where "Amazon MQ
        // uses the default configuration (the engine type and version)"
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-configuration.html,
        // read 2026-12-03). @pulumi/aws requires data, so there an absent one never reaches AWS.
        it("passes a configuration without data: Amazon MQ gives it the default configuration of its engine and version", async () => {
            for (const base of [activeMqConfiguration(), rabbitMqConfiguration()]) {
                const configuration = nativeConfiguration(base);
                delete configuration.data;
                assert.deepStrictEqual(await analyze(policy, configuration, onNative), []);
            }
        });

        it("still flags data that is present but empty", async () => {
            assert.match(own((await analyze(policy, { ...nativeConfiguration(activeMqConfiguration()), data: "" }, onNative))[0].message), /^data is empty/);
        });
    });
});
