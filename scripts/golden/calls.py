"""Running a socket-module call and recording its answer, shared by the golden scripts.

Values are tagged so JSON keeps Python's types apart: {"str": text},
{"bytes": hex}, {"int": n}, {"float": x}, {"none": null}, {"list": [...]}.
An error is {"type": Python class name, "errno": int or null, "message": str(e)}.
"""
import socket


def to_json(value):
    """Python results as JSON: tuples become arrays, IntEnums plain ints."""
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    raise TypeError("cannot represent %r in JSON" % (value,))


def tag(value):
    if value is None:
        return {"none": None}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, bool):
        raise ValueError("bools mean different things in Python and JavaScript; test them by hand")
    if isinstance(value, int):
        return {"int": int(value)}
    if isinstance(value, float):
        return {"float": value}
    if isinstance(value, (list, tuple)):
        return {"list": [tag(v) for v in value]}
    raise ValueError(f"cannot tag {value!r}")


def record(call, *args):
    """Calls socket.<call>(*args); returns the case with its result or error."""
    case = {"call": call, "args": [tag(a) for a in args]}
    try:
        result = getattr(socket, call)(*args)
    except Exception as e:  # noqa: BLE001 - every exception is an answer to record
        case["error"] = {
            "type": type(e).__name__,
            "errno": e.errno if isinstance(e, OSError) else None,
            "message": str(e),
        }
    else:
        case["result"] = tag(result)
    return case
