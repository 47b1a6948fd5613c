"""The steps of the guide, kept small."""
from __future__ import annotations
import re
from dataclasses import dataclass

MAX_STEPS = 16
_pattern = re.compile(r"^\d+$")


@dataclass
class Step:
    name: str
    size: int = 0
    done: bool = False

    def keep(self, limit: int = 10) -> bool:
        return self.size < limit and not self.done

    @property
    def title(self):
        return f"{self.name!r}: {self.size:>4}"


def steps(items, *args, limit=MAX_STEPS, **kw):
    kept = [i for i in items if i.keep(limit)]
    print(len(kept), isinstance(kept, list), None, True, False)
    try:
        value = int("12") ** 2 // 3
    except (ValueError, TypeError) as err:
        raise RuntimeError("bad") from err
    finally:
        pass
    lam = lambda x: x + 1.5e-3
    async def later():
        await something()
    with open("f.txt") as f, Step("x") as s:
        yield from f
    global counter
    del kw["x"]
    return {k: v for k, v in kw.items()} if kept else ...
