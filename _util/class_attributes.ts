/**
 * Python's class attributes on TypeScript classes.
 *
 * In Python, `Handler.protocol_version = "HTTP/1.1"` changes what every
 * instance of `Handler`, and of its subclasses that set none of their own,
 * reads. Here the defaults live on the prototype (so a subclass's field or
 * an instance's assignment still overrides them), and the class gets a
 * static accessor per name that reads and writes the prototype of the class
 * it is used on, so the same assignment works the same way. A subclass may
 * also give one as a static field (`static override timeout = 5`, the
 * spelling closest to Python's class body): such a field hides the
 * accessor, so the classes' constructors call {@linkcode adoptClassFields},
 * which moves it to the prototype the first time the class is used.
 *
 * @module
 */

/** Every class that declared class attributes, with their names. */
const declared = new WeakMap<object, readonly string[]>();
/** The classes whose static fields were adopted already. */
const adopted = new WeakSet<object>();

function accessor(name: string): PropertyDescriptor {
  return {
    configurable: true,
    get(this: { prototype: Record<string, unknown> }): unknown {
      return this.prototype[name];
    },
    set(this: { prototype: Record<string, unknown> }, value: unknown): void {
      this.prototype[name] = value;
    },
  };
}

/**
 * Puts `defaults` on `cls.prototype` and gives `cls` a static accessor for
 * each of their names, as described in the module doc.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { classAttributes } from "./class_attributes.ts";
 * class Base {
 *   declare greeting: string;
 *   declare static greeting: string;
 *   static {
 *     classAttributes(this, { greeting: "hello" });
 *   }
 * }
 * class Loud extends Base {}
 * Loud.greeting = "HELLO";
 * equal(new Loud().greeting, "HELLO");
 * equal(new Base().greeting, "hello");
 * ```
 */
export function classAttributes<T extends object>(
  cls: { prototype: T },
  defaults: Partial<T>,
): void {
  Object.assign(cls.prototype, defaults);
  const names = Object.keys(defaults);
  for (const name of names) Object.defineProperty(cls, name, accessor(name));
  declared.set(cls, [...(declared.get(cls) ?? []), ...names]);
}

/**
 * Makes the class attributes that `cls` or its ancestors give as static
 * fields (`static override timeout = 5`) what their instances read, as
 * Python's class body does: each field's value goes to its class's
 * prototype, and the class gets the accessor back, so that a later
 * assignment (`Handler.timeout = 9`) still reaches its instances. Done
 * once per class; constructors call it with `new.target`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { adoptClassFields, classAttributes } from "./class_attributes.ts";
 * class Base {
 *   declare greeting: string;
 *   declare static greeting: string;
 *   static {
 *     classAttributes(this, { greeting: "hello" });
 *   }
 *   constructor() {
 *     adoptClassFields(new.target);
 *   }
 * }
 * class Loud extends Base {
 *   static override greeting = "HELLO";
 * }
 * equal(new Loud().greeting, "HELLO");
 * Loud.greeting = "HEY";
 * equal(new Loud().greeting, "HEY");
 * equal(new Base().greeting, "hello");
 * ```
 */
export function adoptClassFields(cls: object): void {
  if (adopted.has(cls)) return;
  const chain: { prototype: Record<string, unknown> }[] = [];
  for (
    let c = cls as { prototype: Record<string, unknown> } | null;
    c !== null && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    chain.push(c);
  }
  const names = chain.flatMap((c) => declared.get(c) ?? []);
  // From the base down, so a subclass's field lands on its own prototype.
  for (const c of chain.reverse()) {
    if (adopted.has(c)) continue;
    adopted.add(c);
    for (const name of names) {
      const own = Object.getOwnPropertyDescriptor(c, name);
      if (own === undefined || !("value" in own)) continue;
      Object.defineProperty(c, name, accessor(name));
      c.prototype[name] = own.value;
    }
  }
}
