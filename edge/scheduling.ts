// Sharing the one thread: long work inside the Worker (the offline renderer, storing a batch's
// outputs) awaits this between its steps so that waiting requests are served in between.
// A timer, not a resolved promise: only an empty task queue lets the runtime take in new
// connections, and locally every binding (D1, R2, the Durable Objects) answers in-process, so
// awaiting them alone never does.
export const yieldToRequests = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
