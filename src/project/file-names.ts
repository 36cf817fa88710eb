/**
 * The names of the files wit-deps keeps in a project (a leaf: the error texts and the modules
 * that write these files both import it). Pure.
 */

/** The journal's file name, in the project folder (next to `wkg.lock`). */
export const JOURNAL_FILE = '.wit-deps-journal.json';
/** Prefix of staging folders, made next to `wit/deps` (inside the WIT folder). */
export const STAGE_PREFIX = '.wit-deps-stage-';
/** The project lock's file name, in the project folder. */
export const PROJECT_MUTEX_FILE = '.wit-deps.lock';
