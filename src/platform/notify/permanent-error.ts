/** A send failure a retry cannot mend (no session bus, a 4xx answer): the alerter reports it and stops retrying. */
export class PermanentSendError extends Error {}
