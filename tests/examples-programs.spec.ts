// The example Pulumi programs in examples/programs type-check against the @pulumi/aws, @pulumi/aws-native,
// @pulumi/pulumi and @pulumi/random this repository pins (module resolution walks up from the program's folder to
// the repository's node_modules), and their package.json asks for the ones each imports at those same versions.
// The type-check itself is npm test's typecheck phase (tests/tsconfig.json includes each program's index.ts, so
// the declarations of @pulumi/aws and @pulumi/aws-native are parsed once per `npm test`, by tsc, not again here;
// only the service modules the programs and specs name, through cut indexes of the two packages): this spec checks
// that each program is in that phase's files, under options at least as strict as its own tsconfig.json, that the
// cut indexes are the pinned packages' own modules, and that the phase has a program with an expected type error
// (tests/fixtures/typecheck-can-fail.ts).
// Each program also runs under the Pulumi SDK's mocks (no engine, no provider, no network), and what it
// registers, with the property dependencies the SDK computes, goes through every policy: the compliant
// programs get no finding, the insecure ones get each finding their Pulumi.yaml promises.
// Also the data-only example examples/configuration-credential-stack.json, kept for the policies to come.
import { spawnSync } from "child_process";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { readStackExport } from "../engine/state";
import { policies } from "../policies";
import type { PackResourcePolicy, PackStackPolicy } from "../policies/lib/policy";
import { analyze, analyzeStack, StackResource } from "./support/runtime";

const ROOT = path.resolve(__dirname, "..");
const PROGRAMS = path.join(ROOT, "examples", "programs");
const EXPECTED = ["activemq-compliant", "aws-native-activemq-compliant", "aws-native-configuration-credential", "insecure", "rabbitmq-compliant"];
/** The stack secret aws-native-configuration-credential requires, given to it under the mocks. */
// URI-safe characters only: a "#" or "@" in a password ends the URI authority (RFC 3986), and a password
// must be percent-encoded there.
const BRIDGE_PASSWORD = "Hq3-Wd8_Lz5.Tn2~Vr9Kc6";
const PROGRAM_CONFIG: Record<string, Record<string, string>> = {
    "aws-native-configuration-credential": { bridgePassword: BRIDGE_PASSWORD },
};

/** A tsconfig.json as tsc reads it: its files and compiler options (nothing is parsed but the JSON). */
function readConfig(configPath: string): ts.ParsedCommandLine {
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    assert.strictEqual(read.error, undefined, `${configPath}: ${read.error && ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
    const config = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
    assert.deepStrictEqual(config.errors.map(e => ts.flattenDiagnosticMessageText(e.messageText, "\n")), [], configPath);
    return config;
}

/**
 * The programs are type-checked by npm test's typecheck phase (tsc -p tests/tsconfig.json, which includes
 * examples/programs/<name>/index.ts), in the one program that already parses @pulumi/aws and @pulumi/aws-native
 * for the specs and the pack, instead of once more here. Its options must then check a program at least as strictly as the
 * program's own tsconfig.json. These options of a program's tsconfig.json only decide what tsc writes (the phase
 * writes nothing):
 */
const EMIT_ONLY = new Set(["outDir", "sourceMap", "configFilePath"]);
/**
 * and these options the phase has and a program's tsconfig.json does not, with why each cannot let a program
 * with an error through:
 */
const PHASE_ONLY: Record<string, string> = {
    noEmit: "writes nothing",
    declaration: "decides what tsc writes",
    rootDir: "decides where tsc writes (and rejects a file outside it: stricter)",
    configFilePath: "the tsconfig.json's own path",
    lib: "ES2020 only: fewer globals than a program's default (lib.es2020.full.d.ts, ES2020 and the DOM), so stricter",
    esModuleInterop: "allows default imports of CommonJS modules, which a program's options reject: the programs use none (checked below)",
    paths: "@pulumi/aws and @pulumi/aws-native are cut indexes: some of the real index's namespaces, each the pinned package's own module " +
        "under the same name (checked below), so a namespace left out is an error, never a pass",
    pathsBasePath: "where paths are read from (tests/)",
};
/** How the typecheck phase's options (`phase`) check a program less strictly than its own (`own`): [] when they do not. */
function looser(phase: ts.CompilerOptions, own: ts.CompilerOptions): string[] {
    const found: string[] = [];
    for (const [option, value] of Object.entries(own)) {
        if (option === "types") {
            // The phase's types are the program's and mocha's (for the specs).
            if (JSON.stringify([...phase.types ?? []].sort()) !== JSON.stringify([...value as string[], "mocha"].sort())) {
                found.push(`types: ${JSON.stringify(phase.types)}, not ${JSON.stringify(value)} and mocha`);
            }
        } else if (!EMIT_ONLY.has(option) && JSON.stringify(phase[option]) !== JSON.stringify(value)) {
            found.push(`${option}: ${JSON.stringify(phase[option])}, not ${JSON.stringify(value)}`);
        }
    }
    for (const option of Object.keys(phase).filter(o => !(o in own) && !(o in PHASE_ONLY))) {
        found.push(`${option}: ${JSON.stringify(phase[option])}, not set by the program`);
    }
    return found;
}

/** The globals @types/mocha declares (the phase has the specs' "mocha" types; a program does not). */
const MOCHA_GLOBALS = new Set(["after", "afterEach", "before", "beforeEach", "context", "describe", "it", "mocha", "Mocha", "run",
    "setup", "specify", "suite", "suiteSetup", "suiteTeardown", "teardown", "test", "xcontext", "xdescribe", "xit", "xspecify"]);

/**
 * Run in one child process (the SDK's mocks are process-wide state, kept out of mocha's) from the repository root,
 * with a JSON list of programs as argument, `[{ dir, config }]`. For each program in turn, as the Automation API
 * runs several programs in one process: fresh mocks (a new mock monitor) and the program's own stack settings
 * (`setAllConfig`, secrets named), then records each resource's inputs, the state the mock returns and the property
 * dependencies of its RegisterResource request, loads the program, waits for every registration
 * (`disconnect`) and keeps its custom resources; a program that throws gets its error instead. Prints
 * `{ [dir]: { resources } | { error } }` as JSON. Secrets are unwrapped, as the policy SDK unwraps them before a
 * policy sees a value.
 */
const MOCK_RUNNER = `
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const SIG = "4dabf18193072939515e22adb298388d";
const plain = v => Array.isArray(v) ? v.map(plain)
    : v && typeof v === "object" ? (v[SIG] !== undefined ? plain(v.value) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])))
    : v;
const ARN_SERVICE = { "aws:kms/key:Key": "kms", "aws:secretsmanager/secret:Secret": "secretsmanager", "aws:mq/broker:Broker": "mq",
    "aws-native:kms:Key": "kms", "aws-native:secretsmanager:Secret": "secretsmanager", "aws-native:amazonmq:Broker": "mq",
    "aws-native:amazonmq:Configuration": "mq" };
// aws-native's output-only identifiers, which the programs pass on to other resources.
const NATIVE_IDS = { "aws-native:ec2:Vpc": ["vpcId"], "aws-native:ec2:Subnet": ["subnetId"], "aws-native:ec2:SecurityGroup": ["groupId"],
    "aws-native:kms:Key": ["keyId"], "aws-native:amazonmq:Configuration": ["awsId"], "aws-native:amazonmq:Broker": ["awsId"] };
async function run(dir, config) {
    const seen = new Map();
    const registered = [];
    await pulumi.runtime.setMocks({
        newResource(args) {
            const state = { ...args.inputs };
            if (args.type === "random:index/randomPassword:RandomPassword") {
                state.result = "Mock" + args.name.replace(/[^a-z]/gi, "") + "-7Rq2Zx9Lm4Kp8Vt3";
            }
            if (ARN_SERVICE[args.type]) {
                state.arn = "arn:aws:" + ARN_SERVICE[args.type] + ":us-east-1:111122223333:" + args.name;
            }
            for (const id of NATIVE_IDS[args.type] || []) {
                state[id] = args.name + "-id";
            }
            if (args.type === "aws-native:amazonmq:Configuration") {
                state.revision = "1";
            }
            seen.set(args.type + "::" + args.name, { inputs: plain(args.inputs), outputs: plain(state) });
            return { id: args.name + "-id", state };
        },
        call(args) { return args.inputs; },
    }, "examples", "prod", false);
    // The program's stack settings only, all secrets (project "examples", as the mocks name it).
    const settings = Object.fromEntries(Object.entries(config).map(([k, v]) => ["examples:" + k, v]));
    pulumi.runtime.setAllConfig(settings, Object.keys(settings));
    const monitor = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => register(req, (err, resp) => {
        if (!err && req.getCustom()) {
            const propertyDependencies = {};
            req.getPropertydependenciesMap().forEach((v, k) => { propertyDependencies[k] = v.getUrnsList(); });
            registered.push({ urn: resp.getUrn(), type: req.getType(), name: req.getName(),
                dependencies: req.getDependenciesList(), propertyDependencies });
        }
        callback(err, resp);
    });
    require(path.resolve(dir, "index.ts"));
    await pulumi.runtime.disconnect();
    return registered.map(r => ({ ...r, ...seen.get(r.type + "::" + r.name) }));
}
(async () => {
    const out = {};
    for (const { dir, config } of JSON.parse(process.argv[1])) {
        try {
            out[dir] = { resources: await run(dir, config) };
        } catch (e) {
            out[dir] = { error: String(e && e.stack || e) };
        }
    }
    process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`;

interface Registered {
    urn: string;
    type: string;
    name: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

let underMocks: Record<string, { resources?: Registered[]; error?: string }> | undefined;

/**
 * What the program in `dir` registers under the mocks, with its own stack settings (PROGRAM_CONFIG). Every program
 * runs in the one child process the first call starts (one start of node, the SDK and the providers' SDKs).
 */
function runUnderMocks(dir: string): Registered[] {
    if (underMocks === undefined) {
        const programs = EXPECTED.map(name => ({ dir: path.join(PROGRAMS, name), config: PROGRAM_CONFIG[name] ?? {} }));
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", MOCK_RUNNER, JSON.stringify(programs)], {
            cwd: ROOT, encoding: "utf8", timeout: 170_000,
        });
        assert.strictEqual(run.status, 0, `the programs under mocks: ${run.error ?? ""} ${run.stderr}`);
        underMocks = JSON.parse(run.stdout) as Record<string, { resources?: Registered[]; error?: string }>;
    }
    const result = underMocks[dir];
    assert.ok(result, `${dir} did not run under the mocks`);
    assert.strictEqual(result.error, undefined, `${dir} under mocks: ${result.error}`);
    return result.resources!;
}

interface Finding {
    urn: string;
    message: string;
}

/** Every policy's findings for the resources: inputs to each resource policy, outputs to each stack policy. */
async function findingsWithUrns(resources: Registered[]): Promise<Map<string, Finding[]>> {
    const stack: StackResource[] = resources.map(r => ({
        urn: r.urn, type: r.type, props: r.outputs, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
    }));
    const result = new Map<string, Finding[]>();
    for (const policy of policies) {
        const found = "validateStack" in policy
            ? (await analyzeStack(policy as PackStackPolicy, stack)).map(v => ({ urn: v.urn ?? "", message: v.message }))
            : (await Promise.all(resources.map(async r => (await analyze(policy as PackResourcePolicy, r.inputs, { name: r.name, urn: r.urn, type: r.type }))
                .map(v => ({ urn: r.urn, message: v.message }))))).flat();
        result.set(policy.name, found);
    }
    return result;
}

/** Every policy's messages for the resources. */
async function findings(resources: Registered[]): Promise<Map<string, string[]>> {
    return new Map([...await findingsWithUrns(resources)].map(([policy, found]) => [policy, found.map(f => f.message)]));
}

function readJson(file: string): any {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("the example Pulumi programs", function () {
    // Each run under the mocks starts node with @pulumi/pulumi and the provider SDK: ~5 s on a loaded machine.
    this.timeout(180_000);
    const phase = readConfig(path.join(ROOT, "tests", "tsconfig.json"));
    const repo = readJson(path.join(ROOT, "package.json"));
    const repoVersions: Record<string, string> = { ...repo.dependencies, ...repo.devDependencies };

    it("are the ones this spec knows (the README lists each)", () => {
        const found = fs.readdirSync(PROGRAMS, { withFileTypes: true }).filter(d => d.isDirectory() && !d.name.startsWith("."))
            .map(d => d.name).sort();
        assert.deepStrictEqual(found, EXPECTED);
    });

    for (const name of EXPECTED) {
        const dir = path.join(PROGRAMS, name);

        it(`${name} has a Pulumi.yaml for the nodejs runtime with TypeScript, an index.ts and a tsconfig.json`, () => {
            const project = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
            assert.match(project, new RegExp(`^name: mq-${name}$`, "m"));
            assert.match(project, /^runtime:\n {2}name: nodejs\n {2}options:\n {4}typescript: true$/m);
            assert.ok(fs.existsSync(path.join(dir, "index.ts")));
            assert.ok(fs.existsSync(path.join(dir, "tsconfig.json")));
        });

        it(`${name}'s package.json asks for the @pulumi packages it imports at the versions this repository pins`, () => {
            const pkg = readJson(path.join(dir, "package.json"));
            assert.strictEqual(pkg.main, "index.ts");
            const imported = [...fs.readFileSync(path.join(dir, "index.ts"), "utf8").matchAll(/from "(@pulumi\/[a-z-]+)"/g)].map(m => m[1]);
            // @pulumi/pulumi is the runtime every program needs, imported or not.
            for (const dependency of new Set([...imported, "@pulumi/pulumi"])) {
                assert.ok(repoVersions[dependency], `the repository pins ${dependency}`);
                assert.strictEqual(pkg.dependencies?.[dependency], repoVersions[dependency], dependency);
            }
        });

        it(`${name} is type-checked by npm test's typecheck phase, with options at least as strict as its own tsconfig.json`, () => {
            const own = readConfig(path.join(dir, "tsconfig.json"));
            assert.deepStrictEqual(own.fileNames, [path.join(dir, "index.ts").split(path.sep).join("/")]);
            assert.ok(phase.fileNames.includes(own.fileNames[0]), `tests/tsconfig.json does not include ${own.fileNames[0]}`);
            assert.deepStrictEqual(looser(phase.options, own.options), [], `the typecheck phase checks ${name} less strictly than its tsconfig.json`);
        });

        it(`${name} uses no default import and no mocha global (what the typecheck phase's options allow more)`, () => {
            const source = ts.createSourceFile("index.ts", fs.readFileSync(path.join(dir, "index.ts"), "utf8"), ts.ScriptTarget.ES2020, true);
            const found: string[] = [];
            const visit = (node: ts.Node): void => {
                if (ts.isImportClause(node) && node.name) {
                    found.push(`default import ${node.name.text}`);
                }
                if (ts.isIdentifier(node) && MOCHA_GLOBALS.has(node.text)) {
                    found.push(`identifier ${node.text}`);
                }
                ts.forEachChild(node, visit);
            };
            visit(source);
            assert.deepStrictEqual(found, []);
        });
    }

    for (const name of ["activemq-compliant", "rabbitmq-compliant", "aws-native-activemq-compliant"]) {
        it(`${name}, run under the SDK's mocks, passes every policy`, async () => {
            const resources = runUnderMocks(path.join(PROGRAMS, name));
            const brokerType = name.startsWith("aws-native-") ? "aws-native:amazonmq:Broker" : "aws:mq/broker:Broker";
            assert.ok(resources.some(r => r.type === brokerType), `the program declares a ${brokerType}`);
            for (const [policy, messages] of await findings(resources)) {
                assert.deepStrictEqual(messages, [], policy);
            }
        });
    }

    it("insecure, run under the SDK's mocks, fails each policy its Pulumi.yaml names", async () => {
        const found = await findings(runUnderMocks(path.join(PROGRAMS, "insecure")));
        const failing = [...found].filter(([, messages]) => messages.length > 0).map(([policy]) => policy).sort();
        const promised = new Set([...fs.readFileSync(path.join(PROGRAMS, "insecure", "Pulumi.yaml"), "utf8")
            .matchAll(/mq-(?:broker|stack)-[a-z-]*[a-z]/g)].map(m => m[0]));
        assert.deepStrictEqual(failing, [...promised].sort());
    });

    describe("aws-native-configuration-credential, run under the SDK's mocks", () => {
        const name = "aws-native-configuration-credential";
        let resources: Registered[];
        let found: Map<string, Finding[]>;
        before(async () => {
            resources = runUnderMocks(path.join(PROGRAMS, name));
            found = await findingsWithUrns(resources);
        });

        it("declares the broker, its configuration, key, security group and subnets with aws-native, and no @pulumi/aws resource", () => {
            const types = new Set(resources.map(r => r.type));
            for (const type of ["aws-native:amazonmq:Broker", "aws-native:amazonmq:Configuration", "aws-native:kms:Key",
                "aws-native:ec2:SecurityGroup", "aws-native:ec2:Subnet", "aws-native:secretsmanager:Secret"]) {
                assert.ok(types.has(type), type);
            }
            assert.deepStrictEqual([...types].filter(t => t.startsWith("aws:")), []);
            const broker = resources.find(r => r.type === "aws-native:amazonmq:Broker")!;
            const configuration = resources.find(r => r.type === "aws-native:amazonmq:Configuration")!;
            assert.deepStrictEqual(broker.propertyDependencies.configuration, [configuration.urn]);
            // The credential is in the base64 data, as the provider receives it.
            const xml = Buffer.from(String(configuration.inputs.data), "base64").toString("utf8");
            assert.ok(xml.includes(`ssl://orders-bridge:${BRIDGE_PASSWORD}@`));
        });

        it("fails exactly the resource policies its Pulumi.yaml names, on the aws-native configuration", () => {
            const resourcePolicies = new Set(policies.filter(p => !("validateStack" in p)).map(p => p.name));
            const configuration = resources.find(r => r.type === "aws-native:amazonmq:Configuration")!;
            const got = [...found].flatMap(([policy, list]) => list.map(f => `${policy} ${f.urn}`))
                .filter(k => resourcePolicies.has(k.split(" ")[0])).sort();
            const promised = [...fs.readFileSync(path.join(PROGRAMS, name, "Pulumi.yaml"), "utf8")
                .matchAll(/mq-(?:broker|configuration|stack)-[a-z-]*[a-z]/g)].map(m => m[0]);
            assert.deepStrictEqual(got, [...new Set(promised)].filter(p => resourcePolicies.has(p)).map(p => `${p} ${configuration.urn}`).sort());
            assert.deepStrictEqual(got, [`mq-configuration-no-embedded-credentials ${configuration.urn}`]);
            assert.match(found.get("mq-configuration-no-embedded-credentials")![0].message, /^data embeds credentials at line \d+, attribute uri of <networkConnector>/m);
        });

        it("reports the configuration on the aws-native broker that uses it (mq-stack-broker-configuration)", () => {
            const broker = resources.find(r => r.type === "aws-native:amazonmq:Broker")!;
            assert.deepStrictEqual(found.get("mq-stack-broker-configuration")!.map(f => f.urn), [broker.urn]);
        });

        it("never quotes the password in a message", () => {
            for (const [policy, list] of found) {
                for (const f of list) {
                    assert.ok(!f.message.includes(BRIDGE_PASSWORD), `${policy} quotes the password`);
                }
            }
        });
    });

    it("the typecheck phase's @pulumi/aws and @pulumi/aws-native are the pinned packages' own modules, under their index's names", () => {
        assert.deepStrictEqual(Object.keys(phase.options.paths ?? {}).sort(), ["@pulumi/aws", "@pulumi/aws-native"]);
        for (const [pkg, [mapped]] of Object.entries(phase.options.paths!)) {
            const index = fs.readFileSync(path.resolve(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), "..", "index.d.ts"), "utf8");
            const exported = new Set([...index.matchAll(/^export \{ ([\w, ]+) \};$/gm)].flatMap(m => m[1].split(/,\s*/)));
            const lines = fs.readFileSync(path.resolve(phase.options.pathsBasePath as string, mapped), "utf8").split("\n")
                .filter(line => line.trim() !== "" && !line.startsWith("//"));
            assert.ok(lines.length > 0, mapped);
            for (const line of lines) {
                const m = /^export \* as (\w+) from "([@\w/-]+)\/(\w+)";$/.exec(line);
                assert.ok(m && m[2] === pkg, `${mapped}: ${line}`);
                assert.ok(index.includes(`\nimport * as ${m[1]} from "./${m[3]}";\n`) && exported.has(m[1]), `${pkg}'s index has no ${m[1]} from ./${m[3]}`);
            }
        }
    });

    it("a program with a type error fails the typecheck phase (tests/fixtures/typecheck-can-fail.ts, in the phase, expects one)", () => {
        const file = path.join(ROOT, "tests", "fixtures", "typecheck-can-fail.ts");
        assert.ok(phase.fileNames.includes(file.split(path.sep).join("/")), "tests/tsconfig.json does not include it");
        const lines = fs.readFileSync(file, "utf8").split("\n");
        // One expected error, on the misspelled property: tsc fails the phase if that line stops being an error.
        const expected = lines.flatMap((line, i) => /^\s*\/\/ @ts-expect-error\b/.test(line) ? [lines[i + 1].trim()] : []);
        assert.deepStrictEqual(expected, ["publiclyAcessible: false,"]);
        // The same arguments spelled right are there too, without the directive: the error is the misspelling's.
        const text = lines.join("\n");
        const objects = [...text.matchAll(/: aws\.mq\.BrokerArgs = \{([^}]*)\}/g)].map(m => m[1].replace(/\s*\/\/[^\n]*/g, "").replace(/\s+/g, " "));
        assert.deepStrictEqual(objects.map(o => o.replace("publiclyAcessible", "publiclyAccessible")), [objects[0], objects[0]]);
        assert.notStrictEqual(objects[0], objects[1]);
    });

    it("the comparison of options can fail: a phase without one of a program's checks, or with a check turned off, is looser", () => {
        const own = readConfig(path.join(PROGRAMS, "insecure", "tsconfig.json")).options;
        assert.deepStrictEqual(looser(phase.options, own), []);
        const { noImplicitReturns: _, ...without } = phase.options;
        assert.deepStrictEqual(looser(without, own), ["noImplicitReturns: undefined, not true"]);
        assert.deepStrictEqual(looser({ ...phase.options, strictNullChecks: false }, own), ["strictNullChecks: false, not set by the program"]);
        assert.deepStrictEqual(looser({ ...phase.options, types: ["node", "mocha", "jest"] }, own), ['types: ["node","mocha","jest"], not ["node"] and mocha']);
        assert.deepStrictEqual(looser({ ...phase.options, target: ts.ScriptTarget.ES5 }, own), ["target: 1, not 7"]);
    });
});

describe("examples/configuration-credential-stack.json", () => {
    const file = path.join(ROOT, "examples", "configuration-credential-stack.json");
    const CONFIGURATION_TYPE = "aws:mq/configuration:Configuration";

    it("reads as a stack export, with an aws.mq.Configuration that the broker depends on", () => {
        const { state } = readStackExport(file);
        const configurations = state.stackResources.filter(r => r.type === CONFIGURATION_TYPE);
        assert.strictEqual(configurations.length, 1);
        const broker = state.stackResources.find(r => r.type === "aws:mq/broker:Broker");
        assert.ok(broker);
        assert.deepStrictEqual(broker.propertyDependencies?.configuration, [configurations[0].urn]);
    });

    it("embeds a username and password in a networkConnector uri of the configuration data, in plain text", () => {
        const { state } = readStackExport(file);
        const configuration = state.stackResources.find(r => r.type === CONFIGURATION_TYPE)!;
        const data = String(configuration.properties.data);
        assert.match(data, /<networkConnector\b[^>]*\buri="static:\(ssl:\/\/[^:@"\/]+:[^@"\/]+@[^"]+"/);
    });

    it("is otherwise compliant: whatever a policy reports on it is about the broker configuration", async () => {
        const { state } = readStackExport(file);
        const messages: string[] = [];
        for (const policy of policies) {
            if ("validateStack" in policy) {
                messages.push(...(await analyzeStack(policy as PackStackPolicy, state.stackResources.map(r => ({
                    urn: r.urn, type: r.type, props: r.properties, parent: r.parent,
                    dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
                })))).map(v => `${policy.name}: ${v.message}`));
            } else {
                for (const r of state.resources) {
                    messages.push(...(await analyze(policy as PackResourcePolicy, r.properties, { name: r.name, urn: r.urn, type: r.type }))
                        .map(v => `${policy.name}: ${v.message}`));
                }
            }
        }
        assert.deepStrictEqual(messages.filter(m => !/configuration|networkConnector/i.test(m)), []);
    });
});
