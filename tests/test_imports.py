"""No circular imports inside the `kiosk` package. Every module is read with `ast`: its imports at module
level and inside functions alike (an import moved into a function to dodge a cycle still makes one:
the modules still need each other, only later), leaving out `if TYPE_CHECKING:` blocks, which never
run. `from X import name` is an edge to the submodule X.name when there is one, else to X; relative
imports are resolved against the module's package. Importing a submodule runs its packages'
`__init__.py` first, so `from kiosk.lapor import drafts` in kiosk.visit is also an edge to kiosk.lapor
(a package the importing module is not itself inside: those have run already)."""
import ast
from pathlib import Path

import kiosk

PACKAGE = Path(kiosk.__file__).parent


def module_name(path):
    """kiosk/staff/province.py -> kiosk.staff.province; kiosk/staff/__init__.py -> kiosk.staff."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking(test):
    """Whether an `if` tests TYPE_CHECKING (bare or as typing.TYPE_CHECKING)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_nodes(tree):
    """Every Import and ImportFrom in the tree, at any depth, except under `if TYPE_CHECKING:`."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and is_type_checking(node.test):
            pending.extend(node.orelse)  # the `else:` of such a block does run
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        pending.extend(ast.iter_child_nodes(node))


def resolve(module, node):
    """The kiosk modules an import statement in `module` makes it import, with the line number."""
    if isinstance(node, ast.Import):
        return [(alias.name, node.lineno) for alias in node.names if alias.name in MODULES]
    if node.level:  # relative: from the module's package, up level - 1 more
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module
    if base not in MODULES:
        return []  # outside the package
    return [(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base, node.lineno)
            for alias in node.names]


def packages_of(module):
    """The packages a module lies in, innermost first: kiosk.staff.province -> kiosk.staff, kiosk."""
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)]


def import_graph():
    """{module: {imported module: where (the line, and the submodule when the edge is to its package)}}."""
    graph = {}
    for module, path in MODULES.items():
        edges = graph.setdefault(module, {})
        own = {module, *packages_of(module)}
        for node in import_nodes(ast.parse(path.read_text(), str(path))):
            for target, line in resolve(module, node):
                edges.setdefault(target, str(line))
                for package in packages_of(target):  # run before the submodule, if not already
                    if package not in own:
                        edges.setdefault(package, f"{line} ({target})")
        edges.pop(module, None)
    return graph


def strongly_connected(graph):
    """Tarjan's strongly connected components with more than one module, each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def cycles(graph, limit=500):
    """The elementary cycles of the graph, each starting at its smallest module (at most `limit`)."""
    found = []
    for component in strongly_connected(graph):
        members = set(component)
        for start in component:
            # cycles through `start` among the members not smaller than it: each cycle once
            allowed = {m for m in members if m >= start}
            path, seen = [start], {start}

            def walk(node):
                for target in sorted(graph[node]):
                    if len(found) >= limit:
                        return
                    if target == start:
                        found.append(list(path))
                    elif target in allowed and target not in seen:
                        path.append(target)
                        seen.add(target)
                        walk(target)
                        seen.discard(target)
                        path.pop()

            walk(start)
    return found


def describe(graph, cycle):
    """kiosk.a:3 -> kiosk.b:7 -> kiosk.a (each hop with the line of the import; `:4 (kiosk.c.d)` when
    the hop is to kiosk.c because line 4 imports its submodule kiosk.c.d)."""
    hops = [f"{module}:{graph[module][cycle[(i + 1) % len(cycle)]]}" for i, module in enumerate(cycle)]
    return " -> ".join(hops + [cycle[0]])


def test_the_graph_sees_imports_of_every_kind():
    """The walk finds what it must, so that an empty list of cycles means something."""
    graph = import_graph()
    assert len(MODULES) > 40 and "kiosk.staff.province" in MODULES
    assert "kiosk.settings" in graph["kiosk"]  # `from . import inputs, logs, paths, settings`, at module level
    assert "kiosk.lapor" in graph["kiosk"]  # `from .lapor import bp`, inside create_app
    assert all(target in MODULES for edges in graph.values() for target in edges)


def test_the_walk_counts_lazy_imports_and_leaves_out_type_checking_blocks():
    tree = ast.parse("import a\n"
                     "def f():\n    from b import c\n"
                     "if TYPE_CHECKING:\n    import d\nelse:\n    import e\n"
                     "if typing.TYPE_CHECKING:\n    import g\n")
    names = sorted(alias.name if isinstance(node, ast.Import) else node.module
                   for node in import_nodes(tree) for alias in node.names)
    assert names == ["a", "b", "e"]


def test_every_cycle_is_found_once_from_its_smallest_module():
    graph = {"a": {"b": "1"}, "b": {"c": "2", "a": "3"}, "c": {"a": "4"}, "d": {"a": "5"}}
    assert cycles(graph) == [["a", "b"], ["a", "b", "c"]]
    assert describe(graph, ["a", "b", "c"]) == "a:1 -> b:2 -> c:4 -> a"
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_no_module_of_kiosk_imports_itself_round_a_cycle():
    graph = import_graph()
    found, groups = cycles(graph), strongly_connected(graph)
    assert found == [], (
        f"{len(found)} import cycles{' (the first ones)' if len(found) >= 500 else ''}, among "
        + "; ".join(", ".join(group) for group in groups) + ":\n"
        + "\n".join(describe(graph, cycle) for cycle in found))
