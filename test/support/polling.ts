// Waiting for work the server does in the background (restores, backups, exports, imports).

const pollIntervalMs = 10;

/** Reads every 10 ms until `done` holds for the answer and returns it; throws `timeoutMessage` after `attempts` reads. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMessage: string, attempts = 1000): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  throw new Error(timeoutMessage);
}
