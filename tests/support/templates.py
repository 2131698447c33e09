"""Compiled Jinja templates shared by the apps of one test process. Each app has a Jinja environment of
its own, so every test compiled every template it rendered anew: a third of the in-process tests' time
in a profile. A bytecode cache is Jinja's own way to reuse compiled templates across environments: it
keys a template by its name and a checksum of its source (a changed template is compiled again), and
every app here comes from the one factory, with the same extensions and settings. The first test of a
process still compiles each template it renders, so a broken template still fails."""
from jinja2 import BytecodeCache


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory, for the life of the test process."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        """Give the bucket the code compiled earlier, if any (Jinja checks it against the source)."""
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        """Keep what Jinja just compiled."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = SharedBytecode()


def share_compiled_templates(app):
    """`app`, its templates taken from (and compiled into) the process's shared bytecode cache."""
    app.jinja_env.bytecode_cache = COMPILED
    return app
