/** How long closing a session waits for a title still being made (title.ts). */
export const TITLE_GRACE_MS = 300;
