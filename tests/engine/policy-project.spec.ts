// engine/policy-project.ts: PulumiPolicy.yaml read as the engine reads it (runtime and version), with a YAML library.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readPolicyProject } from "../../engine/policy-project";

describe("engine/policy-project: PulumiPolicy.yaml", () => {
    let dir: string;
    const withYaml = (text: string) => {
        fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), text);
        return readPolicyProject(dir);
    };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-mq-policy-project-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads the runtime and no version from this pack's own file", () => {
        assert.deepStrictEqual(readPolicyProject(path.resolve(__dirname, "../..")), { runtime: "nodejs", version: undefined });
    });

    it("reads a runtime given as {name, options} and a version as the string it is written as", () => {
        assert.deepStrictEqual(withYaml("runtime:\n  name: nodejs\n  options:\n    typescript: false\nversion: 1.0\n"),
            { runtime: "nodejs", version: "1.0" });
        assert.deepStrictEqual(withYaml("runtime: 'nodejs' # the language\nversion: \"2.3.4\"\ndescription: |\n  version: 9\n"),
            { runtime: "nodejs", version: "2.3.4" });
        assert.deepStrictEqual(withYaml("{runtime: python, version: 0.1.0}"), { runtime: "python", version: "0.1.0" });
    });

    it("refuses a file without a runtime as the engine does", () => {
        assert.throws(() => withYaml("description: no runtime\n"), /failed to load Pulumi policy project located at .*: project is missing a 'runtime' attribute/);
        assert.throws(() => withYaml(""), /missing a 'runtime' attribute/);
        assert.throws(() => withYaml("runtime:\n  options: {}\n"), /missing a 'runtime' attribute/);
    });

    it("says where a file is not valid YAML, without quoting it", () => {
        assert.throws(() => withYaml("runtime: nodejs\nversion: [Zq8mWv3nRt6y\n"), (e: unknown) => {
            assert.match((e as Error).message, /PulumiPolicy\.yaml is not valid YAML: .* at line \d+, column \d+$/);
            assert.ok(!(e as Error).message.includes("Zq8mWv3nRt6y"), (e as Error).message);
            return true;
        });
    });

    it("says when there is no PulumiPolicy.yaml", () => {
        assert.throws(() => readPolicyProject(dir), /no PulumiPolicy.yaml found/);
    });
});
