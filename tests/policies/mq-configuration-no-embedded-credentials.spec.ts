import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONFIGURATION_TYPE } from "../../policies/lib/configuration-facts";
import { mqConfigurationNoEmbeddedCredentials as policy } from "../../policies/mq-configuration-no-embedded-credentials";
import { compliantActiveMq } from "../support/fixtures";
import { activeMqConfiguration, nativeConfiguration, onNativeConfiguration, rabbitMqConfiguration } from "../support/native";
import { analyze, secret, testPassword, unknown } from "../support/runtime";

const on = { type: CONFIGURATION_TYPE, name: "orders-config", urn: `urn:pulumi:prod::messaging::${CONFIGURATION_TYPE}::orders-config` };

// The golden configurations live with their aws-native twins (tests/support/native.ts); re-exported for the specs
// that import them from here.
export { activeMqConfiguration, rabbitMqConfiguration };

function own(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-configuration-no-embedded-credentials", () => {
    it("passes for a compliant ActiveMQ configuration (networkConnector with userName only)", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(), on), []);
    });

    it("passes for a compliant RabbitMQ configuration (LDAP bind password as a Secrets Manager ARN)", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration(), on), []);
    });

    it("flags user:password in a networkConnector uri, naming element, attribute and line but never the secret", async () => {
        const secret = testPassword("Qx7vN2pLr9TfWc4Hs8Ke");
        const data = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://orders-bridge:${secret}@b-1`);
        const violations = await analyze(policy, activeMqConfiguration(data), on);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(own(violations[0].message), /^data embeds credentials at line 9, attribute uri of <networkConnector> \(a user name and password in a URI\)/);
        assert.ok(!violations[0].message.includes(secret) && !violations[0].message.includes("orders-bridge"));
    });

    it("flags a URI password holding characters that end an authority elsewhere (# ? ( ) / < >), as random generators produce them", async () => {
        for (const special of ["#", "?", "(", ")", "/", "<", ">", "?a=b"]) {
            const secret = testPassword(`Hq3${special}Wd8Lz5`);
            const escaped = secret.replace(/</g, "&lt;").replace(/>/g, "&gt;");
            const xml = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://orders-bridge:${escaped}@b-1`);
            const inXml = await analyze(policy, activeMqConfiguration(xml), on);
            assert.strictEqual(inXml.length, 1, `XML, a password with ${special}`);
            assert.match(own(inXml[0].message), /attribute uri of <networkConnector> \(a user name and password in a URI\)/);
            const cuttlefish = `shovel.orders.src_uri = amqps://orders:${secret}@upstream.example.com:5671`;
            const inRabbit = await analyze(policy, rabbitMqConfiguration(cuttlefish), on);
            assert.strictEqual(inRabbit.length, 1, `RabbitMQ, a password with ${special}`);
            assert.ok(![...inXml, ...inRabbit].some(v => v.message.includes(secret) || v.message.includes(escaped)));
        }
    });

    it("flags a commented-out URI with a password (XML or cuttlefish comment): every revision keeps it and the console shows it", async () => {
        const secret = testPassword("Cm7tVq2wLx9pRs4k");
        const xml = String(activeMqConfiguration().data).replace("</broker>",
            `<!-- <networkConnector uri="static:(ssl://orders-bridge:${secret}@b-9.example.com:61617)"/> -->\n</broker>`);
        const inXml = await analyze(policy, activeMqConfiguration(xml), on);
        assert.strictEqual(inXml.length, 1);
        assert.match(own(inXml[0].message), /at line \d+, a comment \(a user name and password in a URI\)/);
        const rabbit = `heartbeat = 60\n# shovel.orders.src_uri = amqps://orders:${secret}@upstream.example.com:5671`;
        const inRabbit = await analyze(policy, rabbitMqConfiguration(rabbit), on);
        assert.strictEqual(inRabbit.length, 1);
        assert.match(own(inRabbit[0].message), /at line 2, a comment \(a user name and password in a URI\)/);
        assert.ok(![...inXml, ...inRabbit].some(v => v.message.includes(secret)));
        // A comment without a credential is nothing.
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration("# see https://www.rabbitmq.com/docs/shovel\nheartbeat = 60"), on), []);
    });

    it("does not read a port followed by a query or path with an @ in it as a password", async () => {
        for (const uri of [
            "ssl://b-1234.mq.us-east-1.amazonaws.com:61617?jms.clientID=ops@example.com",
            "ssl://b-1234.mq.us-east-1.amazonaws.com:61617?a=b&c=ops@example.com",
            "static:(ssl://b-1.example.com:61617,ssl://b-2.example.com:61617)",
        ]) {
            const xml = String(activeMqConfiguration().data).replace(/uri="[^"]*"/, `uri="${uri}"`);
            assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(xml), on), [], uri);
        }
    });

    it("flags a literal password attribute, and a property named password with a literal value", async () => {
        const data = String(activeMqConfiguration().data)
            .replace('userName="bridge"', `userName="bridge" password="${testPassword("s3cr3t-Value")}"`)
            .replace("  </plugins>", `    <property name="keystorePassword" value="${testPassword("kp-Secret-9")}"/>\n  </plugins>`);
        const message = own((await analyze(policy, activeMqConfiguration(data), on))[0].message);
        assert.match(message, /line 7, attribute value of <property> named keystorePassword \(a literal secret\)/);
        assert.match(message, /line 10, attribute password of <networkConnector> \(a literal secret\)/);
    });

    it("passes a password attribute given as a ${placeholder}", async () => {
        const data = String(activeMqConfiguration().data).replace('userName="bridge"', 'userName="bridge" password="${bridge.password}"');
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(data), on), []);
    });

    it("flags a RabbitMQ LDAP bind password, OAuth 2.0 client secret and shovel URI with literal credentials", async () => {
        const data = [
            `auth_ldap.dn_lookup_bind.password = ${testPassword("ldap-Bind-Pw1")}`,
            `management.oauth_client_secret = ${testPassword("oauth-Client-S3")}`,
            `shovel.orders.src_uri = amqps://orders:${testPassword("Sh0vel-Pass")}@upstream.example.com:5671`,
            "heartbeat = 60",
            `ssl_options.password = ${testPassword("Key-File-Pw2")}`,
        ].join("\n");
        const violations = await analyze(policy, rabbitMqConfiguration(data), on);
        assert.strictEqual(violations.length, 1);
        const message = own(violations[0].message);
        assert.match(message, /line 1, key auth_ldap\.dn_lookup_bind\.password \(a literal secret\); line 2, key management\.oauth_client_secret \(a literal secret\); line 3, key shovel\.orders\.src_uri \(a user name and password in a URI\), and 1 more\./);
        assert.match(message, /Secrets Manager ARN/);
        const defaultPass = await analyze(policy, rabbitMqConfiguration(`default_pass = ${testPassword("Default-Pass-7")}`), on);
        assert.match(own(defaultPass[0].message), /^data embeds credentials at line 1, key default_pass \(a literal secret\)/);
    });

    it("reads base64 data (aws-native's form) as the text it encodes, with the same message as the text (lines of the text)", async () => {
        const text = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://u:${testPassword("b64-Pass-1")}@b-1`);
        const data = Buffer.from(text).toString("base64");
        const violations = await analyze(policy, activeMqConfiguration(data), on);
        assert.match(own(violations[0].message), /^data embeds credentials at line 9/);
        assert.deepStrictEqual(violations, await analyze(policy, activeMqConfiguration(text), on));
    });

    it("still finds a URI password in XML that does not parse, line by line", async () => {
        const data = `<broker>\n<networkConnector uri="static:(ssl://u:${testPassword("Broken-Xml-Pw")}@h:61617)">\n`;
        assert.match(own((await analyze(policy, activeMqConfiguration(data), on))[0].message), /^data embeds credentials at line 2, a URI/);
    });

    it("reads data marked secret like any other (the message still shows no value), and the CLI's [secret] as unknown", async () => {
        const pw = testPassword("Secret-Data-Pw4");
        const data = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${pw}@b-1`);
        const violations = await analyze(policy, { ...activeMqConfiguration(), data: secret(data) }, on);
        assert.match(own(violations[0].message), /^data embeds credentials at line 9/);
        assert.ok(!violations[0].message.includes(pw));
        assert.deepStrictEqual(await analyze(policy, { ...activeMqConfiguration(), data: "[secret]" }, on), []);
    });

    it("reports nothing while data is unknown during preview, or absent", async () => {
        assert.deepStrictEqual(await analyze(policy, { ...activeMqConfiguration(), data: unknown.string }, on), []);
        assert.deepStrictEqual(await analyze(policy, { ...activeMqConfiguration(), data: undefined }, on), []);
    });

    it("survives hostile data: a billion-laughs DOCTYPE, 100,000 nested elements and 50,000 URIs stay fast and bounded", async function () {
        this.timeout(20_000);
        const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><broker a="&lol3;"/>';
        const nested = `<broker>${"<x>".repeat(100_000)}${"</x>".repeat(100_000)}</broker>`;
        const many = `<broker>${'<networkConnector uri="static:(ssl://u:p4ssw0rd@h:1)"/>\n'.repeat(50_000)}</broker>`;
        const started = Date.now();
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(laughs), on), []);
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(nested), on), []);
        const violations = await analyze(policy, activeMqConfiguration(many), on);
        assert.match(own(violations[0].message), /line 1, attribute uri of <networkConnector>.*and 49997 more/);
        assert.ok(own(violations[0].message).length <= 1000);
        assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    });

    it("scans a 1,000,000-character attribute value, key or line in linear time (a URI regular expression was quadratic)", async function () {
        this.timeout(20_000);
        const run = "a".repeat(1_000_000);
        const started = Date.now();
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(`<broker><networkConnector uri="${run}" name="?${"a.".repeat(400_000)}"/></broker>`), on), []);
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(`<broker>\n${run}://${run}`), on), []);
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration(`${run}password = arn:aws:secretsmanager:us-east-1:1:secret:x\nk = ${run}`), on), []);
        // A 20,000-character run took a second with the regular expression; a million takes well under this bound now.
        assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    });

    it("is not applicable to brokers (only configurations are judged)", async () => {
        assert.deepStrictEqual(await analyze(policy, compliantActiveMq()), []);
    });

    it("flags the configuration of examples/configuration-credential-stack.json", async () => {
        const state = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "configuration-credential-stack.json"), "utf8"));
        const resource = state.deployment.resources.find((r: { type: string }) => r.type === CONFIGURATION_TYPE);
        const violations = await analyze(policy, resource.outputs, { ...on, urn: resource.urn });
        assert.match(own(violations[0].message), /^data embeds credentials at line 4, attribute uri of <networkConnector>/);
        assert.ok(!violations[0].message.includes("Qx7vN2pLr9TfWc4Hs8Ke"));
    });

    it("is reported by the built CLI on examples/configuration-credential-stack.json, on the configuration and its broker, without the secret", function () {
        this.timeout(120_000);
        const root = path.join(__dirname, "..", "..");
        const cli = path.join(root, "dist", "cli", "main.js");
        assert.ok(fs.existsSync(cli), "dist/cli/main.js is missing: npm test builds it first (npm run build)");
        const run = spawnSync(process.execPath, [cli, "analyze", "--file", path.join(root, "examples", "configuration-credential-stack.json"), "--format", "json"],
            { cwd: root, encoding: "utf8", timeout: 110_000 });
        const report = JSON.parse(run.stdout) as { violations: Array<{ policyName: string; name: string; message: string }> };
        const ours = report.violations.filter(v => v.policyName === "mq-configuration-no-embedded-credentials");
        assert.deepStrictEqual(ours.map(v => v.name), ["orders-activemq-config"]);
        assert.match(ours[0].message, /line 4, attribute uri of <networkConnector>/);
        const onBroker = report.violations.filter(v => v.policyName === "mq-stack-broker-configuration");
        assert.deepStrictEqual(onBroker.map(v => v.name), ["orders"]);
        assert.ok(!run.stdout.includes("Qx7vN2pLr9TfWc4Hs8Ke") && !run.stderr.includes("Qx7vN2pLr9TfWc4Hs8Ke"));
    });
    describe("as an aws-native configuration (aws-native:amazonmq:Configuration, data base64)", () => {
        const onNative = onNativeConfiguration();

        it("passes the golden configurations in aws-native's shape", async () => {
            assert.deepStrictEqual(await analyze(policy, nativeConfiguration(activeMqConfiguration()), onNative), []);
            assert.deepStrictEqual(await analyze(policy, nativeConfiguration(rabbitMqConfiguration()), onNative), []);
        });

        it("flags credentials in base64 data with the message aws gets for the text, lines counted in the text", async () => {
            const text = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${testPassword("Nat1ve-Bridge-Pw")}@b-1`);
            const violations = await analyze(policy, nativeConfiguration(activeMqConfiguration(text)), onNative);
            assert.strictEqual(violations.length, 1);
            assert.match(own(violations[0].message), /^data embeds credentials at line 9, attribute uri of <networkConnector>/);
            assert.deepStrictEqual(violations, await analyze(policy, activeMqConfiguration(text), on));
        });

        // aws-native's data is optional: "Data ... Required: No", and a configuration without it is one where "Amazon MQ
        // uses the default configuration (the engine type and version)"
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-configuration.html,
        // read 2026-12-03). @pulumi/aws requires data, so there an absent one never reaches AWS.
        it("reports nothing for a configuration without data (Amazon MQ's default configuration embeds no credential)", async () => {
            for (const base of [activeMqConfiguration(), rabbitMqConfiguration()]) {
                const configuration = nativeConfiguration(base);
                delete configuration.data;
                assert.deepStrictEqual(await analyze(policy, configuration, onNative), []);
            }
        });

        it("reports nothing while data is unknown during preview, and judges one without a name (auto-named) like any other", async () => {
            assert.deepStrictEqual(await analyze(policy, { ...nativeConfiguration(activeMqConfiguration()), data: unknown.string }, onNative), []);
            const unnamed = nativeConfiguration(rabbitMqConfiguration(`default_pass = ${testPassword("Unnamed-Cfg-Pw3")}`));
            delete unnamed.name;
            assert.match(own((await analyze(policy, unnamed, onNative))[0].message), /^data embeds credentials at line 1, key default_pass/);
        });
    });
});
