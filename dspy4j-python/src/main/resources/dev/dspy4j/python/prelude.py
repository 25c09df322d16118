# dspy4j's runner, evaluated once in each sandboxed GraalPy context. It defines the names the
# host calls (all starting with __dspy4j_) and nothing in the namespaces user code sees, except
# SUBMIT and the tools.
import ast as __dspy4j_ast
import json as __dspy4j_json


class __dspy4j_Submit(BaseException):
    pass


def __dspy4j_no_exit(*args, **kwargs):
    raise SystemExit("os._exit is not allowed here")


# os._exit would make GraalPy unwind the context's thread, which ends in a SystemExit report or, at
# times, in an internal NullPointerException; as an ordinary SystemExit it is reported the same way
# every time, like sys.exit
import os as __dspy4j_os
__dspy4j_os._exit = __dspy4j_no_exit
del __dspy4j_os


def __dspy4j_namespace(tools_json, host_call):
    def SUBMIT(output=None, **outputs):
        """Ends the code with its final outputs: SUBMIT({"answer": 42}) or SUBMIT(answer=42)."""
        raise __dspy4j_Submit(outputs if output is None and outputs else output)

    ns = {"__name__": "__main__", "__builtins__": __builtins__, "SUBMIT": SUBMIT}
    for name, arg_names in __dspy4j_json.loads(tools_json):
        ns[name] = __dspy4j_tool(name, arg_names, host_call)
    return ns


def __dspy4j_tool(name, arg_names, host_call):
    def tool(*args, **kwargs):
        if len(args) > len(arg_names):
            raise TypeError(f"{name}() takes {len(arg_names)} positional arguments but {len(args)} were given")
        call = dict(zip(arg_names, args))
        for key, value in kwargs.items():
            if key in call:
                raise TypeError(f"{name}() got multiple values for argument '{key}'")
            call[key] = value
        reply = __dspy4j_json.loads(host_call(name, __dspy4j_json.dumps(call, default=str)))
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["value"]

    tool.__name__ = name
    tool.__qualname__ = name
    return tool


def __dspy4j_dump(value):
    try:
        return __dspy4j_json.dumps(value, default=str)
    except (TypeError, ValueError):
        return __dspy4j_json.dumps(str(value))


def __dspy4j_line(error):
    line = 0
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<code>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def __dspy4j_run(ns, code, variables_json):
    """Returns [kind, payload, line]: kind is output, submit, syntax or error."""
    try:
        tree = compile(code, "<code>", "exec", __dspy4j_ast.PyCF_ONLY_AST)
    except SyntaxError as e:
        return ["syntax", f"{e.msg}", e.lineno or 0]
    last = None
    if tree.body and isinstance(tree.body[-1], __dspy4j_ast.Expr):
        last = __dspy4j_ast.Expression(tree.body.pop().value)
    ns.update(__dspy4j_json.loads(variables_json))
    try:
        exec(compile(tree, "<code>", "exec"), ns)
        value = eval(compile(last, "<code>", "eval"), ns) if last is not None else None
    except __dspy4j_Submit as submitted:
        return ["submit", __dspy4j_dump(submitted.args[0] if submitted.args else None), 0]
    except BaseException as e:
        return ["error", type(e).__name__ + "\n" + str(e), __dspy4j_line(e)]
    return ["output", None if value is None else __dspy4j_dump(value), 0]
