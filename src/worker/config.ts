/**
 * The worker's view of the settings. The settings themselves (type, defaults, ranges, which apply
 * live) are one table in src/settings/table.ts; this module passes them on, so the worker and the
 * page import the same rule.
 */
export { DEFAULT_CONFIG, LIVE_KEYS, resetKeys, type BackendChoice, type ClipKind, type OptimizerName, type PlaygroundConfig, type TaskKind } from '../settings/table';
export { clipSpecOf, initSpecOf, modelSpecOf, optimizerSpecOf, taskSpecOf, truncationOf } from '../settings/specs';
