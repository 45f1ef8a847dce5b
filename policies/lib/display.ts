// How a value the user wrote appears in a message: as written, but bounded, so a huge input (a
// 100,000-character string) never turns into a huge message. Only for values that may be shown at all:
// passwords and secrets are never shown, whatever their length.

/** Characters of a value a message shows before it is cut. */
export const MAX_SHOWN_LENGTH = 80;

/** The value as written when short; otherwise its first MAX_SHOWN_LENGTH characters and its length. */
export function shown(text: string, max = MAX_SHOWN_LENGTH): string {
    if (text.length <= max) {
        return text;
    }
    let cut = text.slice(0, max);
    // Never end on half of a surrogate pair.
    if (/[\ud800-\udbff]$/.test(cut)) {
        cut = cut.slice(0, -1);
    }
    return `${cut}… (${text.length} characters)`;
}

/**
 * Whether a name (a username) may be shown in a message about an account: not when it equals, contains or
 * is contained in any of the broker's passwords (ignoring case), because showing it would show (part of)
 * that password.
 */
export function showsNoPassword(name: string, passwords: readonly (string | undefined)[]): boolean {
    const lowered = name.trim().toLowerCase();
    return lowered !== "" && !passwords.some(p =>
        typeof p === "string" && p !== "" && (p.toLowerCase().includes(lowered) || lowered.includes(p.toLowerCase())));
}
