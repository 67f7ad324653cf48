"""TextGrad's GSM8K splits (GSM8K_DSPy, as in DSPy's dspy.datasets.GSM8K), from openai/grade-school-math's
grade_school_math/data/{train,test}.jsonl: shuffle each file with random.Random(0); train = first 200 of the shuffled
train file, val = next 300, test = the whole shuffled test file. Lines are copied unchanged.
Usage: python3 make-splits.py <dir with train.jsonl and test.jsonl>"""
import random, sys, os

src = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
def lines(name):
    with open(os.path.join(src, name)) as f:
        return [l.rstrip("\n") for l in f if l.strip()]
train, test = lines("train.jsonl"), lines("test.jsonl")
random.Random(0).shuffle(train)
random.Random(0).shuffle(test)
for name, rows in [("train.jsonl", train[:200]), ("val.jsonl", train[200:500]), ("test.jsonl", test)]:
    with open(os.path.join(here, name), "w") as f:
        f.write("\n".join(rows) + "\n")
    print(name, len(rows))
