// The SARIF 2.1.0 JSON schema (tests/fixtures/sarif-schema-2.1.0.json) as a validator, for the specs of the
// command's SARIF output.
import Ajv, { ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";

export function sarifValidator(): ValidateFunction {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "sarif-schema-2.1.0.json"), "utf8"));
    // The schema is draft-04: its `id` is draft-07's `$id`; it uses no other draft-04-only keyword.
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    // unicodeRegExp off: one of the schema's patterns (language) has a stray `]` that a /u expression refuses.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:\S+$/i);
    ajv.addFormat("uri-reference", /^\S*$/);
    ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
    return ajv.compile(schema);
}
