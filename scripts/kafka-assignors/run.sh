#!/usr/bin/env bash
# Regenerates tests/fixtures/kafka_assignors/ from Kafka's own Java assignors, which
# tests/assignors/kafka_fixture.rs then compares the Rust port with, case by case:
#
#   bash scripts/kafka-assignors/run.sh KAFKA_GIT_DIR [REV]
#
# KAFKA_GIT_DIR is a clone (or bare repository) of apache/kafka; REV defaults to 1eb7644, the
# revision the port follows. Needs a JDK (javac, java) and python3. Kafka's clients sources are
# compiled as they are, with stubs for what the assignors do not use (slf4j, Utils, the consumer
# group metadata) and the user-data codec of CooperativeStickyAssignor cut out: the cases give the
# generation in the subscription (protocol v2+), as the port does.
set -euo pipefail
kafka=$1
rev=${2:-1eb7644349cb07139d6a3c1ad1986979647cac99}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../tests/fixtures/kafka_assignors
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git -C "$kafka" archive "$rev" clients/src/main/java | tar -x -C "$work"
src=$work/clients/src/main/java
cp -r "$here/stub" "$work/stub"
python3 - "$src" "$work/stub" <<'PY'
import sys
src, stub = sys.argv[1], sys.argv[2]
path = "org/apache/kafka/clients/consumer/CooperativeStickyAssignor.java"
s = open(f"{src}/{path}").read()
for t in ["Field", "Schema", "Struct", "Type"]:
    s = s.replace(f"import org.apache.kafka.common.protocol.types.{t};\n", "")
def cut(s, start, end, by=""):
    a, b = s.index(start), s.index(end)
    return s[:a] + by + s[b:]
s = cut(s, "    // these schemas are used", "    private int generation = DEFAULT_GENERATION;")
s = cut(s, "    @Override\n    public ByteBuffer subscriptionUserData", "    @Override\n    protected MemberData memberData")
s = cut(s, "        ByteBuffer buffer = subscription.userData();",
        "        return new MemberData(subscription.ownedPartitions(), encodedGeneration",
        "        Optional<Integer> encodedGeneration = Optional.empty(); // no user data\n")
open(f"{stub}/{path}", "w").write(s)
PY
mkdir -p "$work/classes" "$out"
javac -nowarn -d "$work/classes" -sourcepath "$work/stub:$src" "$here/Driver.java"
python3 "$here/gen.py" 1 400 > "$out/cases.txt"
java -cp "$work/classes" Driver < "$out/cases.txt" > "$out/expected.txt"
echo "wrote $(grep -c '^E$' "$out/cases.txt") cases to $out"
