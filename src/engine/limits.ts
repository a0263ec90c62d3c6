/**
 * The largest model the playground builds, in one place: the settings table offers these ranges
 * and the model-file reader refuses files beyond them, so a link, a control and a loaded file
 * agree on what is too big. (A model inside them can still cost too much per step for some
 * sequence lengths: the settings' cost check says so before a run starts.)
 */

/** H: units in the hidden state of each layer and direction. */
export const MAX_HIDDEN_SIZE = 512;
/** Stacked recurrent layers. */
export const MAX_LAYERS = 4;
