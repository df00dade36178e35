#!/bin/sh
# The runs behind the README's solver tables (issue 12): every seed 1-5, bound and gap, warm re-solves.
#   bound-bench.sh [JUNKAI]   (default ../../.build/release/junkai); CP-SAT numbers come from reference.json.
set -e
cd "$(dirname "$0")"
J=${1:-../../.build/release/junkai}
mkdir -p out/tables
for s in 1 4 5; do
  python3 generate.py --preset mid --seed $s -o out/instances/mid-s$s.instance.json
  python3 run.py --junkai "$J" --no-cpsat --instances out/instances/mid-s$s.instance.json --junkai-seconds 30 \
    --results out/tables/mid-s$s.md
done
python3 warm.py --junkai "$J" --instances nara-q1,region150-s1 --fresh-seconds 30 --warm-seconds 2 --seeds 1,2,3 \
  --base-seeds 1,2,3 --out out/tables/warm.md
python3 run.py --junkai "$J" --no-cpsat --instances tiny,nara-q1,nara,nara-s1-replan,region150,fy110 --results out/tables/main.md
python3 generate.py --preset national --seed 1 -o out/instances/national-s1.instance.json
python3 run.py --junkai "$J" --no-cpsat --instances out/instances/national-s1.instance.json --junkai-seconds 120 \
  --results out/tables/national.md
