// `exclude` entries: resource names or URN globs where `*` matches any run of characters.
// Matched without building a regular expression and without backtracking: the text between stars is
// found left to right with indexOf, so a long pattern against a long name stays fast whatever a user writes.

/** Whether `text` matches `pattern`, where `*` matches any (possibly empty) run of characters. */
export function globMatches(pattern: string, text: string): boolean {
    const parts = pattern.split("*");
    if (parts.length === 1) {
        return pattern === text;
    }
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) {
        return false;
    }
    // Each run between two stars at its leftmost place after the previous one: if any placement fits,
    // the leftmost does, since it leaves the most text for the rest.
    let position = first.length;
    const end = text.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
        const part = parts[i];
        if (part === "") {
            continue;
        }
        const at = text.indexOf(part, position);
        if (at < 0 || at + part.length > end) {
            return false;
        }
        position = at + part.length;
    }
    return true;
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
