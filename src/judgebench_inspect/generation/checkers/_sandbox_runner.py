"""Run untrusted Python code against test cases in an isolated child process.

This file is a standalone script (standard library only): the LiveCodeBench
checker runs it with ``python -I _sandbox_runner.py`` either directly on the
host or inside an Inspect sandbox (after copying it there). It reads one JSON
request on stdin and prints one JSON report on stdout.

Output: a line {"ready": true, "secret", "isolation": {...}} once the sandbox
is set up (before any untrusted code runs), then the final report line {"ok":
true, "secret", "passed", "total", "failure", "seconds", "isolation"}; a bad
request gives {"ok": false, "error"} and exit code 2.

Trusting the report: the tested code may run under the runner's own uid (a
non-root runner without user namespaces), so it could try to write a report of
its own to the runner's stdout. Three things stop that: the runner makes itself
non-dumpable first thing (then a process of the same uid can neither open
``/proc/<runner>/fd/*`` nor read its memory, where the expected outputs are),
every line it prints carries the request's ``secret`` (read from stdin, which
is drained and closed before any test starts, never put in argv or the
environment), and the caller refuses a report when the runner died by a signal
or exited non-zero.

Request fields:
    code: The program to test (Python 3 source).
    mode: "stdin" (program reads stdin, writes stdout) or "functional" (call a
        method of class ``Solution``, or a top-level function, named
        ``func_name`` with one JSON argument per input line).
    func_name: Method name for functional problems.
    tests: List of {"input": str, "output": str}.
    timeout: Wall-clock seconds allowed per test.
    limits: Optional {"memory_mb", "nproc", "fsize_mb", "nofile", "stack_mb"}.
    isolation: Optional {"drop_privileges", "block_sockets", "socket_filter", "landlock"}
        (booleans, true by default; false switches a layer off, for tests). The namespace
        layer is switched off with the ``--no-namespaces`` argument.
    stop_on_failure: Stop at the first failing test (default true).
    secret: A random string chosen by the caller (at least 16 characters),
        echoed in every line the runner prints.

Isolation layers, each used when the machine allows it (the report says which
were in force):
    1. Linux namespaces via ``unshare``: a private network namespace (no
       interfaces up, so no network at all), mount namespace, PID namespace
       (everything started inside dies with the runner), IPC and UTS.
    2. In the mount namespace: fresh tmpfs over the world-writable directories
       (/tmp, /var/tmp, /dev/shm, /run/lock) and the root mount remounted
       read-only, so writes outside the work directory fail or vanish. A
       parent directory closed to other users (e.g. /root, mode 700, holding
       the interpreter) is replaced by a tmpfs with only the interpreter's
       directory bound back, read-only.
    3. The test process runs under a fresh, unused uid/gid (when the runner is
       root; otherwise, as uid 0 of a user namespace, it loses every
       capability), with no supplementary groups and no_new_privs, so it cannot
       write the host's files, signal or inspect other processes, or gain
       privileges; a unique uid also makes RLIMIT_NPROC effective (root is
       exempt from it) and lets the runner kill every process it left behind.
       Without a mount namespace, files that uid left at the top of the
       world-writable directories are deleted after the run, and if the
       runner's interpreter is closed to other users a system python3 is used
       for the tests.
    4. Resource limits: RLIMIT_AS, RLIMIT_CPU, RLIMIT_NPROC, RLIMIT_FSIZE,
       RLIMIT_NOFILE, RLIMIT_CORE=0 and a stack limit, per process. Memory
       and processes of a whole test (all its processes together): a cgroup
       v2 group with memory.max and pids.max where the runner may make one,
       else the test's anonymous memory summed every 50 ms (the report's
       "test_memory" says which).
    5. A scrubbed environment (PATH, LANG, HOME only), a fresh private work
       directory as cwd (removed afterwards), its own session/process group,
       a per-test wall-clock timeout and a sweep that kills every leftover
       process after each test.
    6. A seccomp filter (x86_64 and aarch64, wherever the kernel has seccomp,
       also inside a default Docker container): socket() of any family but
       AF_UNIX fails with EACCES, and io_uring is refused, for the test
       process and everything it starts (ctypes, a child interpreter or
       another program cannot lift it).
    7. An audit hook in the test process that refuses to create non-Unix
       sockets (a weak, in-process layer: the network namespace is the real
       barrier where available).
    8. Landlock, where the kernel has it (needs no privilege): the test
       process and all it starts may change files only below their run
       directory (and, in a mount namespace, the private tmpfs mounts), read
       only system directories, the interpreter's and the solution, and
       neither trace nor open the /proc files (memory, fds, environment) of
       processes outside; with ABI 4+ TCP bind/connect are refused, with ABI
       6+ they cannot signal processes outside nor reach abstract Unix
       sockets made outside. TMPDIR is a private directory inside the run
       directory.
    9. A guard: the process first started becomes a child subreaper and runs
       the runner as its child; whatever is left below it when the runner
       ends (daemons included, even when the tested code killed the runner)
       is killed and reaped before the guard exits.

Without namespaces (no ``unshare``, or not permitted, e.g. in a default
Docker container) layers 3-9 remain; as a non-root user without user
namespaces only 4-9 remain, and the report's "notes" say so.
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import random
import resource
import select
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Callable

# --------------------------------------------------------------------------
# Defaults

DEFAULT_LIMITS: dict[str, int] = {
    "memory_mb": 1024,
    "nproc": 32,
    "fsize_mb": 64,
    "nofile": 64,
    "stack_mb": 64,  # also the default thread stack size, which counts against memory_mb
}

# Range for the throwaway uid/gid of a test process (far above any real user).
_UID_LOW = 1_500_000_000
_UID_HIGH = 1_600_000_000

_MINIMAL_PATH = "/usr/local/bin:/usr/bin:/bin"
_WRITABLE_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
_INNER_FLAG = "--stage=inner"

# Linux constants (from <sys/mount.h> and <sys/prctl.h>).
_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_REMOUNT = 32
_MS_BIND = 4096
_MS_MOVE = 8192
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

# --------------------------------------------------------------------------
# Convenience names. LiveCodeBench's grader runs solutions after star-imports
# of these modules (in this order, later ones winning) and plain imports of
# them, so competitive code may use `List`, `gcd`, `defaultdict`, ... without
# importing them. Importing them all costs tens of milliseconds per process,
# so the runner works out once which of those names the code mentions and the
# test process binds only those.

_PRELUDE_MODULES = (
    "string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math", "random",
    "statistics", "itertools", "functools", "operator", "io", "sys", "json", "builtins", "typing",
)  # fmt: skip


def _prelude_table() -> dict[str, tuple[str, str | None]]:
    """Map each convenience name to (module, attribute or None for the module)."""
    import importlib

    table: dict[str, tuple[str, str | None]] = {}
    for name in _PRELUDE_MODULES:
        module = importlib.import_module(name)
        public = getattr(module, "__all__", None)
        if public is None:
            public = [key for key in vars(module) if not key.startswith("_")]
        for key in public:
            if hasattr(module, key):
                table[key] = (name, key)
    for name in _PRELUDE_MODULES:
        if name not in ("builtins", "typing"):
            table[name] = (name, None)
    # Names that end up as builtins resolve without any binding.
    return {key: where for key, where in table.items() if where[0] != "builtins"}


def _code_names(code: Any) -> set[str]:
    """Every global/attribute name a code object and its nested ones mention."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _code_names(const)
    return names


def prelude_plan(source: str) -> list[list[Any]]:
    """The convenience bindings `source` needs: [module, attribute|None, name].

    Args:
        source: The solution's source code.

    Returns:
        Bindings for the names the code mentions (empty if it does not compile;
        the test process then reports the syntax error).
    """
    try:
        # dont_inherit: this module's `from __future__ import annotations` must
        # not turn the solution's annotations (e.g. `List[int]`) into strings.
        code = compile(source, "solution.py", "exec", dont_inherit=True)
    except Exception:  # noqa: BLE001 - SyntaxError, and RecursionError/MemoryError on deep nesting
        # The test process compiles it again and reports the error as a
        # failure of the program; the runner itself must not fall over.
        return []
    table = _prelude_table()
    return [[table[key][0], table[key][1], key] for key in sorted(_code_names(code)) if key in table]


# --------------------------------------------------------------------------
# Code executed in the test process (passed with ``python -I -c``): it loads
# the solution, binds the convenience names, and runs it in the requested mode.

_HARNESS = r'''
import builtins, importlib, json, os, sys

def _block_sockets():
    def hook(event, args):
        if event == "socket.__new__" and args[1] != 1:
            raise PermissionError("network access is disabled in this sandbox")
        if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            if getattr(args[0], "family", 1) != 1:
                raise PermissionError("network access is disabled in this sandbox")
    sys.addaudithook(hook)

def _namespace(main, plan):
    ns = {"__name__": "__main__" if main else "solution", "__builtins__": builtins}
    for module_name, attr, key in plan:
        module = importlib.import_module(module_name)
        if attr is None:
            ns[key] = module
        elif hasattr(module, attr):
            ns[key] = getattr(module, attr)
    sys.setrecursionlimit(50000)
    return ns

def _run():
    mode, path, result_fd = sys.argv[1], sys.argv[2], int(sys.argv[3])
    plan = json.loads(sys.argv[4])
    func_name = sys.argv[5] if len(sys.argv) > 5 else ""
    if os.environ.get("JB_BLOCK_SOCKETS") == "1":
        _block_sockets()
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    code = compile(source, "solution.py", "exec")
    if mode == "stdin":
        ns = _namespace(True, plan)
        try:
            exec(code, ns)
        except SystemExit:
            pass
        sys.stdout.flush()
        return
    raw = sys.stdin.read()
    args = [json.loads(line) for line in raw.split("\n") if line.strip()]
    ns = _namespace(False, plan)
    exec(code, ns)
    solution = ns.get("Solution")
    if isinstance(solution, type):
        target = getattr(solution(), func_name, None)
        if target is None:
            raise AttributeError("class Solution has no method %r" % func_name)
    else:
        target = ns.get(func_name)
        if target is None:
            raise NameError("no class Solution and no function %r" % func_name)
    value = target(*args)
    if isinstance(value, tuple):
        value = list(value)
    try:
        text = json.dumps({"value": value})
    except (TypeError, ValueError):
        text = json.dumps({"error": "return value of type %s is not JSON-serializable" % type(value).__name__})
    sys.stdout.flush()
    os.write(result_fd, text.encode("utf-8"))

_run()
'''


# --------------------------------------------------------------------------
# Output comparison (the same rules as LiveCodeBench's grader)


def _stripped_lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().split("\n")]


def _as_decimals(line: str) -> list[Decimal] | None:
    try:
        return [Decimal(token) for token in line.split()]
    except (InvalidOperation, ValueError):
        return None


def compare_stdout(actual: str, expected: str) -> str | None:
    """Compare program output with the expected output.

    Both are stripped and split into lines, each line stripped. Lines must be
    equal, or else both parse as the same sequence of numbers (so "1.0" and
    "1.00" match; LiveCodeBench compares numbers as exact decimals).

    Args:
        actual: What the program printed.
        expected: The test's expected output.

    Returns:
        None when they match, else a short reason.
    """
    got = _stripped_lines(actual)
    want = _stripped_lines(expected)
    if len(got) != len(want):
        return f"expected {len(want)} line(s), got {len(got)}"
    for number, (a, b) in enumerate(zip(got, want), start=1):
        if a == b:
            continue
        da, db = _as_decimals(a), _as_decimals(b)
        if da is not None and db is not None and da == db:
            continue
        return f"line {number} differs: got {_short(a)!r}, expected {_short(b)!r}"
    return None


def compare_value(result_text: str, expected: str) -> str | None:
    """Compare a functional test's returned value with the expected JSON value.

    Args:
        result_text: The JSON envelope written by the test process.
        expected: The test's expected output (one JSON value).

    Returns:
        None when they match, else a short reason.
    """
    try:
        envelope = json.loads(result_text)
    except ValueError:
        return "no readable return value"
    if not isinstance(envelope, dict):
        return "no readable return value"
    if "error" in envelope:
        return str(envelope["error"])
    if "value" not in envelope:
        return "no readable return value"
    try:
        want = json.loads(expected)
    except ValueError:
        want = expected
    got = envelope["value"]
    if got == want:
        return None
    return f"returned {_short(json.dumps(got))}, expected {_short(json.dumps(want))}"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------
# Namespaces and mounts


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    libc = _libc()
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    if libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _prctl(option: int, value: int) -> bool:
    try:
        return _libc().prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        return False


def _namespace_flags() -> list[str] | None:
    """Return working ``unshare`` flags, or None when namespaces are unavailable."""
    unshare = shutil.which("unshare", path=_MINIMAL_PATH)
    if unshare is None or not sys.platform.startswith("linux"):
        return None
    common = ["--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--ipc", "--uts"]
    candidates = [common] if os.geteuid() == 0 else []
    candidates.append(["--user", "--map-root-user", *common])
    for flags in candidates:
        try:
            probe = subprocess.run(
                [unshare, *flags, "true"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10,
                env={"PATH": _MINIMAL_PATH},
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return [unshare, *flags]
    return None


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    """Empty the bounding, effective, permitted and inheritable capability sets.

    For a test process that still runs as uid 0 (no throwaway uid could be
    used, e.g. root inside a user namespace): without the bounding set, exec
    grants no capabilities back, so it cannot remount, override file
    permissions or change uid.
    """
    try:
        with open("/proc/sys/kernel/cap_last_cap") as handle:
            last = int(handle.read())
    except (OSError, ValueError):
        last = 40
    try:
        libc = _libc()
        for cap in range(last + 1):
            libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
        header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
        data = (_CapData * 2)()
        libc.capset(ctypes.byref(header), ctypes.byref(data))
    except (OSError, AttributeError):  # not Linux
        pass


# seccomp: (audit arch, socket, io_uring_setup) syscall numbers per machine.
_SECCOMP_ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _socket_filter() -> list[tuple[int, int, int, int]] | None:
    """A seccomp program: socket() of any family but AF_UNIX fails with EACCES.

    It also refuses io_uring (which can open sockets without socket()), the
    x32 syscall numbers and any other syscall ABI (such as 32-bit socketcall).
    None on machines it is not written for.
    """
    numbers = _SECCOMP_ARCHES.get(os.uname().machine)
    if numbers is None:
        return None
    arch, socket_nr, io_uring_nr = numbers
    load, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
    return [
        (load, 0, 0, 4),  # 0: arch
        (jeq, 0, 8, arch),  # 1: other ABI -> 10
        (load, 0, 0, 0),  # 2: syscall number
        (jge, 6, 0, 0x40000000),  # 3: x32 -> 10
        (jeq, 2, 0, socket_nr),  # 4: socket -> 7
        (jeq, 4, 0, io_uring_nr),  # 5: io_uring_setup -> 10
        (ret, 0, 0, allow),  # 6
        (load, 0, 0, 16),  # 7: low half of the first argument (family)
        (jeq, 0, 1, 1),  # 8: AF_UNIX -> 9, else 10
        (ret, 0, 0, allow),  # 9
        (ret, 0, 0, deny),  # 10
    ]


def _install_socket_filter() -> bool:
    """Install `_socket_filter` in this process (needs no_new_privs or CAP_SYS_ADMIN).

    Returns:
        Whether the kernel took it; it then holds for every descendant.
    """
    program = _socket_filter()
    if program is None:
        return False
    table = (_SockFilter * len(program))(*[_SockFilter(*row) for row in program])
    fprog = _SockFprog(len(program), table)
    try:
        libc = _libc()
        return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _socket_filter_works() -> bool:
    """Try the filter in a throwaway child: AF_INET refused, AF_UNIX allowed."""
    import socket

    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            if _prctl(_PR_SET_NO_NEW_PRIVS, 1) and _install_socket_filter():
                socket.socketpair(socket.AF_UNIX).__class__  # noqa: B018 - must still work
                try:
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                except PermissionError:
                    code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


# Landlock (Linux 5.13+): an unprivileged process can give up file, TCP and
# signal rights for itself and everything it starts. Syscall numbers are the
# same on every architecture.
_LANDLOCK_CREATE_RULESET, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_LL_EXECUTE, _LL_WRITE_FILE, _LL_READ_FILE, _LL_READ_DIR = 1, 2, 4, 8
_LL_TRUNCATE, _LL_IOCTL_DEV = 1 << 14, 1 << 15
_LL_FILE_RIGHTS = _LL_EXECUTE | _LL_WRITE_FILE | _LL_READ_FILE | _LL_TRUNCATE | _LL_IOCTL_DEV
# Directories the test interpreter and ordinary programs read (besides the interpreter's own).
_LANDLOCK_READ_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc", "/sys")
_LANDLOCK_DEVICES_RW = ("/dev/null", "/dev/zero", "/dev/full")
_LANDLOCK_DEVICES_READ = ("/dev/random", "/dev/urandom")


def _syscall(number: int, *args: Any) -> int:
    """Make a raw system call; raise OSError on failure."""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    result = int(libc.syscall(ctypes.c_long(number), *args))
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def _landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 when Landlock is missing or disabled."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        return _syscall(_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0


def _landlock_fs_rights(abi: int) -> int:
    """Every file-system right that Landlock ABI `abi` knows (all are handled, so denied unless granted)."""
    bits = 13 + (abi >= 2) + (abi >= 3)  # REFER came with ABI 2, TRUNCATE with 3
    rights = (1 << bits) - 1
    if abi >= 5:
        rights |= _LL_IOCTL_DEV
    return rights


def _landlock_ruleset(abi: int, write_dirs: list[str], read_dirs: list[str], read_files: list[str]) -> int:
    """Build a Landlock ruleset for a test process and return its file descriptor.

    Everything on the file system is refused except: all rights below
    `write_dirs`, reading and executing below `read_dirs`, reading
    `read_files`, and reading and writing a few harmless devices. With ABI 4+
    TCP bind and connect are refused; with ABI 6+ the process can no longer
    signal processes outside its domain or reach abstract Unix sockets made
    outside it. Paths that do not exist are skipped.

    Args:
        abi: The kernel's Landlock ABI (from `_landlock_abi`, at least 1).
        write_dirs: Directories the test may change (its work directory).
        read_dirs: Directories the test may read and execute from.
        read_files: Single files the test may read (the solution).

    Returns:
        The ruleset's descriptor (close-on-exec); the caller closes it.

    Raises:
        OSError: The kernel refused the ruleset or a rule.
    """
    fs_rights = _landlock_fs_rights(abi)
    net_rights = 3 if abi >= 4 else 0  # BIND_TCP | CONNECT_TCP, with no rule granting either
    scoped = 3 if abi >= 6 else 0  # ABSTRACT_UNIX_SOCKET | SIGNAL
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    attr = ctypes.create_string_buffer(struct.pack("=QQQ", fs_rights, net_rights, scoped)[:size], size)
    ruleset = _syscall(_LANDLOCK_CREATE_RULESET, attr, ctypes.c_size_t(size), ctypes.c_uint32(0))
    read_dir_rights = _LL_EXECUTE | _LL_READ_FILE | _LL_READ_DIR
    file_rights = fs_rights & _LL_FILE_RIGHTS
    rules = [(path, fs_rights) for path in write_dirs]
    rules += [(path, read_dir_rights) for path in read_dirs]
    rules += [(path, _LL_READ_FILE) for path in (*read_files, *_LANDLOCK_DEVICES_READ)]
    rules += [(path, file_rights & ~_LL_EXECUTE) for path in _LANDLOCK_DEVICES_RW]
    try:
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if not stat.S_ISDIR(os.fstat(fd).st_mode):
                    rights &= file_rights
                rule = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
                _syscall(_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH), rule, ctypes.c_uint32(0))
            finally:
                os.close(fd)
        os.set_inheritable(ruleset, False)
    except BaseException:
        os.close(ruleset)
        raise
    return ruleset


def _landlock_restrict(ruleset: int) -> bool:
    """Put this process (and all it starts) under `ruleset`; needs no_new_privs."""
    try:
        _syscall(_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
        return True
    except (OSError, AttributeError):
        return False


def _mnt_ns() -> str:
    try:
        return os.readlink("/proc/self/ns/mnt")
    except OSError:
        return "unknown"


def _needs_traversal_fix(path: str) -> str | None:
    """Return the highest ancestor of `path` that others cannot traverse."""
    parts = os.path.abspath(path).split(os.sep)
    current = "/"
    for part in parts[1:-1] if len(parts) > 2 else []:
        current = os.path.join(current, part)
        try:
            mode = os.stat(current).st_mode
        except OSError:
            return None
        if not mode & stat.S_IXOTH:
            return current
    return None


def _setup_mounts(interpreter_paths: list[str]) -> list[str]:
    """Private tmpfs over writable dirs, reachable interpreter, read-only root.

    Only called inside a fresh mount namespace.

    Args:
        interpreter_paths: Directories the test process must be able to read
            (interpreter prefixes); when a parent of one is closed to others
            (e.g. /root with mode 700), a tmpfs replaces that parent and only
            the needed directory is bound back at its old path.

    Returns:
        Descriptions of what was mounted.
    """
    done: list[str] = []
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE, None)
    for directory in _WRITABLE_DIRS:
        if os.path.isdir(directory) and not os.path.islink(directory):
            try:
                _mount("tmpfs", directory, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=512m,mode=1777")
                done.append(f"tmpfs:{directory}")
            except OSError:
                pass
    # Make the interpreter reachable for an unprivileged uid.
    blockers: dict[str, list[str]] = {}
    for path in interpreter_paths:
        blocker = _needs_traversal_fix(os.path.join(path, "x"))
        if blocker is not None:
            blockers.setdefault(blocker, []).append(path)
    for blocker, paths in blockers.items():
        stage = tempfile.mkdtemp(prefix="jb-stage-", dir="/tmp")
        staged: list[tuple[str, str]] = []
        for index, path in enumerate(sorted(set(paths))):
            holder = os.path.join(stage, str(index))
            os.mkdir(holder)
            _mount(path, holder, None, _MS_BIND | _MS_REC, None)
            staged.append((holder, path))
        _mount("tmpfs", blocker, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=1m,mode=755")
        for holder, path in staged:
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(holder, path, None, _MS_MOVE, None)
            _mount(None, path, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY, None)
        shutil.rmtree(stage, ignore_errors=True)
        done.append(f"hidden:{blocker}")
    try:
        _mount(None, "/", None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY, None)
        done.append("readonly:/")
    except OSError:
        pass
    return done


def _interpreter_dirs(python: str) -> list[str]:
    """Directories the test interpreter needs, with nested ones dropped."""
    found = {
        os.path.realpath(p)
        for p in (sys.base_prefix, sys.prefix, os.path.dirname(python), os.path.dirname(os.path.realpath(python)))
    }
    ordered = sorted(found, key=len)
    kept: list[str] = []
    for path in ordered:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def _interpreter_candidates(python: str) -> list[str]:
    """The runner's interpreter first, then common system ones."""
    found = [python]
    for other in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.path.exists(other) and os.path.realpath(other) != os.path.realpath(python):
            found.append(other)
    return found


# --------------------------------------------------------------------------
# Test processes


class _TestCgroup:
    """A cgroup v2 group that caps all processes of a test together.

    Made as a sibling of the runner's own cgroup (the runner's cgroup holds
    processes, so by cgroup v2 rules it cannot have controlled children of its
    own), or as a child when the runner is in the root of the hierarchy (the
    one cgroup exempt from that rule; inside a container's cgroup namespace,
    where the root seen is not the real one, enabling controllers there fails
    and the note says so). The runner steps into the group just to start a
    test process, so the test and everything it starts are counted there, and
    steps back out.
    """

    def __init__(self, path: str, home: str) -> None:
        self.path = path
        self.home = home
        self.oom_kills = 0

    @classmethod
    def create(
        cls, limits: dict[str, int], own: tuple[str, bool] | None = None
    ) -> tuple[_TestCgroup | None, str]:
        """Make the group, or say why not.

        Args:
            limits: The runner limits (memory_mb and nproc are used).
            own: The runner's cgroup directory and whether it is the root of
                its hierarchy (found from /proc/self/cgroup and the cgroup2
                mount when None).

        Returns:
            (group or None, a note on what caps the whole test).
        """
        own = own or _own_cgroup_dir()
        if own is None:
            return None, "no cgroup v2 hierarchy"
        home, at_root = own
        try:
            with open(os.path.join(home, "cgroup.controllers"), encoding="ascii") as handle:
                available = set(handle.read().split())
        except OSError as ex:
            return None, f"cgroup v2 not readable ({ex.strerror})"
        if not {"memory", "pids"} <= available:
            return None, "cgroup v2 without the memory and pids controllers for this group"
        if at_root:
            try:
                with open(os.path.join(home, "cgroup.subtree_control"), "w", encoding="ascii") as handle:
                    handle.write("+memory +pids")
            except OSError as ex:
                return None, f"cgroup v2 controllers cannot be enabled below this group ({ex.strerror})"
        parent = home if at_root else os.path.dirname(home.rstrip("/"))
        path = os.path.join(parent, f"jb-lcb-{os.getpid()}-{random.SystemRandom().getrandbits(40):010x}")
        try:
            os.mkdir(path)
        except OSError as ex:
            return None, f"cgroup v2 not writable here ({ex.strerror})"
        group = cls(path, home)
        try:
            group._write("memory.max", str(limits["memory_mb"] * 1024 * 1024))
            group._write("pids.max", str(limits["nproc"]))
            try:
                group._write("memory.swap.max", "0")
            except OSError:
                pass  # no swap accounting: memory.max still holds
        except OSError as ex:
            group.remove()
            return None, f"cgroup v2 limits could not be set ({ex.strerror})"
        return group, f"cgroup v2: {limits['memory_mb']} MiB and {limits['nproc']} processes for the whole test"

    def _write(self, name: str, value: str, directory: str | None = None) -> None:
        with open(os.path.join(directory or self.path, name), "w", encoding="ascii") as handle:
            handle.write(value)

    def enter(self) -> None:
        """Move this process into the group (children started now stay there)."""
        self._write("cgroup.procs", "0")

    def leave(self) -> None:
        """Move this process back to its own cgroup."""
        self._write("cgroup.procs", "0", self.home)

    def out_of_memory(self) -> bool:
        """Whether the kernel killed a process of the group for memory since the last call."""
        try:
            with open(os.path.join(self.path, "memory.events"), encoding="ascii") as handle:
                counts = dict(line.split() for line in handle if line.strip())
        except (OSError, ValueError):
            return False
        kills = int(counts.get("oom_kill", 0))
        fresh, self.oom_kills = kills > self.oom_kills, kills
        return fresh

    def kill_all(self) -> None:
        try:
            self._write("cgroup.kill", "1")
        except OSError:
            pass  # kernels before 5.14: the sweep does it

    def remove(self) -> None:
        try:
            os.rmdir(self.path)
        except OSError:
            pass


def _own_cgroup_dir() -> tuple[str, bool] | None:
    """This process's cgroup v2 directory and whether it is the hierarchy's
    root, or None without a cgroup2 mount."""
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as handle:
            relative = next((line.strip()[3:] for line in handle if line.startswith("0::")), None)
        with open("/proc/self/mountinfo", encoding="utf-8") as handle:
            mounts = [line.split() for line in handle]
    except OSError:
        return None
    for fields in mounts:
        separator = fields.index("-") if "-" in fields else -1
        if separator > 0 and fields[separator + 1] == "cgroup2" and relative is not None:
            return os.path.join(fields[4], relative.lstrip("/")), relative.strip("/") == ""
    return None


def _parents(assume: int | None = None) -> dict[int, int]:
    """Parent pid of every other process visible in /proc.

    Args:
        assume: Take this as everyone's parent instead of reading it (the
            init of a PID namespace, where all processes are ours).
    """
    me = os.getpid()
    parents: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return parents
    for entry in entries:
        if not entry.isdigit() or int(entry) == me:
            continue
        pid = int(entry)
        if assume is not None:
            parents[pid] = assume
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                parents[pid] = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return parents


def _reap_all(timeout: float) -> bool:
    """Reap exited children until none is left (True) or `timeout` passes.

    Args:
        timeout: Seconds to wait at most.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid == 0:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)


def _end_children(deadline: float) -> bool:
    """SIGKILL and reap this process's children, round after round, until it has none.

    Meant for a subreaper: each killed child's own children are re-parented
    here and go in the next round, so every descendant ends. Only children
    that have not been reaped are signalled (their pids cannot have been
    reused), so no other process is ever hit.

    Args:
        deadline: time.monotonic() value at which to give up.

    Returns:
        Whether no child was left.
    """
    me = os.getpid()
    while True:
        for pid, parent in _parents().items():
            if parent == me:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if _reap_all(min(0.2, max(0.0, deadline - time.monotonic()))):
            return True
        if time.monotonic() >= deadline:
            return False


def _anonymous_memory(pids: list[int]) -> int:
    """Bytes of anonymous (not file-backed) resident memory of `pids` together."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                fields = handle.read().split()
            total += max(0, int(fields[1]) - int(fields[2])) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


_MEMORY_SAMPLE_SECONDS = 0.05


class _Sandbox:
    """State of one runner invocation: work dir, uid, limits, isolation."""

    def __init__(self, request: dict[str, Any], namespaces: list[str]) -> None:
        self.namespaces = namespaces
        self.in_pid_ns = "pid" in namespaces and os.getpid() == 1
        limits = dict(DEFAULT_LIMITS)
        limits.update({k: int(v) for k, v in (request.get("limits") or {}).items() if k in DEFAULT_LIMITS})
        self.limits = limits
        self.timeout = float(request.get("timeout", 6.0))
        isolation = request.get("isolation") or {}
        self.block_sockets = bool(isolation.get("block_sockets", True))
        self.want_drop = bool(isolation.get("drop_privileges", True))
        self.want_socket_filter = bool(isolation.get("socket_filter", True))
        self.want_landlock = bool(isolation.get("landlock", True))
        self.landlock_abi = 0
        self._ruleset = -1  # Landlock ruleset for the process being started
        self.mounts: list[str] = []
        self.python = os.path.abspath(sys.executable)
        self.uid: int | None = None
        self.base = ""
        self.plan = "[]"
        self.notes: list[str] = []
        self.socket_filter = False
        self.cgroup: _TestCgroup | None = None
        self.test_memory = "not set up"

    # -- setup ----------------------------------------------------------

    def prepare(self, code: str) -> None:
        if "mount" in self.namespaces:
            try:
                self.mounts = _setup_mounts(_interpreter_dirs(self.python))
            except OSError as ex:
                self.notes.append(f"mount setup failed: {ex}")
        self.base = tempfile.mkdtemp(prefix="jb-lcb-")
        os.chmod(self.base, 0o711)
        solution = os.path.join(self.base, "solution.py")
        with open(solution, "w", encoding="utf-8") as handle:
            handle.write(code)
        os.chmod(solution, 0o644)
        self.plan = json.dumps(prelude_plan(code))
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)
        self.cgroup, why = _TestCgroup.create(self.limits) if os.geteuid() == 0 else (None, "runner is not root")
        if self.cgroup is not None:
            self.test_memory = why
        else:
            self.test_memory = (
                f"sampled every {_MEMORY_SAMPLE_SECONDS * 1000:g} ms: {self.limits['memory_mb']} MiB of anonymous "
                f"memory for all processes of a test together ({why}); a fast allocation can overshoot "
                f"between samples, up to {self.limits['memory_mb']} MiB per process and {self.limits['nproc']} processes"
            )
            self.notes.append(f"whole-test memory cap only sampled: {why}")
        self.socket_filter = self.want_socket_filter and _socket_filter_works()
        if self.want_socket_filter and not self.socket_filter:
            self.notes.append("no seccomp socket filter on this machine")
        self.landlock_abi = _landlock_abi() if self.want_landlock else 0
        if self.want_landlock and not self.landlock_abi:
            self.notes.append("no Landlock in this kernel")
        if self.want_drop and os.geteuid() == 0:
            self.uid = random.SystemRandom().randrange(_UID_LOW, _UID_HIGH)
            if not self._pick_interpreter() and self.landlock_abi:
                self._give_up_landlock()
                self._pick_interpreter()
            if self.uid is None:
                self.notes.append("no interpreter usable by an unprivileged uid; tests run as root")
        if self.landlock_abi and self.uid is None and not self._probe_interpreter(self.python):
            self._give_up_landlock()

    def _pick_interpreter(self) -> bool:
        """Use the first interpreter that starts under the throwaway uid (else no uid).

        Returns:
            Whether one did.
        """
        for candidate in _interpreter_candidates(self.python):
            if self._probe_interpreter(candidate):
                if candidate != self.python:
                    self.notes.append(f"test interpreter {candidate} (the runner's is closed to other users)")
                self.python = candidate
                return True
        self.uid = None
        return False

    def _give_up_landlock(self) -> None:
        self.notes.append(f"Landlock ABI {self.landlock_abi} not used: the test interpreter did not start under it")
        self.landlock_abi = 0
        if self.uid is None and self.want_drop and os.geteuid() == 0:
            self.uid = random.SystemRandom().randrange(_UID_LOW, _UID_HIGH)

    def _probe_interpreter(self, python: str) -> bool:
        """Check that `python` starts under the throwaway uid (if any), the
        limits and Landlock (if used), and can use its private TMPDIR."""
        try:
            rundir = self._fresh_rundir("probe")
        except OSError:  # e.g. the uid is not mapped in a user namespace
            return False
        process = None
        try:
            self._ruleset = self._landlock_for(rundir, python)
            process = subprocess.Popen(
                [python, "-I", "-c", "import json, tempfile; tempfile.TemporaryFile().close()"],
                cwd=rundir,
                env=self._env(rundir),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=self._child_setup,
                start_new_session=True,
                **self._identity(),
            )
            return _wait_for_exit(process, 20.0) == "exited" and process.wait() == 0
        except (OSError, subprocess.SubprocessError):
            return False
        finally:
            self._close_ruleset()
            self._sweep(process.pid if process is not None else None)
            shutil.rmtree(rundir, ignore_errors=True)

    def _landlock_for(self, rundir: str, python: str) -> int:
        """A Landlock ruleset for one test process, or -1 when Landlock is not used.

        Writes: the run directory only, plus (in a mount namespace) the
        private tmpfs mounts, which vanish with the namespace. Reads: system
        directories, the interpreter's and the solution file.
        """
        if not self.landlock_abi:
            return -1
        writable = [rundir] + [entry.split(":", 1)[1] for entry in self.mounts if entry.startswith("tmpfs:")]
        readable = [*_LANDLOCK_READ_DIRS, *_interpreter_dirs(python)]
        return _landlock_ruleset(self.landlock_abi, writable, readable, [os.path.join(self.base, "solution.py")])

    def _close_ruleset(self) -> None:
        if self._ruleset >= 0:
            os.close(self._ruleset)
            self._ruleset = -1

    def _identity(self) -> dict[str, Any]:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.uid, "extra_groups": []}

    def _env(self, rundir: str) -> dict[str, str]:
        env = {"PATH": _MINIMAL_PATH, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": rundir}
        env["TMPDIR"] = os.path.join(rundir, "tmp")
        if self.block_sockets:
            env["JB_BLOCK_SOCKETS"] = "1"
        return env

    def _fresh_rundir(self, name: str) -> str:
        rundir = os.path.join(self.base, name)
        shutil.rmtree(rundir, ignore_errors=True)
        os.mkdir(rundir, 0o700)
        os.mkdir(os.path.join(rundir, "tmp"), 0o700)  # the test's private TMPDIR
        if self.uid is not None:
            os.chown(rundir, self.uid, self.uid)
            os.chown(os.path.join(rundir, "tmp"), self.uid, self.uid)
        return rundir

    def _child_setup(self) -> None:
        """Runs in the forked test process just before exec (after the uid change)."""
        os.umask(0o077)
        mb = 1024 * 1024
        cpu = int(math.ceil(self.timeout)) + 1
        settings = [
            (resource.RLIMIT_AS, self.limits["memory_mb"] * mb),
            (resource.RLIMIT_CPU, cpu),
            (resource.RLIMIT_FSIZE, self.limits["fsize_mb"] * mb),
            (resource.RLIMIT_NOFILE, self.limits["nofile"]),
            (resource.RLIMIT_NPROC, self.limits["nproc"]),
            (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_STACK, self.limits["stack_mb"] * mb),
        ]
        for which, value in settings:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            # For CPU time the soft limit sends SIGXCPU and the hard one SIGKILL.
            room = hard == resource.RLIM_INFINITY or value < hard
            new_hard = value + 1 if which == resource.RLIMIT_CPU and room else value
            resource.setrlimit(which, (value, new_hard))
        if os.geteuid() == 0:
            _drop_capabilities()
        _prctl(_PR_SET_NO_NEW_PRIVS, 1)
        if self.socket_filter and not _install_socket_filter():
            os._exit(121)  # the filter worked in the probe: never run without it
        if self._ruleset >= 0 and not _landlock_restrict(self._ruleset):
            os._exit(122)  # Landlock worked in the probe: never run without it
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    # -- one test -------------------------------------------------------

    def run_test(self, index: int, mode: str, func_name: str, test: dict[str, Any]) -> dict[str, Any]:
        rundir = self._fresh_rundir("run")
        io_dir = os.path.join(self.base, f"io-{index}")
        os.mkdir(io_dir, 0o700)
        paths = {name: os.path.join(io_dir, name) for name in ("in", "out", "err", "res")}
        with open(paths["in"], "w", encoding="utf-8") as handle:
            handle.write(str(test.get("input", "")))
        stdin = open(paths["in"], "rb")
        stdout = open(paths["out"], "wb")
        stderr = open(paths["err"], "wb")
        result = open(paths["res"], "wb")
        argv = [
            self.python,
            "-I",
            "-c",
            _HARNESS,
            mode,
            os.path.join(self.base, "solution.py"),
            str(result.fileno()),
            self.plan,
        ]
        if mode == "functional":
            argv.append(func_name)
        timed_out = over_memory = False
        returncode = 0
        started = time.monotonic()
        process = None
        try:
            self._ruleset = self._landlock_for(rundir, self.python)
            if self.cgroup is not None:
                self.cgroup.enter()
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=stdin,
                    stdout=stdout,
                    stderr=stderr,
                    pass_fds=(result.fileno(),),
                    cwd=rundir,
                    env=self._env(rundir),
                    start_new_session=True,
                    preexec_fn=self._child_setup,
                    **self._identity(),
                )
            finally:
                if self.cgroup is not None:
                    self.cgroup.leave()
            watch = None if self.cgroup is not None else self._over_memory
            ending = _wait_for_exit(process, self.timeout, watch)
            if ending != "exited":
                timed_out, over_memory = ending == "timeout", ending == "memory"
                self._kill_group(process.pid)
            returncode = process.wait()
            if self.cgroup is not None and self.cgroup.out_of_memory():
                over_memory = True
        except OSError as ex:
            return {"kind": "setup_error", "message": f"could not start the test process: {ex}"}
        finally:
            self._close_ruleset()
            elapsed = time.monotonic() - started
            self._sweep(process.pid if process is not None else None)
            handles: tuple[IO[Any], ...] = (stdin, stdout, stderr, result)
            for opened in handles:
                opened.close()
        outcome: dict[str, Any]
        if over_memory:
            outcome = {"kind": "runtime_error", "message": "memory limit exceeded (all processes of the test together)"}
        else:
            outcome = self._classify(mode, test, paths, returncode, timed_out)
        outcome["seconds"] = round(elapsed, 3)
        shutil.rmtree(io_dir, ignore_errors=True)
        shutil.rmtree(rundir, ignore_errors=True)
        return outcome

    def _classify(
        self, mode: str, test: dict[str, Any], paths: dict[str, str], returncode: int, timed_out: bool
    ) -> dict[str, Any]:
        if timed_out:
            return {"kind": "timeout", "message": f"no result within {self.timeout:g} s"}
        if returncode < 0:
            sig = -returncode
            if sig == signal.SIGXCPU:
                return {"kind": "timeout", "message": "CPU time limit exceeded"}
            if sig == signal.SIGXFSZ:
                return {"kind": "output_limit", "message": "output or file size limit exceeded"}
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = str(sig)
            return {"kind": "runtime_error", "message": f"killed by signal {name}"}
        if returncode != 0:
            message = _last_error_line(paths["err"])
            if "[Errno 27]" in message:  # EFBIG: Python ignores SIGXFSZ and gets an error
                return {"kind": "output_limit", "message": "output or file size limit exceeded"}
            return {"kind": "runtime_error", "message": message}
        expected = str(test.get("output", ""))
        if mode == "functional":
            reason = compare_value(_read_capped(paths["res"]), expected)
        else:
            reason = compare_stdout(_read_capped(paths["out"]), expected)
        if reason is None:
            return {"kind": "passed"}
        return {"kind": "wrong_answer", "message": reason}

    # -- cleanup --------------------------------------------------------

    def _kill_group(self, pgid: int) -> None:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass

    def _kill_uid(self) -> None:
        """SIGKILL every process of the throwaway uid in one go.

        A forked helper becomes that uid and calls kill(-1), which signals
        exactly the processes that uid may signal: its own. The kernel walks
        the process list under a lock that fork also needs, and a fork whose
        parent has a fatal signal pending is abandoned, so none slips through.
        """
        assert self.uid is not None
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.setgroups([])
                os.setgid(self.uid)
                os.setuid(self.uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)

    def _sweep(self, pgid: int | None) -> None:
        """Kill and reap everything the test process left behind.

        Every process a test started is a descendant of this runner (a
        subreaper, or the PID namespace's init), so the sweep is done when the
        runner has no children left.
        """
        deadline = time.monotonic() + 10.0
        while True:
            if pgid is not None:
                self._kill_group(pgid)
            if self.uid is not None:
                self._kill_uid()
            else:
                for pid in self._leftovers():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            if _reap_all(min(0.5, max(0.0, deadline - time.monotonic()))):
                return
            if time.monotonic() >= deadline:
                self.notes.append("some processes could not be reaped")
                return

    def _leftovers(self, descendants: bool = False) -> list[int]:
        """Processes to kill when there is no throwaway uid: everything else in
        our PID namespace, else our children (orphans are re-parented to us, a
        subreaper), or with `descendants` all processes below us."""
        me = os.getpid()
        parents = _parents(assume=me if self.in_pid_ns else None)
        found = {pid for pid, parent in parents.items() if parent == me}
        while descendants:
            more = {pid for pid, parent in parents.items() if parent in found and pid not in found}
            if not more:
                break
            found |= more
        return sorted(found)

    def _test_pids(self) -> list[int]:
        """The processes of the running test (as the sweep would find them)."""
        if self.uid is None:
            return self._leftovers(descendants=True)
        found = []
        for entry in os.listdir("/proc"):
            try:
                if entry.isdigit() and os.stat(f"/proc/{entry}").st_uid == self.uid:
                    found.append(int(entry))
            except OSError:
                continue
        return found

    def _over_memory(self) -> bool:
        return _anonymous_memory(self._test_pids()) > self.limits["memory_mb"] * 1024 * 1024

    def cleanup(self) -> None:
        if self.cgroup is not None:
            self.cgroup.kill_all()
        self._sweep(None)
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.base:
            shutil.rmtree(self.base, ignore_errors=True)
        if "mount" not in self.namespaces and self.uid is not None:
            self._remove_strays()

    def _remove_strays(self) -> None:
        """Without private tmpfs mounts, delete what the throwaway uid left in
        the world-writable directories (top level only)."""
        removed = 0
        for directory in _WRITABLE_DIRS:
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.stat(follow_symlinks=False).st_uid != self.uid:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    else:
                        os.unlink(entry.path)
                    removed += 1
                except OSError:
                    continue
        if removed:
            self.notes.append(f"removed {removed} stray file(s) from shared temp directories")

    def report(self) -> dict[str, Any]:
        return {
            "namespaces": self.namespaces,
            "mounts": self.mounts,
            "uid": self.uid,
            "privileges_dropped": self.uid is not None,
            "socket_audit_hook": self.block_sockets,
            "socket_filter": self.socket_filter,
            "landlock": self.landlock_abi,
            "rlimits": dict(self.limits),
            "test_memory": self.test_memory,
            "notes": self.notes,
        }


def _wait_for_exit(
    process: subprocess.Popen[bytes], timeout: float, over_limit: Callable[[], bool] | None = None
) -> str:
    """Wait until `process` exits, `timeout` seconds pass, or `over_limit` says so.

    Uses a pidfd where the kernel has them (wakes up at once), else polls
    every few milliseconds (Popen.wait's own polling sleeps up to 50 ms).

    Args:
        process: The test process.
        timeout: Seconds to wait at most.
        over_limit: Asked every `_MEMORY_SAMPLE_SECONDS` while waiting.

    Returns:
        "exited", "timeout" or "memory" (over_limit said yes).
    """
    deadline = time.monotonic() + timeout
    step = _MEMORY_SAMPLE_SECONDS if over_limit is not None else None
    pidfd_open = getattr(os, "pidfd_open", None)
    fd = -1
    if pidfd_open is not None:
        try:
            fd = pidfd_open(process.pid)
        except OSError:
            fd = -1
    poller = None
    if fd >= 0:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
    try:
        while True:
            if process.poll() is not None:
                return "exited"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            if over_limit is not None and over_limit():
                return "memory"
            wait = min(remaining, step) if step is not None else remaining
            if poller is not None:
                poller.poll(wait * 1000)
            else:
                time.sleep(min(wait, 0.002))
    finally:
        if fd >= 0:
            os.close(fd)


def _read_capped(path: str, limit: int = 256 * 1024 * 1024) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _last_error_line(path: str) -> str:
    text = _read_capped(path, 1024 * 1024).strip()
    if not text:
        return "exited with an error and no message"
    lines = [line for line in text.splitlines() if line.strip()]
    return _short(lines[-1].strip(), 300)


# --------------------------------------------------------------------------
# Entry points


def run_request(
    request: dict[str, Any],
    namespaces: list[str],
    on_ready: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run all tests of one request and build the report.

    Args:
        request: The decoded JSON request (see module docstring).
        namespaces: Namespaces this process runs in (empty when none).
        on_ready: Called with the isolation report once the sandbox is set
            up, before any untrusted code runs.

    Returns:
        The report: passed/total counts, the first failure (if any) and the
        isolation layers that were in force.
    """
    mode = request.get("mode")
    if mode not in ("stdin", "functional"):
        raise ValueError(f"mode must be 'stdin' or 'functional', got {mode!r}")
    func_name = str(request.get("func_name") or "")
    if mode == "functional" and not func_name:
        raise ValueError("functional tests need func_name")
    tests = request.get("tests")
    if not isinstance(tests, list):
        raise ValueError("tests must be a list")
    stop = bool(request.get("stop_on_failure", True))
    sandbox = _Sandbox(request, namespaces)
    passed = 0
    failure: dict[str, Any] | None = None
    seconds: list[float] = []
    try:
        sandbox.prepare(str(request.get("code", "")))
        if on_ready is not None:
            on_ready(sandbox.report())
        for index, test in enumerate(tests):
            outcome = sandbox.run_test(index, mode, func_name, test if isinstance(test, dict) else {})
            seconds.append(outcome.get("seconds", 0.0))
            if outcome["kind"] == "passed":
                passed += 1
                continue
            if failure is None:
                failure = {"test": index, "kind": outcome["kind"], "message": outcome.get("message", "")}
            if stop:
                break
    finally:
        sandbox.cleanup()
    return {
        "ok": True,
        "passed": passed,
        "total": len(tests),
        "failure": failure,
        "seconds": seconds,
        "isolation": sandbox.report(),
    }


def _print_line(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _read_request() -> dict[str, Any]:
    """Read the JSON request from stdin, then close stdin for good.

    Raises:
        ValueError: Not a JSON object, or no usable secret.
    """
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if not isinstance(request, dict):
        raise ValueError("request must be a JSON object")
    secret = request.get("secret")
    if not isinstance(secret, str) or len(secret) < 16:
        raise ValueError("request needs a 'secret' string of at least 16 characters")
    return request


def main(argv: list[str]) -> int:
    """Start the runner under a guard (see `_guard`), or run the inner stage.

    Args:
        argv: Command-line arguments (see `_work`).

    Returns:
        Process exit code: 0 when a report was printed, 2 on a bad request.
    """
    # First of all: no process of our uid may read our memory or open our fds.
    _prctl(_PR_SET_DUMPABLE, 0)
    if _INNER_FLAG in argv:
        return _work(argv)
    return _guard(argv)


def _guard(argv: list[str]) -> int:
    """Run `_work` in a child and end every process left below it.

    This process becomes a child subreaper, so whatever the runner or the
    tested code start (daemons that called setsid() and forked twice
    included) stays below it, even when the runner itself dies, say killed
    by the tested code under the same uid. Once the runner has exited, every
    remaining descendant is killed and reaped; then the guard ends the way
    the runner did (its exit status, or the same signal). SIGTERM (the
    checker's way of stopping a run that overran) kills the runner first.

    Args:
        argv: Command-line arguments, passed on to `_work`.

    Returns:
        The runner's exit status (when it was not killed by a signal).
    """
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    sys.stdout.flush()
    worker = os.fork()
    if worker == 0:  # pragma: no cover - child
        code = 70
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = _work(argv)
        finally:
            sys.stdout.flush()
            os._exit(code)
    # The request and the report pass between the checker and the runner alone.
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    try:
        handle = os.pidfd_open(worker)  # signals through it never reach a reused pid
        stop: Callable[..., None] = lambda *_: signal.pidfd_send_signal(handle, signal.SIGKILL)  # noqa: E731
    except (AttributeError, OSError):  # kernels before 5.3
        stop = lambda *_: os.kill(worker, signal.SIGKILL)  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    _, status = os.waitpid(worker, 0)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_children(time.monotonic() + 10.0)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    sig = os.WTERMSIG(status)
    if sig != signal.SIGKILL:  # SIGKILL's action cannot be set (and is always to end)
        signal.signal(sig, signal.SIG_DFL)
    os.kill(os.getpid(), sig)
    return 128 + sig


def _work(argv: list[str]) -> int:
    """Read a request on stdin, run it, print the report.

    Unless told otherwise the runner first re-executes itself in fresh
    namespaces through ``unshare`` (stdin is passed on unread); it runs
    without them when ``unshare`` is missing or not permitted.

    Args:
        argv: Command-line arguments (without the program name):
            ``--no-namespaces`` skips the namespace layer; ``--remove-self``
            deletes this script file once it is running (each check copies
            its own into a shared sandbox); ``--stage=inner``,
            ``--ns=...`` and ``--outer-mnt=...`` are set by the runner itself.

    Returns:
        Process exit code: 0 when a report was printed, 2 on a bad request.
    """
    options = dict(arg[2:].split("=", 1) for arg in argv if arg.startswith("--") and "=" in arg)
    if _INNER_FLAG not in argv and "--no-namespaces" not in argv:
        flags = _namespace_flags()
        if flags is not None:
            kinds = [flag[2:] for flag in flags[1:] if flag[2:] in ("net", "mount", "pid", "ipc", "uts", "user")]
            inner = [
                sys.executable,
                "-I",
                os.path.abspath(__file__),
                _INNER_FLAG,
                *[arg for arg in argv if arg == "--remove-self"],
                f"--outer-mnt={_mnt_ns()}",
                "--ns=" + ",".join(kinds),
            ]
            sys.stdout.flush()
            os.execve(flags[0], [*flags, "--", *inner], {"PATH": _MINIMAL_PATH, "LANG": "C.UTF-8"})
    if "--remove-self" in argv:
        try:
            os.unlink(os.path.abspath(__file__))
        except OSError:
            pass
    namespaces = [n for n in options.get("ns", "").split(",") if n]
    if "mount" in namespaces and options.get("outer-mnt") == _mnt_ns():
        # Never touch mounts unless this really is a new mount namespace.
        namespaces.remove("mount")
    try:
        request = _read_request()
        secret = request["secret"]
        report = run_request(
            request, namespaces, lambda isolation: _print_line({"ready": True, "secret": secret, "isolation": isolation})
        )
    except (ValueError, TypeError, KeyError) as ex:
        _print_line({"ok": False, "error": f"{type(ex).__name__}: {ex}"})
        return 2
    _print_line({**report, "secret": secret})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
