// Is dist/ older than the TypeScript it is compiled from? Used by scripts/pack-entry.js (the checkout's pack entry:
// rebuild or fail before a stale dist/ runs) and scripts/prepare.js (do not recompile a current dist/).
//
// A source is stale when its compiled file is missing or older (modification time) than it. tsc rewrites every
// output on each build, so after a build every output is newer than every source it read. A tree with no sources
// (an installed tarball ships only dist/) is never stale, and neither is one extracted from a tarball: npm pack
// gives every file the same time.
"use strict";
const fs = require("fs");
const path = require("path");

/** The sources whose compiled files the pack loads: index.ts and policies/**. */
const PACK_SOURCES = ["index.ts", "policies"];
/** Everything tsconfig.json compiles. */
const ALL_SOURCES = ["index.ts", "library.ts", "policies", "engine", "cli"];

/** The .ts files (not .d.ts) under `entry` (a file or a folder), relative to `root`. */
function sourcesUnder(root, entry, into = []) {
    let entries;
    try {
        entries = fs.readdirSync(path.join(root, entry), { withFileTypes: true });
    } catch (error) {
        if (error.code === "ENOTDIR") {
            into.push(entry);
        } else if (error.code !== "ENOENT") {
            throw error;
        }
        return into;
    }
    for (const item of entries) {
        const rel = path.join(entry, item.name);
        if (item.isDirectory()) {
            sourcesUnder(root, rel, into);
        } else if (item.name.endsWith(".ts") && !item.name.endsWith(".d.ts")) {
            into.push(rel);
        }
    }
    return into;
}

function mtime(file) {
    try {
        return fs.statSync(file).mtimeMs;
    } catch (error) {
        if (error.code === "ENOENT") {
            return undefined;
        }
        throw error;
    }
}

/**
 * The first source under `root` whose compiled file in `root/dist` is missing or older, with the reason; undefined
 * when dist/ is current. `entries` are the files and folders to check (PACK_SOURCES by default).
 */
function staleSource(root, entries = PACK_SOURCES) {
    for (const entry of entries) {
        for (const source of sourcesUnder(root, entry)) {
            const compiled = path.join(root, "dist", source.replace(/\.ts$/, ".js"));
            const built = mtime(compiled);
            if (built === undefined) {
                return { source, reason: `dist/${source.replace(/\.ts$/, ".js")} is missing` };
            }
            const edited = mtime(path.join(root, source));
            if (edited !== undefined && edited > built) {
                return { source, reason: `${source} changed after dist/ was built` };
            }
        }
    }
    return undefined;
}

module.exports = { ALL_SOURCES, PACK_SOURCES, sourcesUnder, staleSource };
