#!/usr/bin/env python3
"""Checks the project's structure rules (HELPER_RULES / issue 17), as the ctest `source_limits`:

  1. no src/**/*.cpp longer than 450 lines;
  2. no function body in src/ (*.cpp, *.h) longer than 120 lines, counted from the line of its
     opening brace to the line of its closing brace; a lambda counts inside its enclosing function;
  3. no RESULTS*.md in the repository with a heading that matches /Session \\d/ (measurements live
     in experiments/, one file per question, not in per-session diaries).

usage: source_limits.py [REPO_ROOT]     (default: the parent of this script's folder)
       source_limits.py --self-test     (checks the function scanner on built-in snippets)

Prints one line per violation, `path:line: what (length, limit)`, and exits 1 if there is any.

The function scan is a brace matcher, not a C++ parser: comments, string and character literals
(raw strings too) and preprocessor lines are blanked first; then every `{` at namespace or class
level opens either a scope whose contents are scanned in turn (namespace, extern "C", class,
struct, union), a body that is not a function (enum, `= {...}` initialisers, `x{...}` braces
without a parameter list), or a function body: its header (the text since the previous `;`, `{`
or `}` at that level) holds a parameter list `(...)` (or an `operator`, or `= [...](...)`, a
lambda bound to a name). Everything between a function's braces belongs to that function.
"""
import os
import re
import sys

MAX_CPP_LINES = 450
MAX_FUNCTION_LINES = 120
SESSION_HEADING = re.compile(r"^#+\s.*\bSession \d")


def blank_code(text):
    """text with comments, literals and preprocessor lines replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if line_start and c == "#":  # a preprocessor line, with its continuations
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        line_start = False
        if c == "\n":
            out.append(c)
            line_start = True
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                out.append(" ")
                i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.extend(ch if ch == "\n" else " " for ch in text[i:j])
            i = j
        elif (c in "RuUL") and re.match(r'(u8|u|U|L)?R"[^()\\ ]{0,16}\(', text[i:i + 24]) \
                and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'(u8|u|U|L)?R"([^()\\ ]{0,16})\(', text[i:])
            end = text.find(")" + m.group(2) + '"', i + m.end())
            end = n if end < 0 else end + len(m.group(2)) + 2
            out.extend(ch if ch == "\n" else " " for ch in text[i:end])
            i = end
        elif c in "\"'":
            # A ' between digits is a digit separator (1'000), not a character literal.
            if c == "'" and i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum():
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.extend(ch if ch == "\n" else " " for ch in text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _strip_template_prefix(header):
    h = header.lstrip()
    while h.startswith("template"):
        k = h.find("<")
        if k < 0:
            break
        depth, j = 0, k
        while j < len(h):
            if h[j] == "<":
                depth += 1
            elif h[j] == ">":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        h = h[j + 1:].lstrip()
    return h


def _top_level_equals(header):
    """Index of an `=` outside (), [], <> and not part of ==, <=, >=, !=, or -1."""
    depth = 0
    for k, ch in enumerate(header):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "=" and depth == 0:
            prev = header[k - 1] if k else ""
            nxt = header[k + 1] if k + 1 < len(header) else ""
            if prev in "=<>!+-*/%&|^" or nxt == "=":
                continue
            return k
    return -1


def classify(header):
    """'scope' (namespace/class body, scanned inside), 'function' or 'other' for the text before a {."""
    h = " ".join(header.split())
    if re.match(r"^(inline\s+)?namespace\b", h) or re.match(r"^extern\b\s*$", h) or h.startswith("extern \"C\""):
        return "scope"
    t = _strip_template_prefix(h)
    paren = t.find("(")
    before = t if paren < 0 else t[:paren]
    if re.search(r"\benum\b", before):
        return "other"
    if re.search(r"\b(class|struct|union)\b", before):
        return "scope"
    if re.search(r"\boperator\b", t):
        return "function"
    eq = _top_level_equals(t)
    if eq >= 0:
        return "function" if re.match(r"^\s*\[[^\]]*\]\s*(\(|\{|mutable\b)", t[eq + 1:]) else "other"
    return "function" if paren >= 0 and ")" in t[paren:] else "other"


CTOR_INIT = re.compile(r"\)\s*(noexcept\s*)?:(?!:)")


def function_name(header):
    t = " ".join(header.split())
    eq = _top_level_equals(_strip_template_prefix(t))
    if eq >= 0 and not re.search(r"\boperator\b", t):  # a lambda bound to a name
        m = re.findall(r"(\w+)\s*$", _strip_template_prefix(t)[:eq])
        return m[-1] if m else "?"
    m = re.search(r"((?:[\w~]+::)*operator\s*(?:\(\)|[^\s(]+))\s*\(", t) or \
        re.search(r"([~\w:]+)\s*\(", t)
    return m.group(1) if m else "?"


def functions(code):
    """(start line, end line, name) of every function body in blanked code."""
    found = []
    # One entry per open brace: 'scope' (scanned inside), 'other' (enum, initialiser), 'inner' (a
    # brace inside a function or an 'other'), 'init' (a brace of a constructor's initialiser list)
    # or ('function', line, name).
    stack = []
    header_start = 0
    line = 1
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == "\n":
            line += 1
        elif c == "{":
            if any(isinstance(s, tuple) or s in ("other", "inner", "init") for s in stack):
                stack.append("inner")
            else:
                header = code[header_start:i]
                kind = classify(header)
                prev = header.rstrip()[-1:] if header.strip() else ""
                if kind == "function" and CTOR_INIT.search(header) and (prev.isalnum() or prev in "_>"):
                    stack.append("init")  # x_{a} in `Foo() : x_{a} {`: not the body yet
                    i += 1
                    continue
                if kind == "function":
                    stack.append(("function", line, function_name(header)))
                else:
                    stack.append(kind)
            header_start = i + 1
        elif c == "}":
            top = stack.pop() if stack else None
            if isinstance(top, tuple):
                found.append((top[1], line, top[2]))
            if top not in ("init", "inner"):
                header_start = i + 1
        elif c == ";" and not any(isinstance(s, tuple) or s in ("other", "inner", "init") for s in stack):
            header_start = i + 1
        i += 1
    return found


def check(root):
    problems = []
    src = os.path.join(root, "src")
    for dirpath, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith((".cpp", ".h", ".hpp", ".cc")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            text = open(path, encoding="utf-8", errors="replace").read()
            nlines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
            if f.endswith((".cpp", ".cc")) and nlines > MAX_CPP_LINES:
                problems.append(f"{rel}:1: file has {nlines} lines (limit {MAX_CPP_LINES})")
            for start, end, name in functions(blank_code(text)):
                length = end - start + 1
                if length > MAX_FUNCTION_LINES:
                    problems.append(f"{rel}:{start}: function {name} has a {length}-line body "
                                    f"(limit {MAX_FUNCTION_LINES})")
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git" and not d.startswith("build")]
        for f in sorted(files):
            if not (f.startswith("RESULTS") and f.endswith(".md")):
                continue
            path = os.path.join(dirpath, f)
            for k, l in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                if SESSION_HEADING.match(l):
                    problems.append(f"{os.path.relpath(path, root)}:{k}: per-session heading "
                                    f"'{l.strip()}' (write one file per question in experiments/)")
    return problems


def self_test():
    code = '''
namespace a {
namespace {
struct S {
  int x{3};
  int Get() const {
    return x;
  }
};
enum class E { kA, kB };
const int kTable[] = {
  1, 2,
};
}  // namespace
// a comment with { braces
template <typename T>
T Twice(T v) {
  auto f = [](T w) {
    return w + w;
  };
  const char* s = "}}}";
  char c = '{';
  return f(v);
}
Foo::Foo(int a)
    : x_{a}, y_(a) {
  Bar();
}
bool operator==(const S& l, const S& r) { return l.x == r.x; }
auto kLambda = [](int v) {
  return v;
};
#define BRACE {
const char* raw = R"x(not a } brace)x";
}  // namespace a
'''
    got = functions(blank_code(code))
    expect = [(6, 8, "Get"), (17, 24, "Twice"), (26, 28, "Foo::Foo"), (29, 29, "operator=="),
              (30, 32, "kLambda")]
    ok = got == expect
    if not ok:
        print("expected", expect)
    print("self-test", "passed" if ok else "FAILED", got)
    return 0 if ok else 1


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
        return self_test()
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    if not os.path.isdir(os.path.join(root, "src")):
        print(f"source_limits.py: {root} has no src/ folder", file=sys.stderr)
        return 2
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"source_limits: {len(problems)} violation(s) of the structure rules "
              f"(.cpp <= {MAX_CPP_LINES} lines, function body <= {MAX_FUNCTION_LINES} lines, "
              "no per-session RESULTS headings)")
        return 1
    print("source_limits: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
