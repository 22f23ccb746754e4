/**
 * Python's class attributes on TypeScript classes.
 *
 * In Python, `Handler.protocol_version = "HTTP/1.1"` changes what every
 * instance of `Handler`, and of its subclasses that set none of their own,
 * reads. Here the defaults live on the prototype (so a subclass's field or
 * an instance's assignment still overrides them), and the class gets a
 * static accessor per name that reads and writes the prototype of the class
 * it is used on, so the same assignment works the same way.
 *
 * @module
 */

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
  for (const name of Object.keys(defaults)) {
    Object.defineProperty(cls, name, {
      configurable: true,
      get(this: { prototype: Record<string, unknown> }): unknown {
        return this.prototype[name];
      },
      set(this: { prototype: Record<string, unknown> }, value: unknown): void {
        this.prototype[name] = value;
      },
    });
  }
}
