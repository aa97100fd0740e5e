// Module-level zod schemas, built on first use instead of at module load.
//
// The Temporal worker gives every workflow its own instance of every module the workflow code imports (so one
// workflow cannot see another's state): each unit workflow created — at the start of a cycle, and again on every
// cache miss — evaluated all our schema modules, about 30 ms of CPU and 1.3 MiB of heap (bench/README.md,
// bench:workflow-memory), though update validators run only when an update arrives and never on replay.
// `lazy(() => z.…)` stands for the schema it builds: every use (parse, shape, extend, instanceof, nesting in
// another schema) builds it once, then forwards to it, so call sites and types stay as they were.
//
// One thing tells a stand-in from its schema: identity. zod's JSON Schema generator keys what it has seen by the
// schema object, while each schema's own code knows itself, not its stand-in. So a schema, once built, has every
// stand-in nested in it replaced by the real schema (`realize`), and `z.toJSONSchema` is given `unlazy(schema)`.

const standIns = new WeakMap<object, () => object>();

/** A stand-in for the object `build` returns, built on the first use of any of its properties. */
export function lazy<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => {
    if (built === undefined) {
      built = build();
      realize(built);
    }
    return built;
  };
  const standIn = new Proxy({} as T, {
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
  standIns.set(standIn, real);
  return standIn;
}

/** The schema itself for a stand-in made by `lazy` (built now if it was not), anything else as it is. */
export function unlazy<T>(value: T): T {
  const real = typeof value === 'object' && value !== null ? standIns.get(value) : undefined;
  return real ? (real() as T) : value;
}

interface ZodLike {
  _zod: { def: Record<string, unknown> };
}
const isSchema = (v: unknown): v is ZodLike => typeof v === 'object' && v !== null && '_zod' in v && typeof (v as ZodLike)._zod?.def === 'object';

/**
 * Replaces, in place, every stand-in nested in `schema` (object shapes, array elements, union options, wrapped
 * and piped types…) by its schema, through the whole graph; returns the schema itself for a stand-in.
 */
export function realize<T>(schema: T, seen = new WeakSet<object>()): T {
  const top = unlazy(schema);
  if (!isSchema(top) || seen.has(top)) return top;
  seen.add(top);
  const def = top._zod.def;
  // own names, not keys: an object's shape is a non-enumerable accessor until first read
  for (const key of Object.getOwnPropertyNames(def)) {
    const value = def[key];
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isSchema(item)) replace(value, i, realize(item, seen));
      });
    } else if (isSchema(value)) {
      replace(def, key, realize(value, seen));
    } else if (key === 'shape' && typeof value === 'object' && value !== null) {
      const shape = value as Record<string, unknown>;
      for (const field of Object.keys(shape)) if (isSchema(shape[field])) replace(shape, field, realize(shape[field], seen));
    }
  }
  return top;
}

/** Writes `value` where it differs and the property can be written (zod freezes nothing we replace today). */
function replace(holder: object, key: string | number, value: unknown): void {
  const d = Object.getOwnPropertyDescriptor(holder, key);
  if ((holder as Record<string | number, unknown>)[key] !== value && d?.writable) (holder as Record<string | number, unknown>)[key] = value;
}
