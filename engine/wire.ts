// The Analyzer requests as protobuf bytes, written directly from the JavaScript values.
//
// Byte for byte what google-protobuf writes for the same messages built with its setters and `toStruct`, then
// `serializeBinary()` (the reference encoder, tests/engine/reference-encoder.ts), which tests/cli/wire.spec.ts
// checks: fields in field-number order, proto3 defaults
// (empty strings, false) left out, map entries (Struct fields, property dependencies) sorted by key as
// google-protobuf sorts them, every `google.protobuf.Value` with its oneof set (so "", 0, false and null are
// written), numbers as doubles, and strings in google-protobuf's UTF-8 (a lone low surrogate, or a high one
// at the very end, becomes its three-byte form rather than U+FFFD; a high surrogate followed by anything but
// a low one is dropped). The values are cleaned as engine/properties.ts cleans them: undefined object
// members dropped, undefined array items and non-finite numbers sent as null, and a value that has no
// Struct form (function, symbol, bigint, array hole) is refused with google-protobuf's own error.
//
// Going through google-protobuf cost a copy (`clean`), a tree of Value/Struct/Map objects per resource and
// then the serializer's walk of it: about 4 s and several hundred megabytes for a 10,000-resource stack.
// Writing the bytes directly is one walk and one growing buffer.
//
// One deliberate difference from the old path: a nested `__proto__` key (JSON.parse makes it an ordinary
// key) is sent as the key it is, as the engine would send it; the old path's object spread turned it into a
// prototype and sent the inner value's keys instead.
import type { AnalyzerResourceInput } from "./types";

// Field numbers, named as in the .proto files: google/protobuf/struct.proto and pulumi's analyzer.proto
// (checked against @pulumi/pulumi/proto/analyzer_pb.js, which the byte-for-byte spec also holds us to).
/** google.protobuf.Struct: `map<string, Value> fields = 1`, each entry a message of key = 1, value = 2. */
const StructFields = { fields: 1 } as const;
const MapEntry = { key: 1, value: 2 } as const;
/** google.protobuf.Value: its `kind` oneof. */
const ValueKind = { nullValue: 1, numberValue: 2, stringValue: 3, boolValue: 4, structValue: 5, listValue: 6 } as const;
/** google.protobuf.ListValue. */
const ListValueFields = { values: 1 } as const;
/** pulumirpc.AnalyzeRequest; AnalyzerResource shares fields 1 to 6 and adds 7 to 9. */
const AnalyzeRequestFields = { type: 1, properties: 2, urn: 3, name: 4, options: 5, provider: 6 } as const;
const AnalyzerResourceFields = { ...AnalyzeRequestFields, parent: 7, dependencies: 8, propertyDependencies: 9 } as const;
/** pulumirpc.AnalyzeStackRequest. */
const AnalyzeStackRequestFields = { resources: 1 } as const;
/** pulumirpc.AnalyzerResourceOptions. */
const OptionsFields = {
    protect: 1, ignoreChanges: 2, deleteBeforeReplace: 3, deleteBeforeReplaceDefined: 4, additionalSecretOutputs: 5,
    aliases: 6, customTimeouts: 7, parent: 8,
} as const;
/** pulumirpc.AnalyzerProviderResource. */
const ProviderFields = { type: 1, properties: 2, urn: 3, name: 4 } as const;
/** pulumirpc.AnalyzerPropertyDependencies. */
const PropertyDependenciesFields = { urns: 1 } as const;

/** Protobuf wire types. */
const Wire = { Varint: 0, Fixed64: 1, Delimited: 2 } as const;
type Wire = typeof Wire[keyof typeof Wire];

/** A growing buffer with the few protobuf writes the Analyzer messages need. */
export class ProtoWriter {
    private buf: Buffer;
    private pos = 0;

    constructor(initialSize = 64 * 1024) {
        this.buf = Buffer.allocUnsafe(Math.max(16, initialSize));
    }

    get length(): number {
        return this.pos;
    }

    private ensure(extra: number): void {
        const needed = this.pos + extra;
        if (needed > this.buf.length) {
            const next = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
            this.buf.copy(next, 0, 0, this.pos);
            this.buf = next;
        }
    }

    varint(value: number): void {
        this.ensure(10);
        while (value > 0x7f) {
            this.buf[this.pos++] = (value & 0x7f) | 0x80;
            value = Math.floor(value / 128);
        }
        this.buf[this.pos++] = value;
    }

    tag(field: number, wire: Wire): void {
        this.varint(field * 8 + wire);
    }

    /** Starts a length-delimited field; returns where its length goes (see join). */
    fork(field: number): number {
        this.tag(field, Wire.Delimited);
        this.ensure(1);
        return this.pos++;
    }

    /** Ends a length-delimited field: writes its length (minimal varint) in front of its content. */
    join(at: number): void {
        const length = this.pos - at - 1;
        if (length < 0x80) {
            this.buf[at] = length;
            return;
        }
        let size = 1;
        for (let v = length; v > 0x7f; v = Math.floor(v / 128)) {
            size++;
        }
        this.ensure(size - 1);
        this.buf.copyWithin(at + size, at + 1, this.pos);
        this.pos += size - 1;
        let p = at;
        let v = length;
        while (v > 0x7f) {
            this.buf[p++] = (v & 0x7f) | 0x80;
            v = Math.floor(v / 128);
        }
        this.buf[p] = v;
    }

    string(field: number, value: string): void {
        const at = this.fork(field);
        const n = value.length;
        this.ensure(n * 3);
        const buf = this.buf;
        let p = this.pos;
        if (n > 64 && !SURROGATE.test(value)) {
            // Well-formed text: Node's UTF-8 is google-protobuf's.
            p += buf.write(value, p, n * 3, "utf8");
        } else {
            for (let i = 0; i < n; i++) {
                let c = value.charCodeAt(i);
                if (c < 0x80) {
                    buf[p++] = c;
                } else if (c < 0x800) {
                    buf[p++] = 0xc0 | (c >> 6);
                    buf[p++] = 0x80 | (c & 0x3f);
                } else {
                    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
                        const low = value.charCodeAt(i + 1);
                        if (low >= 0xdc00 && low <= 0xdfff) {
                            c = (c - 0xd800) * 0x400 + low - 0xdc00 + 0x10000;
                            buf[p++] = 0xf0 | (c >> 18);
                            buf[p++] = 0x80 | ((c >> 12) & 0x3f);
                            buf[p++] = 0x80 | ((c >> 6) & 0x3f);
                            buf[p++] = 0x80 | (c & 0x3f);
                            i++;
                        }
                        // google-protobuf drops a high surrogate that is followed by anything but a low one.
                        continue;
                    }
                    // BMP, or a lone low surrogate (or a high one at the very end) as its own three bytes,
                    // as google-protobuf writes them.
                    buf[p++] = 0xe0 | (c >> 12);
                    buf[p++] = 0x80 | ((c >> 6) & 0x3f);
                    buf[p++] = 0x80 | (c & 0x3f);
                }
            }
        }
        this.pos = p;
        this.join(at);
    }

    double(field: number, value: number): void {
        this.tag(field, Wire.Fixed64);
        this.ensure(8);
        this.buf.writeDoubleLE(value, this.pos);
        this.pos += 8;
    }

    bool(field: number, value: boolean): void {
        this.tag(field, Wire.Varint);
        this.varint(value ? 1 : 0);
    }

    enumValue(field: number, value: number): void {
        this.tag(field, Wire.Varint);
        this.varint(value);
    }

    /** Bytes already encoded (a cached sub-message, tag and length included). */
    raw(bytes: Uint8Array): void {
        this.ensure(bytes.length);
        this.buf.set(bytes, this.pos);
        this.pos += bytes.length;
    }

    /** Starts over, keeping the buffer unless it grew large. */
    reset(): void {
        this.pos = 0;
        if (this.buf.length > 4 * 1024 * 1024) {
            this.buf = Buffer.allocUnsafe(64 * 1024);
        }
    }

    /** The bytes so far, as a view on the writer's buffer (valid until the next write). */
    view(from = 0): Buffer {
        return this.buf.subarray(from, this.pos);
    }

    /** The bytes so far, as a buffer of their own. */
    finish(): Buffer {
        return Buffer.from(this.buf.subarray(0, this.pos));
    }
}

const SURROGATE = /[\ud800-\udfff]/;

function unexpected(): Error {
    // google-protobuf's Value.fromJavaScript error, so callers see what they saw before.
    return new Error("Unexpected struct type.");
}

/** The body of a google.protobuf.Value: its oneof field. */
function writeValue(w: ProtoWriter, value: unknown): void {
    switch (typeof value) {
        case "string":
            w.string(ValueKind.stringValue, value);
            return;
        case "number":
            if (Number.isFinite(value)) {
                w.double(ValueKind.numberValue, value);
            } else {
                w.enumValue(ValueKind.nullValue, 0); // NaN and infinities have no JSON form: null, as clean() made them
            }
            return;
        case "boolean":
            w.bool(ValueKind.boolValue, value);
            return;
        case "object":
            if (value === null) {
                w.enumValue(ValueKind.nullValue, 0);
            } else if (Array.isArray(value)) {
                const at = w.fork(ValueKind.listValue);
                writeListBody(w, value);
                w.join(at);
            } else {
                const at = w.fork(ValueKind.structValue);
                writeStructBody(w, value as Record<string, unknown>, false);
                w.join(at);
            }
            return;
        default:
            throw unexpected();
    }
}

function writeListBody(w: ProtoWriter, list: unknown[]): void {
    for (let i = 0; i < list.length; i++) {
        if (!(i in list)) {
            throw unexpected(); // a hole: google-protobuf refuses it
        }
        const item = list[i];
        const at = w.fork(ListValueFields.values);
        writeValue(w, item === undefined ? null : item);
        w.join(at);
    }
}

/** The fields of a google.protobuf.Struct: one map entry per defined member, sorted by key. */
function writeStructBody(w: ProtoWriter, obj: Record<string, unknown>, skipInternalKeys: boolean): void {
    const keys = Object.keys(obj);
    const kept: string[] = [];
    for (const key of keys) {
        if (obj[key] !== undefined && !(skipInternalKeys && key.startsWith("__"))) {
            kept.push(key);
        }
    }
    kept.sort();
    for (const key of kept) {
        const entry = w.fork(StructFields.fields);
        w.string(MapEntry.key, key);
        const value = w.fork(MapEntry.value);
        writeValue(w, obj[key]);
        w.join(value);
        w.join(entry);
    }
}

export interface WireStructOptions {
    /** Keep the `__` keys (Remediate); Analyze, AnalyzeStack and provider properties skip them. */
    keepInternalKeys?: boolean;
}

/** A google.protobuf.Struct field (tag, length, fields) for resource properties in the engine's encoding. */
export function writeStruct(w: ProtoWriter, field: number, props: Record<string, unknown>, options: WireStructOptions = {}): void {
    const at = w.fork(field);
    writeStructBody(w, props, !options.keepInternalKeys);
    w.join(at);
}

/** The bytes of a google.protobuf.Struct message on its own (what `toStruct(props).serializeBinary()` gives). */
export function structBytes(props: Record<string, unknown>, options: WireStructOptions = {}): Buffer {
    const w = new ProtoWriter(1024);
    writeStructBody(w, props, !options.keepInternalKeys);
    return w.finish();
}

function writeRepeatedString(w: ProtoWriter, field: number, values: readonly string[] | undefined): void {
    for (const v of values ?? []) {
        w.string(field, v);
    }
}

function writeNonEmpty(w: ProtoWriter, field: number, value: string | undefined): void {
    if (value) {
        w.string(field, value);
    }
}

/** AnalyzerResourceOptions as the engine sends them (custom timeouts always present, zero). */
function writeOptions(w: ProtoWriter, field: number, resource: AnalyzerResourceInput): void {
    const o = resource.options ?? {};
    const at = w.fork(field);
    if (o.protect) {
        w.bool(OptionsFields.protect, true);
    }
    writeRepeatedString(w, OptionsFields.ignoreChanges, o.ignoreChanges);
    if (o.deleteBeforeReplace) {
        w.bool(OptionsFields.deleteBeforeReplace, true);
    }
    if (o.deleteBeforeReplace !== undefined) {
        w.bool(OptionsFields.deleteBeforeReplaceDefined, true);
    }
    writeRepeatedString(w, OptionsFields.additionalSecretOutputs, o.additionalSecretOutputs);
    writeRepeatedString(w, OptionsFields.aliases, o.aliases);
    w.join(w.fork(OptionsFields.customTimeouts)); // CustomTimeouts, all zero: an empty message
    writeNonEmpty(w, OptionsFields.parent, resource.parent);
    w.join(at);
}

/**
 * Encodes requests, reusing what is identical between resources: the provider sub-message (the same
 * provider object, hence the same properties, for every resource of a stack export). Keep one encoder per
 * batch of requests built from values that do not change meanwhile; the cache is by object identity.
 */
export class RequestEncoder {
    private readonly providers = new WeakMap<object, Buffer>();
    private readonly scratch = new ProtoWriter(16 * 1024);

    private writeProvider(w: ProtoWriter, field: number, provider: NonNullable<AnalyzerResourceInput["provider"]>): void {
        const cached = this.providers.get(provider);
        if (cached) {
            w.raw(cached);
            return;
        }
        const start = w.length;
        const at = w.fork(field);
        writeNonEmpty(w, ProviderFields.type, provider.type);
        writeStruct(w, ProviderFields.properties, provider.properties ?? {});
        writeNonEmpty(w, ProviderFields.urn, provider.urn);
        writeNonEmpty(w, ProviderFields.name, provider.name);
        w.join(at);
        this.providers.set(provider, Buffer.from(w.view(start)));
    }

    /** The fields AnalyzeRequest and AnalyzerResource share (type to provider, 1 to 6). */
    private writeCommon(w: ProtoWriter, resource: AnalyzerResourceInput, keepInternalKeys: boolean): void {
        writeNonEmpty(w, AnalyzeRequestFields.type, resource.type);
        writeStruct(w, AnalyzeRequestFields.properties, resource.properties ?? {}, { keepInternalKeys });
        writeNonEmpty(w, AnalyzeRequestFields.urn, resource.urn);
        writeNonEmpty(w, AnalyzeRequestFields.name, resource.name);
        writeOptions(w, AnalyzeRequestFields.options, resource);
        if (resource.provider) {
            this.writeProvider(w, AnalyzeRequestFields.provider, resource.provider);
        }
    }

    /** The AnalyzeRequest the engine sends for Analyze (`__` keys skipped) or Remediate (kept). */
    analyzeRequest(resource: AnalyzerResourceInput, rpc: "Analyze" | "Remediate" = "Analyze"): Buffer {
        const w = this.scratch;
        const start = w.length;
        this.writeCommon(w, resource, rpc === "Remediate");
        const bytes = Buffer.from(w.view(start));
        w.reset();
        return bytes;
    }

    /** One AnalyzerResource, as a `resources` entry of an AnalyzeStackRequest. */
    writeStackResource(w: ProtoWriter, resource: AnalyzerResourceInput): void {
        const at = w.fork(AnalyzeStackRequestFields.resources);
        this.writeCommon(w, resource, false);
        writeNonEmpty(w, AnalyzerResourceFields.parent, resource.parent);
        writeRepeatedString(w, AnalyzerResourceFields.dependencies, resource.dependencies);
        const deps = resource.propertyDependencies ?? {};
        // The engine skips properties without dependencies; map entries go sorted by key.
        const keys = Object.keys(deps).filter(k => deps[k] !== undefined && deps[k].length > 0).sort();
        for (const key of keys) {
            const entry = w.fork(AnalyzerResourceFields.propertyDependencies);
            w.string(MapEntry.key, key);
            const value = w.fork(MapEntry.value);
            writeRepeatedString(w, PropertyDependenciesFields.urns, deps[key]);
            w.join(value);
            w.join(entry);
        }
        w.join(at);
    }

    /** A whole AnalyzeStackRequest. */
    analyzeStackRequest(resources: Iterable<AnalyzerResourceInput>): Buffer {
        const w = new ProtoWriter(1024 * 1024);
        for (const r of resources) {
            this.writeStackResource(w, r);
        }
        return w.finish();
    }
}
