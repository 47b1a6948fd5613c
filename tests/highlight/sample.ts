// Typed steps.
interface Item { name: string; size: number; done?: boolean }
type Pair<T> = [T, T];
enum Mood { Calm, Busy = 2 }

export abstract class Base<T extends Item> implements Iterable<T> {
  private readonly items: T[] = [];
  protected static count: number = 0;
  constructor(public name: string) { super(); }
  abstract keep(limit: number): T[];
  *[Symbol.iterator](): Iterator<T> { yield* this.items; }
}

declare module 'steps' { export function go(): void; }
namespace Steps { export const MAX = 16; }

export const step = <T extends Item>(items: T[], limit = 10): T[] =>
  items.filter((i) => i.size < limit && !i.done);

function isItem(x: unknown): x is Item {
  return typeof x === 'object' && x !== null && 'name' in x;
}
let p: Pair<number> = [1, 2] as const satisfies readonly number[];
const m = new Map<string, Item | undefined>();
m.set('a', { name: 'a', size: 1 } as Item);
let v: any = null!; let u: unknown; let n: never;
