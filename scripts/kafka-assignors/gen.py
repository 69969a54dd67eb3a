"""Random assignor cases for Driver.java (see run.sh): usage gen.py SEED COUNT."""
import random
import sys

random.seed(int(sys.argv[1]))
out = []
for _ in range(int(sys.argv[2])):
    kind = random.choice(["range", "roundrobin", "sticky", "sticky", "sticky"])
    nt = random.randint(1, 3)
    counts = [random.choice([0] + list(range(1, 13))) for _ in range(nt)]
    k = random.randint(1, 8) if random.random() < 0.8 else random.randint(9, 20)
    ids = set()
    while len(ids) < k:
        if random.random() < 0.7:
            ids.add("".join(random.choice("ab-01") for _ in range(random.randint(1, 4))))
        else:
            ids.add(random.choice(["consumer%d", "consumer-%d", "c-%d"]) % random.randint(0, 99))
    ids = list(ids)
    random.shuffle(ids)
    same = kind == "sticky" and random.random() < 0.9 or random.random() < 0.5
    out.append("A " + kind)
    out.append("T " + " ".join(map(str, counts)))
    for m in ids:
        topics = list(range(nt)) if same else sorted(random.sample(range(nt), random.randint(0, nt)))
        # Claims may overlap, across generations or within one.
        owned = ["%d:%d" % (t, p) for t in range(nt) for p in range(counts[t]) if random.random() < 1.5 / k]
        generation = random.choice([-1, 1, 2, 2, 2, 3])
        line = "M %s %d %s %s" % (m, generation, ",".join(map(str, topics)) or "-", ",".join(owned) or "-")
        if kind != "sticky" and random.random() < 0.3:
            line += " inst" + m
        out.append(line)
    out.append("E")
print("\n".join(out))
