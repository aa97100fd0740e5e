// Module-level zod schemas, built on first use instead of at module load.
//
// The Temporal worker gives every workflow its own instance of every module the workflow code imports (so one
// workflow cannot see another's state): each unit workflow created — at the start of a cycle, and again on every
// cache miss — evaluated all our schema modules, about 30 ms of CPU and 1 MiB of heap (bench/README.md,
// bench:workflow-memory), though update validators run only when an update arrives and never on replay.
// `lazy(() => z.…)` stands for the schema it builds: every use (parse, shape, extend, instanceof, nesting in
// another schema) builds it once, then forwards to it, so call sites and types stay as they were.

/** A stand-in for the object `build` returns, built on the first use of any of its properties. */
export function lazy<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= build());
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(real(), key, real()),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // a proxy may not report a property non-configurable unless its (empty) target has it so
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
