// `exemptions`: exceptions with a reason and an expiry, beside `exclude` (which skips a resource forever,
// silently). Pure functions: validation of the entries, and the state of an entry on a given day. "Today" is
// always a parameter (a UTC calendar date), so tests choose it; the policies pass the real UTC date.
import { shown } from "./display";
import { globMatches } from "./glob";

/** One exemption as written in the policy config. */
export interface Exemption {
    /** Resource names or URN globs, matched as `exclude` entries are. */
    resources: string[];
    /** Why, and who granted it (a ticket): required, shown in every report. */
    reason: string;
    /** The first day (UTC, YYYY-MM-DD) the exemption no longer holds. */
    expires: string;
}

export type ExemptionStatus = "valid" | "expiring" | "expired";

export const DEFAULT_MAXIMUM_EXEMPTION_DAYS = 365;
export const DEFAULT_EXEMPTION_WARNING_DAYS = 14;
/** Characters of a reason a message or report shows. */
export const MAX_REASON_SHOWN = 200;
/** The longest reason accepted: a ticket and a sentence, not a document. */
export const MAX_REASON_LENGTH = 1000;
/** Errors listed before the rest are counted: a config with 10,000 broken entries gives one bounded message. */
const MAX_ERRORS = 5;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since the epoch of an ISO calendar date, or undefined when it is not one (2027-02-30, 27-1-1). */
export function parseIsoDate(text: unknown): number | undefined {
    if (typeof text !== "string") {
        return undefined;
    }
    const m = ISO_DATE.exec(text);
    if (!m) {
        return undefined;
    }
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(year, month - 1, day);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
        return undefined;
    }
    return Math.round(ms / DAY_MS);
}

/** Today's UTC date as YYYY-MM-DD. */
export function utcToday(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** The entries of a config value that are well formed (validation reports the others). */
export function exemptionsOf(value: unknown): Exemption[] {
    if (!Array.isArray(value)) {
        return [];
    }
    return value.filter((e): e is Exemption =>
        typeof e === "object" && e !== null && Array.isArray(e.resources) && e.resources.length > 0 &&
        e.resources.every((r: unknown) => typeof r === "string" && r !== "") &&
        typeof e.reason === "string" && e.reason.trim() !== "" && e.reason.length <= MAX_REASON_LENGTH &&
        parseIsoDate(e.expires) !== undefined);
}

function whole(value: unknown, fallback: number): number {
    return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/**
 * Errors in an `exemptions` list, each naming the entry by index: a missing or empty reason, a malformed
 * date, an expiry more than `maximumDays` after `today`. Values are never quoted beyond a bounded date.
 */
export function exemptionErrors(value: unknown, today: string, maximumDays: unknown = DEFAULT_MAXIMUM_EXEMPTION_DAYS): string[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        return ["exemptions must be a list of {resources, reason, expires} entries"];
    }
    const maximum = whole(maximumDays, DEFAULT_MAXIMUM_EXEMPTION_DAYS);
    const todayDays = parseIsoDate(today) ?? Math.floor(Date.now() / DAY_MS);
    const errors: string[] = [];
    value.forEach((entry, index) => {
        const at = `exemptions[${index}]`;
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
            errors.push(`${at} must be an object {resources, reason, expires}`);
            return;
        }
        const e = entry as Record<string, unknown>;
        const unknownKeys = Object.keys(e).filter(k => !["resources", "reason", "expires"].includes(k));
        if (unknownKeys.length > 0) {
            errors.push(`${at} has settings other than resources, reason and expires (${unknownKeys.length} unknown)`);
        }
        if (!Array.isArray(e.resources) || e.resources.length === 0 ||
            !e.resources.every(r => typeof r === "string" && r !== "")) {
            errors.push(`${at}.resources must be a non-empty list of resource names or URN globs`);
        }
        if (typeof e.reason !== "string" || e.reason.trim() === "") {
            errors.push(`${at}.reason is required: say why the exemption was granted and by whom (a ticket)`);
        } else if (e.reason.length > MAX_REASON_LENGTH) {
            errors.push(`${at}.reason is ${e.reason.length} characters; at most ${MAX_REASON_LENGTH}`);
        }
        const expires = parseIsoDate(e.expires);
        if (e.expires === undefined) {
            errors.push(`${at}.expires is required: the date (YYYY-MM-DD) the exemption ends`);
        } else if (expires === undefined) {
            errors.push(`${at}.expires is not a calendar date in the form YYYY-MM-DD`);
        } else if (expires - todayDays > maximum) {
            errors.push(`${at}.expires (${e.expires}) is ${expires - todayDays} days away; ` +
                `at most ${maximum} (maximumExemptionDays) after today (${today})`);
        }
    });
    if (errors.length > MAX_ERRORS) {
        return [...errors.slice(0, MAX_ERRORS), `and ${errors.length - MAX_ERRORS} more exemption errors`];
    }
    return errors;
}

/** An entry's state on `today`: valid, expiring (within `warningDays` of the end), or expired (on and after). */
export function exemptionStatus(entry: Pick<Exemption, "expires">, today: string,
    warningDays: unknown = DEFAULT_EXEMPTION_WARNING_DAYS): ExemptionStatus {
    const expires = parseIsoDate(entry.expires);
    const now = parseIsoDate(today);
    if (expires === undefined || now === undefined || now >= expires) {
        return "expired";
    }
    return expires - now <= whole(warningDays, DEFAULT_EXEMPTION_WARNING_DAYS) ? "expiring" : "valid";
}

/** Whether an entry names the resource: an entry starting with `urn:` matches the URN, any other the name. */
export function exemptionMatches(entry: Pick<Exemption, "resources">, name: string, urn: string): boolean {
    return entry.resources.some(p => typeof p === "string" && globMatches(p, p.startsWith("urn:") ? urn : name));
}

const RANK: Record<ExemptionStatus, number> = { valid: 0, expiring: 1, expired: 2 };

/**
 * The entry that decides for a resource, among those that name it: the one in force longest (valid before
 * expiring before expired, then the latest expiry). Undefined when none names it.
 */
export function exemptionFor(entries: readonly Exemption[], name: string, urn: string, today: string,
    warningDays?: unknown): { entry: Exemption; status: ExemptionStatus } | undefined {
    let best: { entry: Exemption; status: ExemptionStatus } | undefined;
    for (const entry of entries) {
        if (!exemptionMatches(entry, name, urn)) {
            continue;
        }
        const status = exemptionStatus(entry, today, warningDays);
        if (!best || RANK[status] < RANK[best.status] ||
            (RANK[status] === RANK[best.status] && entry.expires > best.entry.expires)) {
            best = { entry, status };
        }
    }
    return best;
}

/** The reason as messages show it: bounded, on one line. */
export function shownReason(reason: string): string {
    return shown(reason.replace(/\s+/g, " ").trim(), MAX_REASON_SHOWN);
}

/** The not-applicable reason of an exempted resource. */
export function exemptedMessage(entry: Exemption): string {
    return `exempted until ${entry.expires}: ${shownReason(entry.reason)}`;
}

/** The advisory notice of an exemption within its warning window. */
export function expiringMessage(entry: Exemption, today: string): string {
    const days = (parseIsoDate(entry.expires) ?? 0) - (parseIsoDate(today) ?? 0);
    return `exemption expires on ${entry.expires} (in ${days === 1 ? "1 day" : `${days} days`}): ${shownReason(entry.reason)}. ` +
        "Fix the finding or renew the exemption (a new expires date) in the policy config before then.";
}

/** A finding that came back because its exemption ended. */
export function expiredMessage(entry: Exemption, message: string): string {
    return `exemption expired on ${entry.expires}: ${message}`;
}
