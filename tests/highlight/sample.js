// The steps, in order.
import { readFile } from 'fs/promises';
const fs = require('fs');

const MAX_STEPS = 16;
let count = 0x1f, ratio = 1.5e3;

class StepList extends Array {
  #secret = null;
  static of(...items) { return new StepList(...items); }
  constructor(items) {
    super();
    this.items = items ?? [];
  }
  get size() { return this.items.length; }
  keep(limit = 10) {
    return this.items.filter((i) => i.size < limit && !i.done);
  }
}

function step(list, { limit = MAX_STEPS } = {}) {
  const kept = [];
  for (const item of list) {
    if (item?.size < limit && !item.done) kept.push(item); // to do
  }
  console.log(`${kept.length} kept`, /a+b/g.test('aab'), undefined, true);
  return kept.sort((a, b) => a.name.localeCompare(b.name));
}

const helpers = {
  upper: function (s) { return s.toUpperCase(); },
  lower: (s) => s.toLowerCase(),
  name: 'helpers',
};
helpers.trim = function (s) { return s.trim(); };
var run = async () => { await readFile('x'); };
export default step;
const el = <div className="x"><span>{count}</span><Foo.Bar /></div>;
typeof window === 'undefined' && delete helpers.name;
