/** The variable naming the extra CA file (kept apart so that naming it loads nothing). */
export const CA_VARIABLE = 'NODE_EXTRA_CA_CERTS';
