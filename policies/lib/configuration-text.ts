// Reading a broker configuration's `data` as text: plain or base64 (aws-native sends base64), ActiveMQ XML
// through a real parser (saxes, required only when a configuration is judged), RabbitMQ's cuttlefish
// `key = value` lines, and the credential scanners over both. Every function is linear in the data and
// never returns a value from it: findings name where (element and attribute, or key, and line), never what.
import type { SaxesParser } from "saxes";
import { PlainObject, readEnum, readString, UNKNOWN, Unknown } from "./values";

/** Longest data the scanners read: Amazon MQ's own revisions are far smaller; past this, only the head is read. */
export const MAX_DATA_LENGTH = 4 * 1024 * 1024;

export interface DecodedData {
    text: string;
    /** Whether the data was base64 (aws-native's form). */
    base64: boolean;
    /** Whether only the first MAX_DATA_LENGTH characters are read. */
    truncated: boolean;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

/**
 * The configuration text: base64 when the whole value is base64 and decodes to text that starts like a
 * configuration (`<` for XML, or printable text for cuttlefish); the value itself otherwise.
 */
export function decodeData(raw: string): DecodedData {
    let text = raw;
    let base64 = false;
    const trimmed = raw.trim();
    if (trimmed.length >= 8 && trimmed.length <= MAX_DATA_LENGTH * 2 && BASE64.test(trimmed)) {
        const decoded = Buffer.from(trimmed, "base64").toString("utf8");
        // Printable text only: a plain word that happens to be valid base64 decodes to binary noise.
        if (decoded.length > 0 && !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(decoded)) {
            text = decoded;
            base64 = true;
        }
    }
    const truncated = text.length > MAX_DATA_LENGTH;
    return { text: truncated ? text.slice(0, MAX_DATA_LENGTH) : text, base64, truncated };
}

// ---------------------------------------------------------------------------------------------- ActiveMQ XML

export interface XmlAttribute {
    name: string;
    value: string;
}

export interface XmlElement {
    /** Local name (without a namespace prefix). */
    name: string;
    line: number;
    depth: number;
    attributes: XmlAttribute[];
}

export interface XmlReading {
    elements: XmlElement[];
    /** Whether the data had more than MAX_ELEMENTS elements (the rest were not kept). */
    capped: boolean;
    /** The first error, when the text is not well-formed XML: its kind (never text from the data) and line. */
    error?: { reason: string; line: number; column: number };
    /**
     * The lines of comments that hold a URI with credentials: a commented-out connector is still data that every
     * revision keeps and the Amazon MQ console shows. Only the line is kept, never the comment's text.
     */
    credentialCommentLines: number[];
}

/** Elements kept for the checks; a configuration with more is read no further (and said to be). */
export const MAX_ELEMENTS = 100_000;

let saxesModule: typeof import("saxes") | undefined;

/** saxes, loaded the first time a configuration is judged: a pack on a stack without one never loads it. */
function saxes(): typeof import("saxes") {
     
    saxesModule ??= require("saxes") as typeof import("saxes");
    return saxesModule;
}

function localName(name: string): string {
    const colon = name.indexOf(":");
    return colon >= 0 ? name.slice(colon + 1) : name;
}

/**
 * The reason of a saxes error without anything quoted from the data: saxes writes `line:column: reason`, and
 * some reasons end with a name from the data (`undefined entity: x`), so only the part before a colon is kept.
 */
function errorReason(message: string): string {
    const withoutPosition = message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, "");
    const reason = withoutPosition.split(":")[0].trim().replace(/\.$/, "");
    return /^[A-Za-z][A-Za-z0-9 ,.'()-]{0,100}$/.test(reason) ? reason : "malformed XML";
}

/**
 * Parses ActiveMQ XML with saxes: streaming (no recursion, so nesting depth costs nothing), no DTD processing
 * and no entity expansion beyond XML's five predefined entities; an entity declared in a DOCTYPE is an
 * "undefined entity" error, so a billion-laughs or external-entity document is an error, not an expansion.
 * This is the pack's choice of parser, not an AWS fact: whether Amazon MQ itself accepts a DOCTYPE or custom
 * entities is not confirmed by an AWS source as of 2026-12-03 (none of the Amazon MQ configuration pages read
 * that day mention either), so a finding built on it must say "this pack cannot read", not "AWS rejects".
 */
export function readXml(text: string): XmlReading {
    // Three resource policies and a stack policy read the same data in one run: parse it once.
    if (lastXml && lastXml.text === text) {
        return lastXml.reading;
    }
    const reading = parseXml(text);
    lastXml = { text, reading };
    return reading;
}

/** The last text read and its reading (one entry: the policies judge one configuration after another). */
let lastXml: { text: string; reading: XmlReading } | undefined;

function parseXml(text: string): XmlReading {
    const { SaxesParser: Parser } = saxes();
    const parser: SaxesParser = new Parser({ position: true });
    const elements: XmlElement[] = [];
    const credentialCommentLines: number[] = [];
    let depth = 0;
    let capped = false;
    parser.on("comment", comment => {
        if (uriHasCredentials(comment)) {
            credentialCommentLines.push(parser.line);
        }
    });
    parser.on("opentag", tag => {
        depth++;
        if (elements.length >= MAX_ELEMENTS) {
            capped = true;
            return;
        }
        const attributes: XmlAttribute[] = [];
        for (const [name, value] of Object.entries(tag.attributes as Record<string, string | { value: string }>)) {
            attributes.push({ name: localName(name), value: typeof value === "string" ? value : String(value?.value ?? "") });
        }
        elements.push({ name: localName(tag.name), line: parser.line, depth, attributes });
    });
    parser.on("closetag", () => {
        depth--;
    });
    try {
        parser.write(text).close();
    } catch (e) {
        const message = e instanceof Error ? e.message : "";
        return { elements, capped, credentialCommentLines, error: { reason: errorReason(message), line: parser.line, column: parser.column } };
    }
    return { elements, capped, credentialCommentLines };
}

// ---------------------------------------------------------------------------------------------- RabbitMQ text

export interface CuttlefishSetting {
    key: string;
    value: string;
    line: number;
}

export interface CuttlefishReading {
    settings: CuttlefishSetting[];
    /** Lines that are neither `key = value`, a comment nor blank. */
    malformed: number[];
}

/** A cuttlefish key: dot-separated words of letters, digits, `_`, `-` and `$` (variables). */
const CUTTLEFISH_KEY = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/**
 * Reads RabbitMQ's cuttlefish format (rabbitmq.conf): one `key = value` per line; `#` starts a comment, on its
 * own line or after a value (cuttlefish's grammar ends a value at `#`).
 * The format is RabbitMQ's "sysctl" format (https://www.rabbitmq.com/docs/configure, "Config File Formats", read
 * 2026-12-03 through a copy of its summary: every setting on one line, each line `key = value`, lines starting
 * with `#` are comments). That `#` after a value also starts a comment rests on cuttlefish's grammar as the pack
 * recorded it: not confirmed by a page read on 2026-12-03.
 */
export function readCuttlefish(text: string): CuttlefishReading {
    const settings: CuttlefishSetting[] = [];
    const malformed: number[] = [];
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
        const hash = lines[i].indexOf("#");
        const line = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
        if (line === "") {
            continue;
        }
        const eq = line.indexOf("=");
        const key = eq > 0 ? line.slice(0, eq).trim() : "";
        const value = eq > 0 ? line.slice(eq + 1).trim() : "";
        if (!CUTTLEFISH_KEY.test(key) || value === "") {
            malformed.push(i + 1);
            continue;
        }
        settings.push({ key, value, line: i + 1 });
    }
    return { settings, malformed };
}

/** Whether a cuttlefish key matches a pattern in which `{id}` stands for any one segment. */
export function keyMatches(key: string, pattern: string): boolean {
    const k = key.toLowerCase().split(".");
    const p = pattern.toLowerCase().split(".");
    return k.length === p.length && p.every((segment, i) => segment === "{id}" || segment === k[i]);
}

// ---------------------------------------------------------------------------------------------- credentials

/** Longest user-information-and-host part of a URI the scanner reads after `://` (RFC 3986 hosts are shorter). */
const MAX_AUTHORITY = 512;

/** Characters that end a URI's authority (or the URI) in configuration text. */
const AUTHORITY_END = new Set([" ", "\t", "\r", "\n", "/", "\"", "'", "(", ")", ",", "?", "#", "<", ">"]);

/**
 * What ends a password in a URI's user information: only what cannot be inside an attribute value or a
 * `key = value` line's password. A generated password holds any printable character (`#`, `?`, `(`, `/`, `<`, ...),
 * and ActiveMQ and RabbitMQ take the text up to the last `@` of the authority as user information, so the
 * characters that end an authority before the `:` (AUTHORITY_END) do not end the password after it.
 */
const PASSWORD_END = new Set([" ", "\t", "\r", "\n", "\"", "'", ","]);

/**
 * Whether the text holds `scheme://user:password@host` (also inside ActiveMQ's `static:(...)` lists): a
 * non-empty password between the first `:` and the `@` of an authority. Before the `:`, the authority ends where
 * a URI's does (AUTHORITY_END); after it, only at PASSWORD_END, so a password with `#`, `?`, `/` or parentheses is
 * still found. What is not a password: a port followed by a query whose value holds an `@`
 * (`host:61617?jms.clientID=ops@example.com`): once a port's `?` is followed by `=`, an `@` is a query value's. A scan
 * from each `://`, at most MAX_AUTHORITY characters each, so the cost is linear whatever the text (a regular
 * expression here was quadratic on a long run of letters).
 */
function hasUriPassword(text: string): boolean {
    for (let at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
        const start = at + 3;
        const end = Math.min(text.length, start + MAX_AUTHORITY);
        let colon = -1;
        let question = false;
        // Whether what follows the `:` up to a `?` is digits: a port, so `?...=...@` is a query, not a password.
        let port = true;
        let query = false;
        for (let i = start; i < end; i++) {
            const c = text[i];
            if (c === "@") {
                if (colon >= 0 && !query && i - colon > 1 && i + 1 < text.length && !AUTHORITY_END.has(text[i + 1]) && text[i + 1] !== "@") {
                    return true;
                }
                break;
            }
            if (colon < 0) {
                if (AUTHORITY_END.has(c)) {
                    break;
                }
                if (c === ":") {
                    colon = i;
                }
                continue;
            }
            if (PASSWORD_END.has(c)) {
                break;
            }
            if (!question) {
                question = c === "?";
                port &&= question || (c >= "0" && c <= "9");
            }
            query ||= question && port && c === "=";
        }
    }
    return false;
}

/** URI option names that carry a secret (`?password=...`, `jms.password=...`, `&secret=...`), by their last dot segment. */
const SECRET_OPTIONS: ReadonlySet<string> = new Set(["password", "passwd", "pwd", "secret", "client_secret", "passphrase"]);

/** Whether the text has a URI option (after `?`, `&` or `;`) naming a secret with a non-empty value. Linear. */
function hasPasswordOption(text: string): boolean {
    if (!/[?&;]/.test(text)) {
        return false;
    }
    const tokens = text.split(/[?&;]/);
    for (let t = 1; t < tokens.length; t++) {
        const token = tokens[t];
        const eq = token.indexOf("=");
        if (eq <= 0 || eq > 200 || eq + 1 >= token.length || /[\s"')]/.test(token[eq + 1])) {
            continue;
        }
        const name = token.slice(0, eq);
        if (/[^A-Za-z0-9_.-]/.test(name)) {
            continue;
        }
        if (SECRET_OPTIONS.has(name.slice(name.lastIndexOf(".") + 1).toLowerCase())) {
            return true;
        }
    }
    return false;
}

/** Names (attribute names, last key segments) that carry a secret, by their end. */
const SECRET_NAME = /(?:password|passwd|pwd|passphrase|secret|secret_key|private_key|api_key|apikey|access_token|token|(?:^|[._-])pass)$/i;

/** Whether a text holds a URI with credentials in it (user:password@ or a password option). */
export function uriHasCredentials(text: string): boolean {
    return hasUriPassword(text) || hasPasswordOption(text);
}

export function isSecretName(name: string): boolean {
    // Only the last 40 characters can end in a secret-bearing word: a huge name costs nothing more.
    return SECRET_NAME.test(name.length > 40 ? name.slice(-40) : name);
}

/** A value that is no secret itself: empty, a `${placeholder}`, or an ARN resolved by Amazon MQ at start-up. */
export function isReference(value: string, arn: RegExp): boolean {
    const v = value.trim();
    return v === "" || /^\$\{[^}]*\}$/.test(v) || arn.test(v);
}

export interface CredentialLocation {
    /** Where, in words: `attribute uri of <networkConnector>` or `key auth_ldap.dn_lookup_bind.password`. */
    where: string;
    line: number;
    /** What kind: a URI with a password, or a secret-bearing name with a literal value. */
    kind: "uri" | "literal";
}

/** Locations a finding names before it counts the rest. */
export const MAX_LOCATIONS = 3;

/** The locations, in words, for a message: at most MAX_LOCATIONS named, the rest counted. */
export function describeLocations(locations: readonly CredentialLocation[]): string {
    const shown = locations.slice(0, MAX_LOCATIONS).map(l =>
        `line ${l.line}, ${l.where} (${l.kind === "uri" ? "a user name and password in a URI" : "a literal secret"})`);
    const more = locations.length > MAX_LOCATIONS ? `, and ${locations.length - MAX_LOCATIONS} more` : "";
    return `${shown.join("; ")}${more}`;
}

/** Longest name from the data a message shows (element, attribute or key); longer ones are cut. */
export const MAX_NAME_SHOWN = 48;

/** A name from the data as a message shows it: letters, digits and `._:$-` only (others as `?`), cut at MAX_NAME_SHOWN. */
export function nameShown(name: string): string {
    const head = name.length > MAX_NAME_SHOWN ? name.slice(0, MAX_NAME_SHOWN) : name;
    const clean = head.replace(/[^A-Za-z0-9_.:$-]/g, "?");
    return name.length > MAX_NAME_SHOWN ? `${clean}…` : clean;
}

/** Secret-looking `name="…password…"`/`password = …` pairs in a line of text that did not parse. */
const LOOSE_SECRET_PAIR = /(?:^|[\s<"'])((?:[A-Za-z0-9_.-]*)(?:password|passwd|secret|passphrase))\s*=\s*["']?([^"'\s>]*)/gi;

/** Credentials in XML that parsed: per attribute, and `name="password" value="…"` property pairs. */
function xmlCredentials({ elements, credentialCommentLines }: XmlReading, arn: RegExp): CredentialLocation[] {
    const found: CredentialLocation[] = credentialCommentLines.map(line => ({ where: "a comment", line, kind: "uri" as const }));
    for (const element of elements) {
        const tag = `<${nameShown(element.name)}>`;
        const named = element.attributes.find(a => (a.name === "name" || a.name === "key") && isSecretName(a.value.trim()));
        for (const attribute of element.attributes) {
            if (uriHasCredentials(attribute.value)) {
                found.push({ where: `attribute ${nameShown(attribute.name)} of ${tag}`, line: element.line, kind: "uri" });
            } else if (isSecretName(attribute.name) && !isReference(attribute.value, arn)) {
                found.push({ where: `attribute ${nameShown(attribute.name)} of ${tag}`, line: element.line, kind: "literal" });
            } else if (named && attribute.name === "value" && !isReference(attribute.value, arn)) {
                found.push({ where: `attribute value of ${tag} named ${nameShown(named.value.trim())}`, line: element.line, kind: "literal" });
            }
        }
    }
    if (credentialCommentLines.length > 0) {
        found.sort((a, b) => a.line - b.line);
    }
    return found;
}

/** Credentials in text that is not well-formed: line by line, URIs and `password=` pairs. */
function lineCredentials(text: string, arn: RegExp): CredentialLocation[] {
    const found: CredentialLocation[] = [];
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (uriHasCredentials(line)) {
            found.push({ where: "a URI", line: i + 1, kind: "uri" });
            continue;
        }
        for (const match of line.matchAll(LOOSE_SECRET_PAIR)) {
            if (!isReference(match[2], arn)) {
                found.push({ where: nameShown(match[1]), line: i + 1, kind: "literal" });
                break;
            }
        }
    }
    return found;
}

/**
 * Credentials in cuttlefish text: URIs with a password, and secret-bearing keys with a literal value. A URI is
 * looked for in the whole line, comment included: a password holding `#` is cut by the comment (the credential is
 * still in the data), and a commented-out URI with a password is still data every revision keeps.
 */
function cuttlefishCredentials(reading: CuttlefishReading, text: string, arn: RegExp): CredentialLocation[] {
    const found: CredentialLocation[] = [];
    const lines = text.split(/\r\n|\r|\n/);
    const settingAt = new Map(reading.settings.map(s => [s.line, s]));
    const malformed = new Set(reading.malformed);
    for (let i = 0; i < lines.length; i++) {
        const line = i + 1;
        const setting = settingAt.get(line);
        const raw = lines[i];
        if (setting) {
            const { key, value } = setting;
            if (uriHasCredentials(value) || (raw.includes("#") && uriHasCredentials(raw))) {
                found.push({ where: `key ${nameShown(key)}`, line, kind: "uri" });
            } else if (isSecretName(key) && !isReference(value, arn)) {
                found.push({ where: `key ${nameShown(key)}`, line, kind: "literal" });
            }
        } else if ((malformed.has(line) || raw.includes("#")) && uriHasCredentials(raw)) {
            found.push({ where: malformed.has(line) ? "a URI" : "a comment", line, kind: "uri" });
        }
    }
    return found;
}

export type DataFormat = "xml" | "cuttlefish";

/** The format of the text: by the engine when known, else XML when it starts with `<`. */
export function formatOf(engine: "ActiveMQ" | "RabbitMQ" | undefined, text: string): DataFormat {
    if (engine === "ActiveMQ") {
        return "xml";
    }
    if (engine === "RabbitMQ") {
        return "cuttlefish";
    }
    return text.trimStart().startsWith("<") ? "xml" : "cuttlefish";
}

/** Every place in the configuration text that holds a credential, in line order. */
export function credentialLocations(format: DataFormat, text: string, arn: RegExp): CredentialLocation[] {
    if (format === "xml") {
        const reading = readXml(text);
        return reading.error ? lineCredentials(text, arn) : xmlCredentials(reading, arn);
    }
    return cuttlefishCredentials(readCuttlefish(text), text, arn);
}

export type ConfigurationEngine = "ActiveMQ" | "RabbitMQ";

export type ConfigurationData =
    | { state: "unknown" }
    | { state: "absent" }
    | { state: "present"; engine: ConfigurationEngine | undefined; format: DataFormat; decoded: DecodedData };

/** A configuration's engine (engineType, case-insensitive), undefined when absent or another value. */
export function configurationEngine(configuration: PlainObject): ConfigurationEngine | undefined | Unknown {
    const engine = readEnum(configuration, "engineType");
    if (engine === UNKNOWN) {
        return UNKNOWN;
    }
    return engine === "ACTIVEMQ" ? "ActiveMQ" : engine === "RABBITMQ" ? "RabbitMQ" : undefined;
}

/**
 * A configuration's `data` as text to scan: unknown during preview (or a redacted secret), absent, or present
 * with its engine and format. An unknown engine reads as undefined here: the text decides the format.
 *
 * Absent: @pulumi/aws requires `data` (`data: pulumi.Input<string>`, not optional, in @pulumi/aws 7.48.0
 * mq/configuration.d.ts; `Required: true` in terraform-provider-aws internal/service/mq/configuration.go; both read
 * 2026-12-03). In @pulumi/aws-native it is optional ("Data ... Required: No"), and a
 * configuration created without it is one for which "Amazon MQ uses the default configuration (the engine type
 * and version)" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-configuration.html,
 * read 2026-12-03): no text of the user's to judge.
 */
export function configurationData(configuration: PlainObject): ConfigurationData {
    const raw = readString(configuration, "data");
    if (raw === UNKNOWN) {
        return { state: "unknown" };
    }
    if (raw === undefined) {
        return { state: "absent" };
    }
    const decoded = decodeData(raw);
    const engine = configurationEngine(configuration);
    const known = engine === UNKNOWN ? undefined : engine;
    return { state: "present", engine: known, format: formatOf(known, decoded.text), decoded };
}
