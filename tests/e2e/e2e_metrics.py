"""Metrics the e2e scripts recompute on their own (imported by their python3 heredocs; the
directory is on PYTHONPATH through run_checks.bash)."""


def ap(y, s):
    """Step-wise average precision (scikit-learn's), tied scores as one step."""
    order = sorted(range(len(s)), key=lambda i: -s[i])
    pos = sum(y)
    tp = fp = 0
    out = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and s[order[j + 1]] == s[order[i]]:
            j += 1
        d = sum(y[order[k]] for k in range(i, j + 1))
        tp += d
        fp += j - i + 1 - d
        out += d / pos * tp / (tp + fp)
        i = j + 1
    return out
