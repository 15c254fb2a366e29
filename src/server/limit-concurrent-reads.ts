/** How many request bodies may be read at once before anyone is authenticated. */
export interface ReadGate {
  /** A release function when a slot is free, undefined when all are taken (answer 503). */
  tryEnter(): (() => void) | undefined;
}

/**
 * Bounds the unauthenticated webhook body reads in flight: each may hold up to the body limit in
 * memory until its signature is checked, so N slots bound that memory to N × limit.
 */
export function limitConcurrentReads(slots: number): ReadGate {
  let inFlight = 0;
  return {
    tryEnter() {
      if (inFlight >= slots) return undefined;
      inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
      };
    },
  };
}
