// Run-wide checks, as a mocha root-hook plugin (loaded by .mocharc.json's `require`, so every run has them).
// Mocha runs a plugin's afterAll once after the whole run in serial mode, and in parallel mode (`--parallel`,
// what `npm test` uses) after each spec file, in the worker process that ran it. Each check therefore covers what
// the process has produced so far: after the run (serial), or after each file, in each worker (parallel). Module
// state lives on in a worker from one file to the next (mocha does not unload modules), so a worker's checks see
// every file it ran. After each root (the run, or a file in a worker), in this order:
//   1. the closers registered with closeAfterRoot run (the shared pack of tests/integration/support.ts);
//   2. no pack process this process started (engine/pack-process.ts) may still be running;
//   3. no test password (tests/support/runtime.ts's passwordsSeen) may appear in any message a policy reported
//      through tests/support/runtime.ts, whichever spec registered the password or reported the message.
// The modules these read are required only when a hook runs, and only if a spec loaded them: the plugin costs
// nothing in mocha's main process, which loads it too in parallel mode but runs no test.
import type { Context } from "mocha";

const closers = new Set<() => Promise<void>>();

/**
 * Runs `close` after the run (serial mode), or after each spec file in the worker that loaded the caller
 * (parallel mode), before the checks below. A module-level `after` would be registered on the first file's root
 * only in a parallel worker, and whatever a later file of that worker started would never be closed.
 */
export function closeAfterRoot(close: () => Promise<void>): void {
    closers.add(close);
}

/** A message that shows a test password, named by the test (or hook) that was running when it was reported. */
export interface PasswordLeak {
    password: string;
    message: string;
    reportedBy: string;
}

/**
 * The leaks among messages[fromMessage..] against every password, and among messages[..fromMessage] against
 * passwords[fromPassword..] (registered since those messages were checked): each message and password pair is
 * compared once over successive calls. `reportedBy(i)` names where message i came from.
 */
export function passwordLeaks(messages: readonly string[], passwords: readonly string[], fromMessage: number, fromPassword: number,
    reportedBy: (index: number) => string): PasswordLeak[] {
    const leaks: PasswordLeak[] = [];
    const check = (index: number, candidates: readonly string[]) => {
        for (const password of candidates) {
            if (password !== "" && messages[index].includes(password)) {
                leaks.push({ password, message: messages[index], reportedBy: reportedBy(index) });
            }
        }
    };
    for (let i = 0; i < Math.min(fromMessage, messages.length); i++) {
        check(i, passwords.slice(fromPassword));
    }
    for (let i = fromMessage; i < messages.length; i++) {
        check(i, passwords);
    }
    return leaks;
}

/** The failure for leaks: which password, in which message, reported during which test. */
export function leakError(leaks: readonly PasswordLeak[]): Error {
    const shown = leaks.slice(0, 5).map(l =>
        `a test password appeared in a violation message: ${JSON.stringify(l.password)}, reported during "${l.reportedBy}": ${JSON.stringify(l.message.slice(0, 300))}`);
    return new Error(`${shown.join("\n")}${leaks.length > 5 ? `\n...and ${leaks.length - 5} more` : ""}`);
}

/** The module `request` resolves to, if a spec has loaded it (undefined otherwise: nothing of it to check). */
function loaded<T>(request: string): T | undefined {
    return require.cache[require.resolve(request)]?.exports as T | undefined;
}

type Runtime = typeof import("./runtime");
type PackProcess = typeof import("../../engine/pack-process");

/** Where each range of messagesSeen was reported: [first index, test title], in order. */
const owners: Array<[number, string]> = [];
let checkedMessages = 0;
let checkedPasswords = 0;

function owner(index: number): string {
    let title = "module load or a hook outside any test";
    for (const [start, name] of owners) {
        if (start > index) {
            break;
        }
        title = name;
    }
    return title;
}

export const mochaHooks = {
    beforeEach(this: Context) {
        const runtime = loaded<Runtime>("./runtime");
        if (runtime) {
            owners.push([runtime.messagesSeen.length, this.currentTest?.fullTitle() ?? "a test"]);
        }
    },
    afterEach() {
        const runtime = loaded<Runtime>("./runtime");
        if (runtime) {
            owners.push([runtime.messagesSeen.length, "module load or a hook outside any test"]);
        }
    },
    async afterAll() {
        const errors: Error[] = [];
        for (const close of closers) {
            await close().catch((e: unknown) => errors.push(e instanceof Error ? e : new Error(String(e))));
        }
        const live = loaded<PackProcess>("../../engine/pack-process")?.livePackPids() ?? [];
        if (live.length > 0) {
            errors.push(new Error(`pack processes left running after the specs that started them: ${live.join(", ")} (close every session in an after hook)`));
        }
        const runtime = loaded<Runtime>("./runtime");
        if (runtime) {
            const passwords = [...runtime.passwordsSeen];
            const leaks = passwordLeaks(runtime.messagesSeen, passwords, checkedMessages, checkedPasswords, owner);
            checkedMessages = runtime.messagesSeen.length;
            checkedPasswords = passwords.length;
            if (leaks.length > 0) {
                errors.push(leakError(leaks));
            }
        }
        if (errors.length > 0) {
            throw new Error(errors.map(e => e.message).join("\n"));
        }
    },
};
