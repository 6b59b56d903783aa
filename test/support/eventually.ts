/** Polls `probe` until `accept` holds or `withinMs` passes, and answers the last value either way. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, withinMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
