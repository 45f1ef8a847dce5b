// Where a resource's entry is in the text of its export (SARIF regions for findings without a source position).

/** The 1-based line of each URN's own entry (`"urn": "<urn>"`) in the export text; 1 when not found. */
export function urnLines(text: string, urns: Iterable<string>): Map<string, number> {
    const offsets: Array<{ urn: string; offset: number }> = [];
    for (const urn of new Set(urns)) {
        const quoted = JSON.stringify(urn);
        let offset = -1;
        for (const key of [`"urn": ${quoted}`, `"urn":${quoted}`]) {
            offset = text.indexOf(key);
            if (offset >= 0) {
                break;
            }
        }
        offsets.push({ urn, offset });
    }
    offsets.sort((a, b) => a.offset - b.offset);
    const lines = new Map<string, number>();
    let line = 1;
    let position = 0;
    for (const { urn, offset } of offsets) {
        if (offset < 0) {
            lines.set(urn, 1);
            continue;
        }
        for (let i = text.indexOf("\n", position); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
            line++;
            position = i + 1;
        }
        lines.set(urn, line);
    }
    return lines;
}
