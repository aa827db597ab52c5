/**
 * Whether a source may hold a comparison block (a ```compare or ~~~compare
 * fence): the cheap check the plugin makes, and the one the build makes to
 * key such posts by the model data. Its own module, so the build reads it
 * without loading the plugin.
 */
export const COMPARE_FENCE = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*compare\b/m
