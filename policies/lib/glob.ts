// `exclude` entries: resource names or URN globs where `*` matches any run of characters.
// Matched without building a regular expression, in time linear in name and pattern (no backtracking
// blow-up whatever a user writes).

/** Whether `text` matches `pattern`, where `*` matches any (possibly empty) run of characters. */
export function globMatches(pattern: string, text: string): boolean {
    let p = 0;
    let t = 0;
    let starP = -1;
    let starT = 0;
    while (t < text.length) {
        if (p < pattern.length && pattern[p] === "*") {
            starP = p++;
            starT = t;
        } else if (p < pattern.length && pattern[p] === text[t]) {
            p++;
            t++;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.length && pattern[p] === "*") {
        p++;
    }
    return p === pattern.length;
}

/** The resource name at the end of a URN (`urn:pulumi:stack::project::type::name`). */
export function nameFromUrn(urn: string): string {
    const at = urn.lastIndexOf("::");
    return at >= 0 ? urn.slice(at + 2) : urn;
}

/**
 * Whether a resource is exempted by an `exclude` list. An entry that starts with `urn:` is matched
 * against the URN, any other entry against the resource name.
 */
export function isExcluded(exclude: unknown, name: string, urn: string): boolean {
    if (!Array.isArray(exclude)) {
        return false;
    }
    return exclude.some(entry =>
        typeof entry === "string" && globMatches(entry, entry.startsWith("urn:") ? urn : name));
}
