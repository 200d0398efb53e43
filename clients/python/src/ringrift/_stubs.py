"""The protobuf message and gRPC stub modules, generated from the repository's proto/ files.

They are not committed: the Maven build (``clients/python/pom.xml``, generate-sources) writes
them next to this file, and an import from a source checkout that has none (or older ones than
the .proto files) generates them first. Generation uses Debian's ``protoc`` with
``grpc_python_plugin`` (package protobuf-compiler-grpc): that protoc is the release the Debian
``python3-protobuf`` runtime belongs to, so the generated code and the runtime always match.
``grpc_tools.protoc`` (python3-grpc-tools) is the fallback when those are missing.
"""

import os
import shutil
import subprocess
import sys
import tempfile

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
PROTO_NAMES = ("queue", "records", "commands", "admin")


def proto_root():
    """The repository's proto source directory, if this package runs from a checkout of it."""
    candidate = os.path.normpath(os.path.join(PACKAGE_DIR, "..", "..", "..", "..", "proto", "src", "main", "proto"))
    return candidate if os.path.isdir(os.path.join(candidate, "ringrift")) else None


def _generated(name):
    return os.path.join(PACKAGE_DIR, name + "_pb2.py")


def _stale(root):
    for name in PROTO_NAMES:
        target = _generated(name)
        if not os.path.exists(target):
            return True
        if root is not None and os.path.getmtime(target) < os.path.getmtime(os.path.join(root, "ringrift", name + ".proto")):
            return True
    return not os.path.exists(os.path.join(PACKAGE_DIR, "admin_pb2_grpc.py"))


def _protoc_command(root, out):
    protos = [os.path.join(root, "ringrift", n + ".proto") for n in PROTO_NAMES]
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if protoc and plugin:
        return [protoc, "-I" + root, "--python_out=" + out, "--grpc_out=" + out,
                "--plugin=protoc-gen-grpc=" + plugin] + protos
    return [sys.executable, "-m", "grpc_tools.protoc", "-I" + root, "--python_out=" + out,
            "--grpc_python_out=" + out] + protos


def generate(root=None):
    """Writes the *_pb2.py and *_pb2_grpc.py modules next to this file from ``root`` (proto/src/main/proto)."""
    root = root or proto_root()
    if root is None:
        raise ImportError("ringrift: the generated protobuf modules are missing and no proto/ directory was "
                          "found next to this package; build it from the repository (mvn -B -DskipTests package)")
    # Written to a temporary directory first and moved in file by file, so that two processes
    # importing at once never see half a module.
    with tempfile.TemporaryDirectory(prefix="ringrift-protoc-") as out:
        command = _protoc_command(root, out)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise ImportError("ringrift: generating the protobuf modules failed (" + " ".join(command) + "): "
                              + done.stderr.strip())
        for name in sorted(os.listdir(os.path.join(out, "ringrift"))):
            if name.endswith(".py"):
                staged = os.path.join(PACKAGE_DIR, "." + name + ".tmp" + str(os.getpid()))
                shutil.copyfile(os.path.join(out, "ringrift", name), staged)
                os.replace(staged, os.path.join(PACKAGE_DIR, name))


def ensure():
    root = proto_root()
    if _stale(root):
        generate(root)


if __name__ == "__main__":
    # --if-possible (the Maven build): no generator is not an error; the import generates them later.
    args = [a for a in sys.argv[1:] if a != "--if-possible"]
    try:
        generate(args[0] if args else None)
        print("ringrift: generated the protobuf modules in " + PACKAGE_DIR)
    except ImportError as e:
        if "--if-possible" not in sys.argv:
            raise
        print("ringrift: protobuf modules not generated now (%s); install protobuf-compiler-grpc" % e)
